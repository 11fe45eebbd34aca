"""Both engines hand a forwarded message's sender to flows (`Incoming.forwarded_user_id`).

The update goes through each engine's own getUpdates parsing (aiogram's pydantic models, PTB's
de_json/to_dict) against the emulator, then `incoming_from_json`, as in production.
"""

from __future__ import annotations

import asyncio

import pytest

from bot.engines.base import make_engine
from bot.sandbox.emulator import Emulator
from bot.updates import incoming_from_json
from handlers.kit import Kind

ORIGINS = {
    "user": {"type": "user", "date": 1700000000, "sender_user": {"id": 555001, "is_bot": False, "first_name": "Dewi"}},
    "hidden_user": {"type": "hidden_user", "date": 1700000000, "sender_user_name": "Dewi <b>&"},
    "channel": {"type": "channel", "date": 1700000000, "message_id": 5,
                "chat": {"id": -1001234, "type": "channel", "title": "Info Kota"}},
}


@pytest.fixture(params=["aiogram", "ptb"])
async def engine_and_emu(request: pytest.FixtureRequest):
    emu = Emulator(rate_limit=0)
    await emu.start()
    engine = make_engine(request.param, "123456:ENGINE", emu.url)
    await engine.start()
    try:
        yield engine, emu
    finally:
        await engine.close()
        await emu.stop()


async def _received(engine, emu, content: dict) -> object:
    got: asyncio.Queue = asyncio.Queue()

    async def handle(inc):
        await got.put(inc)

    emu.store.push_update({"message": emu.store.user_message(42, content)})
    task = asyncio.create_task(engine.poll(handle, 1))
    try:
        return await asyncio.wait_for(got.get(), 10)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)


@pytest.mark.parametrize("origin", list(ORIGINS))
async def test_forward_origin_through_each_engine(engine_and_emu, origin):
    engine, emu = engine_and_emu
    inc = await _received(engine, emu, {"text": "/lapor jalan", "forward_origin": ORIGINS[origin],
                                        "forward_date": 1700000000})
    assert inc.user_id == 42 and inc.forward_origin == origin
    assert inc.forwarded_user_id == (555001 if origin == "user" else None)
    assert inc.kind is Kind.TEXT and inc.command is None  # a forwarded "/lapor" is not our command


async def test_a_plain_message_has_no_forward(engine_and_emu):
    engine, emu = engine_and_emu
    inc = await _received(engine, emu, {"text": "halo"})
    assert inc.forward_origin is None and inc.forwarded_user_id is None


def test_the_reading_is_strict_about_shapes():
    base = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 7, "type": "private"},
                                        "from": {"id": 7, "first_name": "A"}, "text": "x"}}
    legacy = {**base, "message": {**base["message"], "forward_from": {"id": 99, "first_name": "B"}}}
    assert incoming_from_json(legacy).forwarded_user_id == 99
    hidden = {**base, "message": {**base["message"], "forward_sender_name": "B"}}
    assert incoming_from_json(hidden).forward_origin == "hidden_user"
    from bot.updates import BadUpdate
    for bad in ({"type": "user", "sender_user": {"id": "99"}}, {"type": "user", "sender_user": "x"},
                {"type": "user", "sender_user": {"id": 2**64}}, "user"):
        with pytest.raises(BadUpdate):
            incoming_from_json({**base, "message": {**base["message"], "forward_origin": bad}})
    odd = {**base, "message": {**base["message"], "forward_origin": {"type": "user\x00" + "x" * 40}}}
    inc = incoming_from_json(odd)
    assert inc.forwarded_user_id is None and "\x00" not in inc.forward_origin and len(inc.forward_origin) <= 16
