"""The webhook endpoint: a wrong secret processes nothing; an update is committed before the 200."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import func, select

from bot.webhook import SECRET_HEADER, webhook_app
from db.models import ProcessedUpdate
from tests.e2e import User, live_sapa


def _update(update_id: int, text: str = "/start") -> dict:
    return {"update_id": update_id, "message": {
        "message_id": 1, "date": 0, "text": text,
        "chat": {"id": 4001, "type": "private", "first_name": "Rina"},
        "from": {"id": 4001, "is_bot": False, "first_name": "Rina", "language_code": "id"},
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]}}


async def _processed(app) -> int:
    async with app.db.uow() as uow:
        return (await uow.session.execute(select(func.count()).select_from(ProcessedUpdate))).scalar_one()


@pytest.fixture
async def client(app):
    server = TestServer(webhook_app("/tg/hook", "s3cret-token", app.handle))
    async with TestClient(server) as c:
        yield c


async def test_wrong_or_missing_secret_is_refused_and_nothing_happens(client, app, channel):
    for headers in ({}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: "s3cret-token-but-longer"}):
        resp = await client.post("/tg/hook", json=_update(1), headers=headers)
        assert resp.status == 401
    assert await _processed(app) == 0
    assert channel.sent == []


async def test_update_is_committed_before_200_and_a_retry_is_harmless(client, app, channel):
    resp = await client.post("/tg/hook", json=_update(7), headers={SECRET_HEADER: "s3cret-token"})
    assert resp.status == 200
    assert await _processed(app) == 1  # already committed when Telegram got its 200
    assert len(channel.sent) == 1 and "Menu utama" in channel.sent[0].text
    resp = await client.post("/tg/hook", json=_update(7), headers={SECRET_HEADER: "s3cret-token"})
    assert resp.status == 200
    assert len(channel.sent) == 1  # Telegram's retry of the same update: no second effect


async def test_garbage_body_is_a_400_not_a_crash(client, app):
    resp = await client.post("/tg/hook", data=b"<html>&", headers={SECRET_HEADER: "s3cret-token"})
    assert resp.status == 400
    resp = await client.post("/tg/hook", json={"hello": 1}, headers={SECRET_HEADER: "s3cret-token"})
    assert resp.status == 200  # well-formed JSON that is not an update: acknowledged, ignored
    assert await _processed(app) == 0


@pytest.mark.e2e
@pytest.mark.parametrize("engine", ["aiogram", "ptb"])
async def test_sapa_webhook_process_with_the_emulator(engine: str, tmp_path: Path) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {"SAPA_ENGINE": engine, "SAPA_WEBHOOK_URL": f"http://127.0.0.1:{port}/tg/hook",
           "SAPA_WEBHOOK_SECRET": "hook-secret", "SAPA_WEBHOOK_LISTEN": f"127.0.0.1:{port}"}
    async with live_sapa(tmp_path, env, args=("webhook",), ready=lambda e: e.webhook_url is not None) as emu:
        rina = User(emu, 4100)
        assert "Menu utama" in await rina.say("/start")
        assert all(entry.get("status") == 200 for entry in emu.webhook_log)

