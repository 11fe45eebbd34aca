"""HR calls a training off in the sandbox's web chat at a 400 px phone width. Ahmad (HR) holds a seat
in it himself once his chat is linked to his record, so the notice with the reason reaches this chat."""

from __future__ import annotations

from pathlib import Path

from tests.test_sandbox_browser import pytestmark, web_chat  # noqa: F401 - the same marks and skips

PHONE_400 = {"width": 400, "height": 820}


async def test_hr_calls_a_training_off_at_phone_width(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE_400) as chat:
        await chat.open("hr")
        await chat.link("198503122010011001")  # Ahmad's own record
        await chat.say("/kelolapelatihan PP-2026-01")
        await chat.bot("Pelayanan Prima")
        await chat.press("Batalkan pelatihan")
        await chat.bot("Ketik alasannya")
        assert await chat.no_sideways_scroll()
        await chat.say("🙂")
        await chat.bot("Alasan harus 3–300 karakter")
        await chat.say("Ruang <rapat> & aula dipakai pelantikan 🙏")
        confirm = await chat.bot("Ruang <rapat> & aula dipakai pelantikan")  # as typed, not as markup
        assert "diberi tahu" in await confirm.inner_text()
        await chat.shot("hr-call-off-confirm-400")
        assert await chat.in_view(chat.page.locator(".msg.bot .kb button", has_text="Ya, batalkan pelatihan").last)
        await chat.press("Ya, batalkan pelatihan")
        done = await chat.bot("Pelatihan dibatalkan;")
        assert "Dibatalkan" in await done.inner_text() or "dibatalkan" in await done.inner_text()
        await chat.shot("hr-call-off-done-400")
        assert await chat.no_sideways_scroll()

        told = await chat.bot("BKPSDM membatalkan")
        assert "Ruang <rapat> & aula dipakai pelantikan" in await told.inner_text()
        await chat.shot("asn-called-off-400")
        assert await chat.no_sideways_scroll() and await chat.in_view("#send")
