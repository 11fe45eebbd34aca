"""The sandbox web chat in a real headless Chromium, at desktop and at phone widths.

Pick a persona, /start, press a menu button; file a report with a photo on a phone and see the
photo as the officer; answer a survey question by question with the question always in view;
switch persona and reload without losing what the person said.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shutil
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.sandbox.run import free_local_port
from tests.e2e import sapa_process, wait_until
from tests.test_emulator import png

pytestmark = [pytest.mark.e2e, pytest.mark.browser,
              pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                                 reason="Debian's chromium is not installed (.ci/run installs it)")]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
NARROW_PHONE = {"width": 420, "height": 800}
DESKTOP = {"width": 1280, "height": 800}
PHOTO_WIDTH = 320
WAIT = 60_000  # ms, a bound on one step once the bot polls (it answers through polling, the page polls every 400 ms)
# Start-up (migrations, seeding the demo government, the bot's first poll) is waited for by what
# it does, not by a time: this bound only stops a hung start from hanging the run.
STARTUP = 600.0
# A word no phone line can hold, and markup a careless page would render.
LONG_WORD = "Jalan" + "berlubangsangatdalam" * 4
DESCRIPTION = f"{LONG_WORD} di depan SDN 1 <b>bahaya</b> & licin 🚧 sudah dua minggu"


def _answers(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


async def wait_for_first_poll(port: int, proc: Any) -> bool:
    """Until the bot in the sandbox process has called getUpdates once: seeded, started, polling.

    The emulator listens before the demo data is seeded, so a listening port is not a ready bot; on
    a loaded machine start-up can take longer than any one step of a test is given. False: the
    process ended first.
    """
    await wait_until(lambda: _answers(port) or proc.returncode is not None, STARTUP, "the sandbox to listen")
    async with aiohttp.ClientSession() as http:
        async def polled() -> bool:
            async with http.get(f"http://127.0.0.1:{port}/control/stats") as resp:
                return bool((await resp.json())["polls"])

        loop = asyncio.get_running_loop()
        deadline = loop.time() + STARTUP
        while proc.returncode is None and not await polled():
            if loop.time() > deadline:
                raise TimeoutError("the sandbox's bot never called getUpdates")
            await asyncio.sleep(0.2)
    return proc.returncode is None


class Chat:
    """One browser tab on the web chat, with what went wrong in it recorded."""

    def __init__(self, page: Any, url: str, shots: Path) -> None:
        self.page, self.url, self.shots = page, url, shots
        self.failed: list[str] = []  # responses >= 400 and uncaught script errors
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.status} {r.url}"))
        page.on("pageerror", lambda e: self.failed.append(f"script error: {e}"))

    async def open(self, persona: str) -> None:
        await self.page.click(f"[data-persona={persona}]")
        await self.page.locator(f"[data-persona={persona}].active").wait_for(timeout=WAIT)

    async def say(self, text: str) -> None:
        await self.page.fill("#text", text)
        await self.page.click("#send")  # a click, not Enter: the button must be reachable

    async def link(self, nip: str) -> None:
        """/tautkan as this persona: the NIP, then the contact button (the persona's phone is on record)."""
        await self.say("/tautkan")
        await self.bot("NIP")
        await self.say(nip)
        contact = self.page.locator("#replykb button").first
        await contact.wait_for(timeout=WAIT)
        await contact.click()
        await self.bot("Akun tertaut")

    async def bot(self, text: str) -> Any:
        """The newest bot message containing ``text``, once it is there."""
        message = self.page.locator(".msg.bot", has_text=text).last
        await message.wait_for(timeout=WAIT)
        return message

    async def press(self, label: str | re.Pattern[str]) -> None:
        """Tap the newest inline button with this label."""
        button = self.page.locator(".msg.bot .kb button", has_text=label).last
        await button.wait_for(timeout=WAIT)
        await button.click()

    async def image_loaded(self, selector: str, width: int | None = None) -> None:
        """Some <img> matching ``selector`` has really loaded (of ``width`` pixels, if given)."""
        await self.page.wait_for_function(
            "([sel, w]) => [...document.querySelectorAll(sel)]"
            ".some(i => i.complete && i.naturalWidth > 0 && (w === null || i.naturalWidth === w))",
            arg=[selector, width], timeout=WAIT)

    async def shot(self, name: str) -> None:
        await self.page.screenshot(path=str(self.shots / f"{name}.png"))

    async def in_view(self, selector_or_locator: Any) -> bool:
        """Wholly inside the browser viewport and inside the chat log's visible part."""
        locator = (self.page.locator(selector_or_locator) if isinstance(selector_or_locator, str)
                   else selector_or_locator)
        box = await locator.bounding_box()
        size = self.page.viewport_size
        if box is None:
            return False
        inside = (box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= size["width"]
                  and box["y"] + box["height"] <= size["height"])
        if not inside or not await locator.evaluate("e => !!e.closest('#log')"):
            return inside
        log = await self.page.locator("#log").bounding_box()
        assert log is not None
        return box["y"] >= log["y"] - 1 and box["y"] + box["height"] <= log["y"] + log["height"] + 1

    async def no_sideways_scroll(self) -> bool:
        return await self.page.evaluate(
            "() => { const l = document.getElementById('log');"
            " return l.scrollWidth <= l.clientWidth + 1 && document.documentElement.scrollWidth <= innerWidth; }")


@contextlib.asynccontextmanager
async def web_chat(tmp_path: Path, viewport: dict[str, int]) -> AsyncIterator[Chat]:
    """A fresh `sapa sandbox` and a Chromium tab of the given size on its web chat."""
    from playwright.async_api import async_playwright

    port = free_local_port()
    env = {"SAPA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}",
           "SAPA_SANDBOX_LISTEN": f"127.0.0.1:{port}"}
    # SAPA_SCREENSHOTS=dir keeps the screenshots somewhere to look at them.
    shots = Path(os.environ.get("SAPA_SCREENSHOTS") or tmp_path)
    os.makedirs(shots, exist_ok=True)
    async with sapa_process(["sandbox"], env, tmp_path / "sandbox.log") as proc:
        assert await wait_for_first_poll(port, proc), (tmp_path / "sandbox.log").read_text()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS,
                                               env={"HOME": str(tmp_path)})
            try:
                page = await browser.new_page(viewport=viewport)
                page.set_default_timeout(WAIT)  # clicks and fills too, not Playwright's own 30 s
                chat = Chat(page, f"http://127.0.0.1:{port}/", shots)
                await page.goto(chat.url)
                yield chat
                assert chat.failed == []
            finally:
                await browser.close()
    log = (tmp_path / "sandbox.log").read_text()
    assert "Traceback" not in log, log


async def test_web_chat_persona_start_and_menu_button(tmp_path: Path) -> None:
    async with web_chat(tmp_path, DESKTOP) as chat:
        page = chat.page
        await page.click("[data-persona=citizen]")
        await page.fill("#text", "/start")
        await page.press("#text", "Enter")
        menu = page.locator(".msg.bot", has_text="Menu utama")
        await menu.first.wait_for(timeout=WAIT)
        await menu.last.locator("button", has_text="Bantuan").click()
        await page.locator(".msg.bot", has_text="Bantuan SAPA").first.wait_for(timeout=WAIT)
        assert await page.locator(".msg.me", has_text="/start").count() == 1
        assert await chat.in_view("#send")
        await chat.shot("desktop-menu")
        # The browser's own favicon request finds one (a 404 would be in chat.failed too).
        async with aiohttp.ClientSession() as http, http.get(chat.url + "favicon.ico") as resp:
            assert resp.status == 200 and resp.content_type == "image/svg+xml"
            assert (await resp.read()).startswith(b"<svg")
        # The status box shows what /healthz and /metrics say: the two updates just handled.
        await page.click("#ops summary")
        status = page.locator("#opsbody")
        await status.get_by_text("terbaru / current").wait_for(timeout=WAIT)
        assert "leader" in await status.inner_text()
        await page.wait_for_function(
            "() => /pembaruan ditangani\\s*[2-9]/.test(document.getElementById('opsbody').innerText)", timeout=WAIT)


async def test_phone_report_with_photo_then_officer_sees_the_photo(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE) as chat:
        page = chat.page
        assert await chat.in_view("[data-persona=officer]")  # the picker is a top bar, not off-screen
        await chat.open("citizen")
        assert await chat.in_view("#send") and await chat.in_view("#text")
        assert "/lapor" in await chat.page.inner_text("#hint") and await chat.in_view("#hint")  # what to try
        await chat.say("/lapor")
        await chat.press("Pengaduan")
        await chat.bot("Tuliskan pengaduan Anda")
        await chat.say(DESCRIPTION)
        await chat.bot("Kirim foto pendukung")
        await page.set_input_files("#file", files=[{"name": "jalan.png", "mimeType": "image/png",
                                                    "buffer": png(PHOTO_WIDTH, 200)}])
        await chat.bot("Foto diterima")
        mine = page.locator(".msg.me img.photo").last
        await chat.image_loaded(".msg.me img.photo", PHOTO_WIDTH)
        await chat.press("Lanjut")
        await chat.bot("Di mana lokasinya")
        await page.click("#loc")
        await chat.press(re.compile("Pekerjaan Umum|PUPR"))
        await chat.bot("Pilih privasi laporan")
        await chat.press("Anonim")
        await chat.press("Kirim laporan")
        receipt = await chat.bot("BJB-")
        number = re.search(r"BJB-\d{4}-\d{6}", await receipt.inner_text())
        assert number
        # The citizen's own words wrap inside the phone's width, and markup stays text.
        said = page.locator(".msg.me", has_text=LONG_WORD).first
        assert "<b>bahaya</b>" in await said.inner_text()
        assert await chat.no_sideways_scroll()
        assert await chat.in_view("#send")
        await chat.shot("phone-citizen-report")

        await chat.open("officer")
        assert await page.locator(".msg.me").count() == 0  # not the citizen's messages
        await chat.say("/laporanmasuk")
        await chat.press(number.group(0))
        photo = page.locator(".msg.bot img.photo").last
        await photo.wait_for(timeout=WAIT)
        await chat.image_loaded(".msg.bot img.photo", PHOTO_WIDTH)
        card = page.locator(".msg.bot", has_text=number.group(0), has=page.locator("blockquote")).last
        quote = card.locator("blockquote").first
        box = await quote.bounding_box()
        assert box is not None and box["width"] > PHONE["width"] * 0.5, box  # not a letter per line
        await photo.scroll_into_view_if_needed()
        assert await chat.in_view(photo) and await chat.in_view("#send")
        assert await chat.no_sideways_scroll()
        await chat.shot("phone-officer-photo")

        # Back to the citizen: everything she said and pressed is still there, and after a reload.
        for _ in range(2):
            await chat.open("citizen")
            await page.locator(".msg.me", has_text="/lapor").first.wait_for(timeout=WAIT)
            assert await page.locator(".msg.me", has_text=LONG_WORD).count() == 1
            assert await page.locator(".msg.me", has_text="🔘").filter(has_text="Anonim").count() == 1
            assert await page.locator(".msg.me", has_text="📍").count() == 1
            await mine.wait_for(timeout=WAIT)
            await chat.image_loaded(".msg.me img.photo", PHOTO_WIDTH)
            await page.reload()
            await page.locator("[data-persona=citizen].active").wait_for(timeout=WAIT)  # the #citizen hash


@pytest.mark.parametrize("viewport", [NARROW_PHONE, DESKTOP], ids=["phone", "desktop"])
async def test_survey_question_stays_in_view_while_answering(tmp_path: Path, viewport: dict[str, int]) -> None:
    async with web_chat(tmp_path, viewport) as chat:
        page = chat.page
        await chat.open("citizen")
        await chat.say("/survei")
        await chat.press("Puskesmas Landasan Ulin Timur")
        for n in range(1, 10):
            question = await chat.bot(f"Pertanyaan {n} dari 9")
            assert await chat.in_view(question), f"question {n} is out of view"
            if n in (1, 5):
                await chat.shot(f"{'phone' if viewport is NARROW_PHONE else 'desktop'}-survey-q{n}")
            await question.locator("button", has_text=re.compile(r"^4 ·")).click()
            # The answer shows as the person's own bubble, quoting the question it answers.
            await page.locator(".msg.me", has_text="🔘 4").nth(n - 1).wait_for(timeout=WAIT)
        assert await page.locator(".msg.bot", has_text="Pertanyaan").count() == 1  # edited in place
        await chat.press("Lewati")
        await chat.bot("Terima kasih")
        assert await page.locator(".msg.me", has_text="🔘 4").count() == 9
        assert await chat.in_view("#send") and await chat.no_sideways_scroll()
        await chat.shot(f"{'phone' if viewport is NARROW_PHONE else 'desktop'}-survey-done")


async def test_phone_hr_gets_the_counter_qr_code_as_a_document(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE) as chat:
        await chat.open("hr")
        # HR's "what to try" is long: two lines on a phone, all of it a tap away, two lines again.
        hint = chat.page.locator("#hint")
        short = (await hint.bounding_box())["height"]
        await hint.click()
        assert (await hint.bounding_box())["height"] > 2 * short and "/umumkan" in await hint.inner_text()
        await hint.click()
        assert (await hint.bounding_box())["height"] == short < 50
        await chat.say("/ikm")
        await chat.press("Puskesmas Landasan Ulin Timur")
        await chat.press("Kode QR loket")
        qr = await chat.bot("Kode QR survei")
        link = qr.locator("a.doc")
        await link.wait_for(timeout=WAIT)
        name = await link.get_attribute("download")
        assert name and name.endswith(".png") and name in await link.inner_text()
        assert re.search(r"\d+(\.\d)? (B|KB)", await link.inner_text())  # its size
        await chat.image_loaded(".msg.bot img.photo")
        async with aiohttp.ClientSession() as http, http.get(
                chat.url.rstrip("/") + await link.get_attribute("href")) as resp:
            assert resp.status == 200 and await resp.read()
            assert resp.headers["Content-Disposition"].startswith("attachment;")
        await chat.shot("phone-hr-qr")
        assert await chat.in_view(qr) and await chat.in_view("#send")
