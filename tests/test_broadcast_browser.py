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
        # The demo's 40 civil servants, two of whom blocked the bot. From July the sandbox's first
        # minute also sends the monthly JP nudges, which may find those two out before or while
        # HR sends: each is then left out of the count or reported unreachable, never lost.
        counted = re.search(r"\b(\d+) orang", await summary.inner_text())
        assert counted and 38 <= int(counted[1]) <= 40
        await chat.shot("phone-broadcast-preview")
        assert await chat.no_sideways_scroll()
        await chat.press("Kirim mendesak")  # urgent: whatever the hour, no quiet-hours wait
        await chat.bot(re.compile(r"Pengumuman #\d+: selesai"))
        report = await chat.bot(re.compile(r"\d+ dari \d+ terkirim"))
        line = re.search(r"(\d+) dari (\d+) terkirim.*Tak terjangkau: (\d+)", await report.inner_text(), re.S)
        assert line, await report.inner_text()
        sent, total, unreachable = map(int, line.groups())
        assert total <= int(counted[1]) and sent == total - unreachable and (40 - total) + unreachable == 2
        await chat.shot("phone-broadcast-report")
        assert await chat.in_view(report.locator(".kb button", has_text="XLSX"))
        assert await chat.no_sideways_scroll()
