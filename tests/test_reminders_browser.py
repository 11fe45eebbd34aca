"""/pengingat in the sandbox's web chat at phone width (400 px): readable, nothing off-screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_sandbox_browser import CHROMIUM, web_chat

pytestmark = [pytest.mark.e2e, pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM, reason="Debian's chromium is not installed (.ci/run installs it)")]
PHONE = {"width": 400, "height": 800}


async def test_pengingat_at_phone_width(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE) as chat:
        await chat.open("asn")
        await chat.link("199001052015032002")  # Siti
        await chat.say("/pengingat")
        screen = await chat.bot("Pengingat Anda")
        await chat.shot("pengingat-phone")
        assert await chat.no_sideways_scroll()
        button = chat.page.locator(".msg.bot .kb button", has_text="Matikan: Pelatihan").last
        await button.scroll_into_view_if_needed()
        assert await chat.in_view(button)
        assert "Pengingat berikutnya" in await screen.inner_text()
        await chat.press("Matikan: Pelatihan")
        await chat.bot("dimatikan")
        await chat.shot("pengingat-switched")
        assert await chat.no_sideways_scroll()
