"""The officer's desk in a real headless Chromium at phone width (400 px): the queue with its
urgency lines and filters, the card with the claim and question buttons, the question's preview,
and the reporter's answer coming back; nothing scrolls sideways and the buttons stay reachable."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_sandbox_browser import WAIT, pytestmark, web_chat  # noqa: F401 - the markers apply here too

PHONE_400 = {"width": 400, "height": 800}


async def test_the_desk_at_phone_width(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE_400) as chat:
        page = chat.page
        await chat.open("citizen")
        await chat.say("/lapor")
        await chat.press("Pengaduan")
        await chat.say("Jalan berlubang besar di depan SDN 1 Guntung Manggis <b>bahaya</b> & licin 🚧")
        await chat.bot("Kirim foto pendukung")
        await chat.press("Lewati")
        await chat.bot("Di mana lokasinya")
        await chat.press("Lewati")
        await chat.bot("instansi")
        await chat.press(re.compile("Pekerjaan Umum|PUPR"))
        await chat.press("Anonim")
        await chat.bot("Ringkasan laporan")
        await chat.press("Kirim laporan")
        receipt = await chat.bot("BJB-")
        number = re.search(r"BJB-\d{4}-\d{6}", await receipt.inner_text()).group(0)

        await chat.open("officer")
        await chat.say("/laporanmasuk")
        await chat.bot("hari kerja")
        assert await chat.no_sideways_scroll()
        await chat.shot("desk-400-queue")
        await chat.press("Saring")
        await chat.bot("Saring laporan masuk")
        assert await chat.no_sideways_scroll()
        await chat.shot("desk-400-filters")
        await chat.press("Pengaduan")
        await chat.bot("Saringan")
        await chat.press(number)
        await chat.bot("identitas disembunyikan")
        await chat.press("Ambil laporan ini")
        await chat.bot("Ditangani")
        claim = page.locator(".msg.bot .kb button", has_text="Lepaskan").last
        await claim.scroll_into_view_if_needed()
        assert await chat.in_view(claim) and await chat.no_sideways_scroll()
        await chat.shot("desk-400-card")
        await chat.press("Minta info")
        await chat.bot("Tulis pertanyaan")
        await chat.say("Lubangnya di sisi kiri atau kanan? <b>&</b> 🙏")
        preview = await chat.bot("Pratinjau")
        assert "<b>&</b>" in await preview.inner_text()  # typed markup stays text
        send = page.locator(".msg.bot .kb button", has_text="Kirim ke pelapor").last
        assert await chat.in_view(send) and await chat.no_sideways_scroll()
        await chat.shot("desk-400-preview")
        await chat.press("Kirim ke pelapor")
        await chat.bot("Pertanyaan terkirim")

        await chat.open("citizen")
        await chat.bot("meminta informasi tambahan")
        await chat.press("Jawab pertanyaan")
        await chat.say("Sisi kiri dari arah Banjarbaru")
        await chat.open("officer")
        await page.locator(".msg.bot", has_text="Pelapor menjawab").last.wait_for(timeout=WAIT)
        assert await chat.no_sideways_scroll()
        await chat.shot("desk-400-answer-back")
