"""/tautkan through the real `sapa run` and the emulator, on aiogram and PTB (contacts travel differently)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.database import open_database
from services.account.codes import issue_code
from services.clock import utc_now
from tests.e2e import User, live_sapa, seeded_sqlite

pytestmark = pytest.mark.e2e
SITI, NUR = "199001052015032002", "199512202023212004"


@pytest.mark.parametrize("engine", ["aiogram", "ptb"])
async def test_contact_match_mismatch_then_code_and_lockout(tmp_path: Path, engine: str) -> None:
    url = await seeded_sqlite(tmp_path / "sapa.db")
    db = open_database(url)
    async with db.uow() as uow:
        code = (await issue_code(uow, "cli", NUR, utc_now())).code
        await uow.commit()
    await db.dispose()
    env = {"SAPA_ENGINE": engine, "SAPA_DATABASE_URL": url, "SAPA_TIMEZONE": "Asia/Makassar"}
    async with live_sapa(tmp_path, env) as emu:
        siti = User(emu, 700002, first_name="Siti")
        await siti.say("/tautkan")
        await siti.say(SITI)
        reply = await siti.share_contact("+6281234500002")
        assert "Menu utama" in reply and any("Akun tertaut" in t for t in siti.texts())

        nur = User(emu, 700010, first_name="Nur")
        await nur.say("/tautkan")
        await nur.say(NUR)
        reply = await nur.share_contact("+6285700000001")  # not the phone on file
        assert "tidak sesuai" in reply and "kode aktivasi" in reply
        assert "Kode aktivasi salah" in await nur.say("ZZZZZZZZ")
        reply = await nur.say(code)
        assert any("Akun tertaut" in t and "19951220 ****** 2 004" in t for t in nur.texts())
        assert "PPPK" in await nur.say("/tautkan")

        mallory = User(emu, 700011, first_name="Mallory")
        await mallory.say("/tautkan")
        for _ in range(4):
            await mallory.say("199001052015032099")
        await mallory.say(SITI)
        reply = await mallory.share_contact("+6281299999999")
        assert "dikunci" in reply and "60 menit" in reply
        assert "dikunci" in await mallory.say("/tautkan")
        assert emu.bad_requests == []
    log = (tmp_path / "sapa.log").read_text()
    assert NUR not in log and SITI not in log and code not in log
