"""/umumkan in the sandbox's web chat at phone width (400 px): compose, preview, send, progress, report."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_sandbox_browser import pytestmark, web_chat  # noqa: F401 - the same skip and marks

PHONE_400 = {"width": 400, "height": 800}


async def test_phone_hr_broadcasts_and_follows_the_progress(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE_400) as chat:
        await chat.open("hr")
        await chat.say("/umumkan")
        await chat.bot("Pengumuman baru")
        await chat.say("Rapat *koordinasi* <semua OPD> & jajaran 🙏 di [aula](https://bkpsdm.example.go.id/aula)")
        summary = await chat.bot("Dapat dijangkau")
        preview = chat.page.locator(".msg.bot", has_text="jajaran 🙏").last
        assert await preview.locator("b", has_text="koordinasi").count() == 1  # bold as Telegram shows it
        assert "<semua OPD> & jajaran" in await preview.inner_text()  # the typed markup-like text, as typed
        assert await preview.locator("a[href='https://bkpsdm.example.go.id/aula']").count() == 1
        assert re.search(r"\b40 orang", await summary.inner_text())  # the sandbox's demo audience
        await chat.shot("phone-broadcast-preview")
        assert await chat.no_sideways_scroll()
        await chat.press("Kirim mendesak")  # urgent: whatever the hour, no quiet-hours wait
        await chat.bot(re.compile(r"Pengumuman #\d+: selesai"))
        report = await chat.bot(re.compile(r"\d+ dari 40 terkirim"))
        assert "Tak terjangkau: 2" in await report.inner_text()  # the two demo people who blocked the bot
        await chat.shot("phone-broadcast-report")
        assert await chat.in_view(report.locator(".kb button", has_text="XLSX"))
        assert await chat.no_sideways_scroll()
