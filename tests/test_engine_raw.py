"""The aiogram engine's lean calls (bot/engines/raw.py) fail exactly as aiogram's own did.

A stub Bot API answers with whatever a test sets, so the failures the emulator does not make
(a 5xx, a dropped connection, `ok: false` with 200) are covered too; test_engines.py covers
the rest against the emulator for both engines.
"""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest
from aiohttp import web

from bot.engines.aiogram import AiogramEngine
from bot.engines.raw import Unencodable
from handlers.channel import Rejected, RetryAfter, Transient, Unreachable
from handlers.kit import Button, Reply


class Stub:
    def __init__(self) -> None:
        self.answer: tuple[int, Any] = (200, {"ok": True, "result": {"message_id": 7}})
        self.requests: list[tuple[str, str, dict[str, Any]]] = []

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        params = json.loads(body) if request.content_type == "application/json" else dict(await request.post())
        self.requests.append((request.match_info["method"], request.content_type, params))
        status, answer = self.answer
        return web.Response(status=status, text=answer if isinstance(answer, str) else json.dumps(answer),
                            content_type="application/json")


@pytest.fixture
async def stub_and_engine():
    stub = Stub()
    app = web.Application()
    app.router.add_post("/bot{token}/{method}", stub.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    await web.TCPSite(runner, "127.0.0.1", port).start()
    engine = AiogramEngine("123456:RAW", f"http://127.0.0.1:{port}")
    try:
        yield stub, engine
    finally:
        await engine.close()
        await runner.cleanup()


def _error(code: int, description: str, **parameters: Any) -> dict[str, Any]:
    return {"ok": False, "error_code": code, "description": description,
            **({"parameters": parameters} if parameters else {})}


async def test_a_reply_is_json_and_only_its_message_id_is_read(stub_and_engine) -> None:
    stub, engine = stub_and_engine
    assert await engine.channel.send(5, Reply("<b>hi</b>", [[Button("A", "a")]])) == 7
    method, ctype, params = stub.requests[-1]
    assert (method, ctype) == ("sendMessage", "application/json")
    assert params == {"chat_id": 5, "text": "<b>hi</b>", "parse_mode": "HTML",
                      "reply_markup": {"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]}}
    stub.answer = (200, {"ok": True, "result": True})  # an inline message's edit answers True
    assert await engine.channel.send(5, Reply("x"), edit_message_id=3) == 3
    assert stub.requests[-1][0] == "editMessageText" and "reply_markup" not in stub.requests[-1][2]


@pytest.mark.parametrize(("answer", "error", "text"), [
    ((429, _error(429, "Too Many Requests: retry after 4", retry_after=4)), RetryAfter, "retry after 4"),
    ((403, _error(403, "Forbidden: bot was blocked by the user")), Unreachable, "blocked"),
    ((400, _error(400, "Bad Request: can't parse entities")), Rejected, "sendMessage: Bad Request: can't parse"),
    ((500, _error(500, "Internal Server Error")), Transient, "Internal Server Error"),
    ((502, _error(502, "Bad Gateway")), Transient, "Bad Gateway"),
])
async def test_failures_map_as_aiogram_mapped_them(stub_and_engine, answer, error, text) -> None:
    stub, engine = stub_and_engine
    stub.answer = answer
    with pytest.raises(error, match=text) as e:
        await engine.channel.send(5, Reply("x"))
    if error is RetryAfter:
        assert e.value.seconds == 4


async def test_an_edit_rejected_names_its_method(stub_and_engine) -> None:
    stub, engine = stub_and_engine
    stub.answer = (400, _error(400, "Bad Request: message is not modified"))
    with pytest.raises(Rejected, match="editMessageText: Bad Request: message is not modified"):
        await engine.channel.send(5, Reply("x"), edit_message_id=3)


async def test_a_dropped_connection_is_transient() -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    engine = AiogramEngine("123456:RAW", f"http://127.0.0.1:{port}")
    try:
        with pytest.raises(Transient, match="ClientConnectorError"):
            await engine.channel.send(5, Reply("x"))
    finally:
        await engine.close()


async def test_what_orjson_refuses_is_left_to_aiogram(stub_and_engine) -> None:
    stub, engine = stub_and_engine
    with pytest.raises(Unencodable):
        await engine.channel.raw.call("sendMessage", {"chat_id": 5, "text": "\ud800"}, lambda: None)  # type: ignore
    with pytest.raises(UnicodeEncodeError):  # as before: aiogram's form encoding refuses it too
        await engine.channel.send(5, Reply("a \ud800 b"))


async def test_callbacks_and_get_updates(stub_and_engine) -> None:
    stub, engine = stub_and_engine
    stub.answer = (200, {"ok": True, "result": True})
    await engine.channel.answer_callback("cb1", "Tersimpan")
    assert stub.requests[-1][0] == "answerCallbackQuery"
    assert stub.requests[-1][2] == {"callback_query_id": "cb1", "text": "Tersimpan"}
    stub.answer = (200, {"ok": False, "error_code": 409, "description": "Conflict: terminated by other getUpdates"})
    with pytest.raises(Exception, match="Conflict"):  # the poller backs off and retries (test_polling.py)
        await engine.channel.raw.call("getUpdates", {"timeout": 0}, lambda: __import__(
            "aiogram.methods", fromlist=["GetUpdates"]).GetUpdates(timeout=0))
