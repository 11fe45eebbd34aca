"""`sapa run` (aiogram, then python-telegram-bot) against the emulator over real HTTP."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.sandbox.emulator import Emulator
from tests.e2e import User, live_sapa

pytestmark = pytest.mark.e2e


@pytest.fixture(params=["aiogram", "ptb"])
async def live(request: pytest.FixtureRequest, tmp_path: Path):
    env = {"SAPA_ENGINE": request.param, "SAPA_ADMIN_IDS": "777", "SAPA_INSTANCE_NAME": "Pemerintah Kota Binjai",
           "SAPA_TIMEZONE": "Asia/Jakarta"}
    async with live_sapa(tmp_path, env) as emu:
        yield emu


async def test_a_person_uses_the_bot(live: Emulator) -> None:
    rina = User(live, 5001, first_name="Rina <b>&")
    reply = await rina.say("/start")
    assert "Menu utama" in reply
    assert any("Selamat datang, Rina &lt;b&gt;&amp;!" in t for t in rina.texts())

    await rina.press("Bahasa")
    reply = await rina.press("English")
    assert "Main menu" in reply

    reply = await rina.say("/bahasa id")
    assert "Menu utama" in reply

    await rina.say("/tautkan")
    reply = await rina.say("/batal")
    assert "Menu utama" in reply
    assert any("Dibatalkan" in t for t in rina.texts())

    reply = await rina.say("tolong bantuan")
    assert "Bantuan SAPA" in reply

    reply = await rina.say("/<script>&")
    assert "/&lt;script&gt;&amp;" in reply

    assert live.bad_requests == []


async def test_civil_servant_links_by_sharing_contact(live: Emulator) -> None:
    siti = User(live, 700002, first_name="Siti")
    await siti.say("/tautkan")
    await siti.say("199001052015032002")
    keyboard = live.sent(700002)[-1]["reply_markup"]["keyboard"]
    assert keyboard[0][0]["request_contact"] is True
    reply = await siti.share_contact("+6281234500002")
    assert "Menu utama" in reply and "ASN" in reply
    assert any("Akun tertaut" in t for t in siti.texts())
    assert live.bad_requests == []
