"""Staff management in the sandbox web chat at phone width (400 px), as the superadmin persona."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_sandbox_browser import CHROMIUM, WAIT, web_chat

pytestmark = [pytest.mark.e2e, pytest.mark.browser,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")]
PHONE_400 = {"width": 400, "height": 820}


async def test_superadmin_grants_lists_and_reads_the_audit_log_on_a_phone(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE_400) as chat:
        await chat.open("citizen")
        await chat.say("/start")
        await chat.bot("Menu utama")
        await chat.open("superadmin")
        await chat.say("/start")
        await chat.press("Staf & audit")
        await chat.bot("Pilih seseorang")
        await chat.shot("staff-home")
        await chat.press("Pilih orang")
        await chat.bot("Teruskan")
        await chat.say("<b>&amp; 😀")
        await chat.bot("hanya berisi angka")
        await chat.say("700001")
        await chat.bot("Peran:")
        await chat.shot("staff-card")
        await chat.press("Jadikan petugas OPD")
        await chat.bot("pilih OPD")
        await chat.shot("staff-agencies")
        await chat.press("PUPR")
        await chat.bot("sudah diberi tahu")
        await chat.shot("staff-granted")
        assert await chat.no_sideways_scroll()
        await chat.press("Staf & audit")
        await chat.press("Daftar staf")
        await chat.bot("Daftar staf")
        await chat.shot("staff-list")
        assert await chat.no_sideways_scroll()
        await chat.press("Kembali")
        await chat.press("Log audit")
        message = await chat.bot("Log audit")
        await message.locator("text=Memberi peran").first.wait_for(timeout=WAIT)
        await chat.shot("staff-audit")
        assert await chat.no_sideways_scroll()
        await chat.press("Ekspor XLSX")
        await chat.bot("entri (sesuai filter)")
        await chat.shot("staff-export")
        # Rina was told, in her chat
        await chat.open("citizen")
        await chat.bot("Peran Anda di SAPA sekarang")
        await chat.shot("staff-notice")
