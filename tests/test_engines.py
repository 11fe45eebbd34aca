"""Both engines' channels map Bot API failures to the same outcomes, against the emulator."""

from __future__ import annotations

import pytest

from bot.engines.base import make_engine
from bot.sandbox.emulator import Emulator
from handlers.channel import Rejected, RetryAfter, Unreachable
from handlers.kit import Attachment, Button, KeyButton, Reply


@pytest.fixture(params=["aiogram", "ptb"])
async def channel_and_emu(request: pytest.FixtureRequest):
    emu = Emulator(rate_limit=0, retry_after=3)
    await emu.start()
    engine = make_engine(request.param, "123456:ENGINE", emu.url)
    assert await engine.start() == "sapa_test_bot"
    assert engine.bot_id == 123456  # getMe's id: the scope of update ids (bot.core)
    await emu.say(42, "hi")  # the person has started the bot
    try:
        yield engine.channel, emu
    finally:
        await engine.close()
        await emu.stop()


async def test_replies_with_buttons_keyboards_edits_and_files(channel_and_emu) -> None:
    channel, emu = channel_and_emu
    mid = await channel.send(42, Reply("<b>Menu</b> &amp;", [[Button("A", "menu"), Button("Web", url="https://x.id")]]))
    assert emu.last(42)["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "menu"
    assert await channel.send(42, Reply("<i>baru</i>"), edit_message_id=mid) == mid
    assert emu.last(42)["text"] == "<i>baru</i>" and emu.last(42)["edited"]
    await channel.send(42, Reply("HP?", keyboard=[[KeyButton("Bagikan", request_contact=True)]]))
    assert emu.last(42)["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    await channel.send(42, Reply("ok", remove_keyboard=True))
    assert emu.last(42)["reply_markup"] == {"remove_keyboard": True}
    await channel.send(42, Reply("QR", attachment=Attachment("document", content=b"\x89PNG", filename="qr.png")))
    assert emu.last(42)["document"]["file_name"] == "qr.png"
    assert emu.bad_requests == []


async def test_failures_become_the_same_delivery_errors(channel_and_emu) -> None:
    channel, emu = channel_and_emu
    with pytest.raises(Rejected, match="(?i)sendMessage: .*button_data_invalid"):  # PTB re-cases it
        await channel.send(42, Reply("x", [[Button("too long", "x" * 65)]]))
    with pytest.raises(Rejected, match="(?i)sendMessage: .*parse entities"):
        await channel.send(42, Reply("<script>"))
    emu.block(42)
    with pytest.raises(Unreachable):
        await channel.send(42, Reply("halo"))
    with pytest.raises(Unreachable):
        await channel.send(43, Reply("never wrote to the bot"))
    emu.block(42, False)
    emu.configure(rate_limit=1)
    await channel.send(42, Reply("one"))
    with pytest.raises(RetryAfter) as e:
        await channel.send(42, Reply("two"))
    assert e.value.seconds == 3
