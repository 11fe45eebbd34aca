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


_CALLBACK = {"id": "q1", "from": {"id": 4001, "first_name": "Rina"}, "data": "menu"}
WRONG_SHAPES = [
    {"update_id": 1, "message": "x"},
    {"update_id": 2, "callback_query": {**_CALLBACK, "message": "x"}},
    {"update_id": 3, "callback_query": "x"},
    {"update_id": 4, "callback_query": {**_CALLBACK, "from": 5}},
    {"update_id": 5, "callback_query": {**_CALLBACK, "data": ["menu"]}},
    {"update_id": 6, "message": {**_update(6)["message"], "chat": "private"}},
    {"update_id": 7, "message": {**_update(7)["message"], "text": {"b": 1}}},
    {"update_id": 8, "message": {**_update(8)["message"], "from": {"id": "4001"}}},
    {"update_id": 9, "message": {**_update(9)["message"], "text": None, "location": {"latitude": "x"}}},
    {"update_id": 10, "message": {**_update(10)["message"], "text": None, "photo": [{"file_id": 1}]}},
    {"update_id": 11, "message": {**_update(11)["message"], "text": None, "photo": "big"}},
    {"update_id": 12, "message": {**_update(12)["message"], "from": {"id": 10**60, "first_name": "R"}}},
    {"update_id": "13", "message": _update(13)["message"]},
    {"update_id": 10**60, "message": _update(14)["message"]},
    {"update_id": True, "message": _update(15)["message"]},
    [1, 2, 3],
]


@pytest.mark.parametrize("body", WRONG_SHAPES, ids=[str(i) for i in range(len(WRONG_SHAPES))])
async def test_json_of_the_wrong_shape_is_a_400_with_one_log_line(client, app, channel, caplog, body):
    caplog.set_level("INFO")
    resp = await client.post("/tg/hook", json=body, headers={SECRET_HEADER: "s3cret-token"})
    assert resp.status == (200 if isinstance(body, list) else 400)  # a list is not an update: ignored
    assert await _processed(app) == 0 and channel.sent == []
    ours = [r for r in caplog.records if r.name == "bot.webhook"]
    assert len(ours) == (0 if isinstance(body, list) else 1)
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.levelno >= 40]


async def test_deeply_nested_json_is_a_400_not_a_recursion_error(client, app, caplog):
    for body in (b"[" * 200_000 + b"]" * 200_000, b'{"update_id": 1, "message": ' + b"[" * 200_000):
        resp = await client.post("/tg/hook", data=body, headers={SECRET_HEADER: "s3cret-token",
                                                                  "Content-Type": "application/json"})
        assert resp.status == 400
    assert await _processed(app) == 0
    assert not [r for r in caplog.records if r.levelno >= 40 or r.exc_info]


async def test_a_command_to_another_bot_through_the_webhook_is_not_answered(client, app, channel):
    app.settings = app.settings.model_copy(update={"bot_username": "SapaBjbBot"})  # as getMe tells at start-up
    resp = await client.post("/tg/hook", json=_update(21, "/start@SomeOtherBot"),
                             headers={SECRET_HEADER: "s3cret-token"})
    assert resp.status == 200 and channel.sent == []
    resp = await client.post("/tg/hook", json=_update(22, "/start@sapabjbbot"), headers={SECRET_HEADER: "s3cret-token"})
    assert resp.status == 200 and "Menu utama" in channel.sent[-1].text


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

