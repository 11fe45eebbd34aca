"""Operating SAPA: /healthz says whether this process can serve; /metrics counts what it did."""

from __future__ import annotations

import asyncio
import json
import urllib.request
from pathlib import Path

from aiohttp.test_utils import TestClient, TestServer

from bot.core import App
from bot.database import open_database
from bot.metrics import MeteredChannel, new_metrics
from bot.ops import check_health, ops_app
from bot.sandbox.run import free_local_port
from db.engine import Database
from handlers import build_router
from handlers.channel import Unreachable
from handlers.kit import Kind
from services.settings import Settings
from tests.e2e import User, live_sapa
from tests.harness import Clock, FakeChannel, Person


def _metric(text: str, name: str, **labels: str) -> float:
    want = ",".join(f'{k}="{v}"' for k, v in labels.items())
    for line in text.splitlines():
        head, _, value = line.rpartition(" ")
        if head == (f"{name}{{{want}}}" if labels else name):
            return float(value)
    return 0.0


async def test_metrics_count_updates_outcomes_and_api_codes(settings: Settings, db: Database, clock: Clock) -> None:
    metrics = new_metrics()
    fake = FakeChannel()
    app = App(settings, db, build_router(), MeteredChannel(fake, metrics), clock, metrics=metrics)
    rina = Person(app, fake, 5001, "Rina", "id")  # type: ignore[arg-type]
    await rina.say("/start")
    await rina.say("halo")
    fake.failures[5002] = Unreachable("Forbidden: bot was blocked by the user")
    await Person(app, fake, 5002, "Budi", "id").say("/start")  # type: ignore[arg-type]
    # The same update twice is handled once: the second is a replay.
    inc = rina._inc(Kind.TEXT, text="lagi")
    await app.handle(inc)
    await app.handle(inc)
    async with TestClient(TestServer(ops_app(db, metrics, lambda: True))) as client:
        body = await (await client.get("/metrics")).text()
    assert _metric(body, "sapa_updates_total", kind="command", outcome="ok") == 2
    assert _metric(body, "sapa_updates_total", kind="text", outcome="ok") == 2
    assert _metric(body, "sapa_updates_total", kind="text", outcome="replay") == 1
    assert _metric(body, "sapa_update_seconds_count") == 5
    assert _metric(body, "sapa_bot_api_sends_total", code="200") == len(fake.sent)
    assert _metric(body, "sapa_bot_api_sends_total", code="403") == 1
    assert _metric(body, "sapa_scheduler_leader") == 1
    assert "sapa_outbox_rows" in body and "sapa_outbox_oldest_pending_seconds" in body


async def test_healthz_current_schema_leader_and_backlog(db: Database) -> None:
    h = await check_health(db, lambda: False)
    assert h.ok and h.database == "ok" and h.schema == "current" and h.scheduler == "standby"
    assert h.outbox_oldest_pending_s == 0.0
    async with TestClient(TestServer(ops_app(db, new_metrics(), lambda: True))) as client:
        resp = await client.get("/healthz")
        data = await resp.json()
    assert resp.status == 200 and data["ok"] is True and data["scheduler"] == "leader"


async def test_healthz_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    db = open_database(f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    try:
        async with TestClient(TestServer(ops_app(db, new_metrics(), lambda: False))) as client:
            resp = await client.get("/healthz")
            data = await resp.json()
    finally:
        await db.dispose()
    assert resp.status == 503 and data["ok"] is False
    assert "code expects" in data["schema"] or data["database"] != "ok"


async def test_a_running_bot_serves_health_and_metrics_on_its_own_address(tmp_path: Path) -> None:
    port = free_local_port()
    async with live_sapa(tmp_path, {"SAPA_OPS_LISTEN": f"127.0.0.1:{port}"}) as emu:
        await User(emu, 7001).say("/start")

        def get(path: str) -> tuple[int, str]:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=10) as r:
                return r.status, r.read().decode()
        status, body = await asyncio.to_thread(get, "/healthz")
        metrics = (await asyncio.to_thread(get, "/metrics"))[1]
    health = json.loads(body)
    assert status == 200 and health["schema"] == "current" and health["scheduler"] == "leader"
    assert _metric(metrics, "sapa_updates_total", kind="command", outcome="ok") >= 1
    assert _metric(metrics, "sapa_bot_api_sends_total", code="200") >= 1
