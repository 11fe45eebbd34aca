"""The sandbox page's WhatsApp citizen in a real Chromium at a phone's 390 px: it looks like
WhatsApp (green own bubbles, reply buttons under the bubble, a list as a sheet) and files a report."""

from __future__ import annotations

from pathlib import Path

from tests.test_sandbox_browser import PHONE, WAIT, pytestmark, web_chat  # noqa: F401 - the marks apply here too


async def test_a_whatsapp_citizen_files_on_a_phone(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE) as chat:
        page = chat.page
        await chat.open("whatsapp")
        assert await page.evaluate("() => document.body.classList.contains('wa')")
        await chat.say("lapor")
        kinds = page.locator(".msg.bot .wabtns button", has_text="Pilih").last  # four kinds: a list
        await kinds.wait_for(timeout=WAIT)
        assert await chat.in_view(kinds)
        await kinds.click()
        sheet = page.locator("#sheet .row", has_text="Pengaduan")
        await sheet.wait_for(timeout=WAIT)
        assert await chat.in_view(sheet)
        await chat.shot("whatsapp-list-sheet")
        await sheet.click()
        await chat.bot("Tuliskan pengaduan")
        await chat.say("Lampu jalan mati di Jalan Mawar <b>sejak</b> seminggu & gelap 🌑")
        mine = page.locator(".msg.me", has_text="<b>sejak</b>")  # typed markup stays text
        await mine.wait_for(timeout=WAIT)
        bg = await mine.evaluate("e => getComputedStyle(e).backgroundColor")
        assert bg == "rgb(217, 253, 211)"  # WhatsApp's own green
        skip = page.locator(".msg.bot .wabtns button", has_text="Lewati").last  # ≤ 3 short: reply buttons
        await skip.wait_for(timeout=WAIT)
        await skip.click()
        await page.locator(".msg.bot .wabtns button", has_text="📍").last.wait_for(timeout=WAIT)
        await page.click("#loc")
        await chat.bot("Lokasi disimpan")
        assert await chat.no_sideways_scroll() and await chat.in_view("#send") and await chat.in_view("#wawin")
        await chat.shot("whatsapp-phone")
