"""A citizen's report end to end: the real `sapa run` (aiogram), the emulator, the outbox to the officer."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.sandbox.emulator import Emulator
from tests.e2e import User, live_sapa, wait_until

pytestmark = pytest.mark.e2e
OFFICER = 700004  # demo persona: Dinas PUPR
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
JPEG = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")


async def test_citizen_reports_officer_answers_citizen_is_told(tmp_path: Path) -> None:
    env = {"SAPA_ENGINE": "aiogram", "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_INSTANCE_CODE": "BJB"}
    async with live_sapa(tmp_path, env, emulator=Emulator(rate_limit=30)) as emu:
        rina = User(emu, 5301, first_name="Rina <i>&")
        budi = User(emu, OFFICER, first_name="Budi")
        await budi.say("/start")  # the officer has talked to the bot, so it may write to him

        await rina.say("mau lapor jalan rusak")
        await rina.press("Pengaduan")
        await rina.say("Jalan berlubang di depan SDN 1 <bahaya> & licin 🚧")
        await rina.send_photo(JPEG)
        await rina.press("Lanjut")
        await rina.send_location(-3.4424, 114.8301)
        assert PUPR in [b["text"] for row in emu.sent(5301)[-1]["reply_markup"]["inline_keyboard"]
                        for b in row]
        await rina.press(PUPR)
        await rina.press("Anonim")
        assert "&lt;bahaya&gt; &amp; licin" in rina.last_text()
        receipt = await rina.press("Kirim laporan")
        number = re.search(r"BJB-\d{4}-\d{6}", receipt)
        assert number, receipt

        # The officer's notice comes through the outbox, and never names an anonymous reporter.
        await wait_until(lambda: any(number.group(0) in t for t in budi.texts()), 20, "the officer's notice")
        officer_view = "\n".join(m.get("text") or m.get("caption") or "" for m in emu.sent(OFFICER))
        for secret in ("Rina", "5301"):
            assert secret not in officer_view
        await budi.press("Buka")
        await budi.press("Verifikasi")
        await budi.say("Laporan lengkap")
        await budi.press("Proses")
        await budi.press("Tanpa catatan")
        await budi.press("Jawab")
        preview = await budi.say("Sudah ditambal <hari ini> & aman")
        assert "Pratinjau" in preview  # nothing reaches the citizen before "Kirim"
        await budi.press("Kirim ke pelapor")
        await wait_until(lambda: any("ditambal &lt;hari ini&gt; &amp; aman" in t for t in rina.texts()), 20,
                         "the citizen's notice")

        status = await rina.say(f"/status {number.group(0)}")
        assert number.group(0) in status
        assert emu.bad_requests == []
