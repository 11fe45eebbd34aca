"""The sandbox web chat in a real headless Chromium: pick a persona, /start, press a menu button."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from tests.e2e import sapa_process, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.browser]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (.ci/run installs it)")
async def test_web_chat_persona_start_and_menu_button(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    port = _free_port()
    env = {"SAPA_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'sandbox.db'}",
           "SAPA_SANDBOX_LISTEN": f"127.0.0.1:{port}"}
    async with sapa_process(["sandbox"], env, tmp_path / "sandbox.log") as proc:
        await wait_until(lambda: _answers(port) or proc.returncode is not None, 60, "the sandbox to listen")
        assert proc.returncode is None, (tmp_path / "sandbox.log").read_text()
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=FLAGS,
                                               env={"HOME": str(tmp_path)})
            try:
                page = await browser.new_page()
                await page.goto(f"http://127.0.0.1:{port}/")
                await page.click("[data-persona=citizen]")
                await page.fill("#text", "/start")
                await page.press("#text", "Enter")
                menu = page.locator(".msg.bot", has_text="Menu utama")
                await menu.first.wait_for(timeout=30_000)
                await menu.last.locator("button", has_text="Bantuan").click()
                await page.locator(".msg.bot", has_text="Bantuan SAPA").first.wait_for(timeout=30_000)
                assert await page.locator(".msg.me", has_text="/start").count() == 1
                await page.screenshot(path=str(tmp_path / "sandbox.png"))
            finally:
                await browser.close()
    log = (tmp_path / "sandbox.log").read_text()
    assert "Traceback" not in log, log
