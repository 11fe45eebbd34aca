"""Two real webhook workers behind nginx on one PostgreSQL: every update once, in order per person.

The emulator pushes updates to nginx with Telegram's concurrency (max_connections); nginx spreads
them over `sapa webhook --workers 2`. Then one worker is killed with SIGKILL mid-load: nginx's
retry on the other worker, or the emulator's redelivery after a non-2xx answer, loses no update
and doubles none (the database de-duplicates by update_id).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import socket
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.balancer import start_balancer
from bot.database import open_database
from bot.sandbox.emulator import Emulator
from db.models import ProcessedUpdate, User
from tests.e2e import fresh_database, sapa_process, wait_until

PG_URL = os.environ.get("SAPA_TEST_DATABASE_URL")
pytestmark = [pytest.mark.e2e, pytest.mark.skipif(not PG_URL, reason="needs SAPA_TEST_DATABASE_URL (PostgreSQL)")]
USERS = 60
STEPS = ("/bahasa en", "/bahasa id", "/bahasa en", "/bahasa id", "/bahasa en")


def free_ports(n: int) -> int:
    """A base port with n free ports after it."""
    for _ in range(50):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = int(s.getsockname()[1])
        if base + n < 65000 and all(_free(base + i) for i in range(n)):
            return base
    raise RuntimeError("no free ports")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


async def counts(url: str) -> tuple[int, dict[int, str | None]]:
    db = open_database(url)
    try:
        async with db.uow() as uow:
            n = (await uow.session.execute(select(func.count()).select_from(ProcessedUpdate))).scalar_one()
            rows = (await uow.session.execute(select(User.external_id, User.locale))).all()
            return int(n), {int(e): loc for e, loc in rows}
    finally:
        await db.dispose()


def health(port: int) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
        return json.loads(r.read())


async def worker_pids(parent: int) -> list[int]:
    out = await asyncio.to_thread(Path(f"/proc/{parent}/task/{parent}/children").read_text)
    return [int(p) for p in out.split()]


async def test_two_workers_behind_nginx_each_update_once_in_order_and_a_kill_loses_none(tmp_path: Path) -> None:
    assert PG_URL
    await fresh_database(PG_URL)
    front, workers, ops = free_ports(1), free_ports(2), free_ports(2)
    emu = Emulator(rate_limit=0, webhook_max_attempts=8, webhook_backoff=0.2)
    await emu.start()
    env = {"SAPA_BOT_TOKEN": "123456:SCALE", "SAPA_BOT_API_URL": emu.url, "SAPA_DATABASE_URL": PG_URL,
           "SAPA_WEBHOOK_URL": f"http://127.0.0.1:{front}/tg/hook", "SAPA_WEBHOOK_SECRET": "scale-secret",
           "SAPA_WEBHOOK_LISTEN": f"127.0.0.1:{workers}", "SAPA_OPS_LISTEN": f"127.0.0.1:{ops}",
           "SAPA_WEBHOOK_MAX_CONNECTIONS": "16", "SAPA_LOG_LEVEL": "WARNING"}
    upstreams = [f"127.0.0.1:{workers}", f"127.0.0.1:{workers + 1}"]
    try:
        async with start_balancer(f"127.0.0.1:{front}", upstreams, tmp_path / "nginx") as nginx, \
                sapa_process(["webhook", "--workers", "2"] + ([] if nginx else ["--reuse-port"]), env,
                             tmp_path / "sapa.log") as parent:
            if not nginx:  # SO_REUSEPORT on the front port itself: the workers listen there
                pytest.skip("nginx is not installed (.ci/run installs it)")
            await wait_until(lambda: emu.webhook_url is not None, 240, "the webhook to be set")
            await wait_until(lambda: _answers(ops, 2), 240, "both workers' health endpoints")
            # Exactly one leader of the scheduler (and of the outbox).
            await wait_until(lambda: sorted(_roles(ops)) == ["leader", "standby"], 60, "one leader")

            users = [20_000 + i for i in range(USERS)]
            for step in STEPS[:3]:
                for u in users:
                    await emu.say(u, step, first_name=f"U{u}")
            # Mid-load: SIGKILL the second worker; the supervisor starts it again.
            await wait_until(lambda: len(emu.webhook_log) > USERS, 60, "the load to be under way")
            victim = (await worker_pids(parent.pid))[1]
            os.kill(victim, signal.SIGKILL)
            for step in STEPS[3:]:
                for u in users:
                    await emu.say(u, step, first_name=f"U{u}")
            total = USERS * len(STEPS) + 0
            await emu.wait_drained(timeout=120)
            processed, locales = await counts(PG_URL)
            log = (tmp_path / "sapa.log").read_text()
    finally:
        await emu.stop()
    # Every update handled exactly once across the processes (the rows are the de-duplication).
    assert processed == total
    assert not [e for e in emu.webhook_log if e.get("dropped")]
    # One person's updates took effect in the order sent: the last one says English.
    assert all(locales[u] == "en" for u in users), {u: locales[u] for u in users if locales[u] != "en"}
    # No reply lost but those in flight at the kill (at most the in-flight cap of the dead worker).
    answered = {u: len(emu.sent(u)) for u in users}
    missing = sum(max(0, len(STEPS) - n) for n in answered.values())
    assert missing <= 16, answered
    assert "Traceback" not in log.replace("KeyboardInterrupt", "")


def _answers(base: int, n: int) -> bool:
    try:
        return all(health(base + i)["database"] == "ok" for i in range(n))
    except OSError:
        return False


def _roles(base: int) -> list[str]:
    out = []
    for i in range(2):
        with contextlib.suppress(OSError, ValueError):
            out.append(health(base + i)["scheduler"])
    return out
