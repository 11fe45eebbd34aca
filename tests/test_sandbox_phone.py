"""The sandbox as a phone user sees it (390 × 844): every control big enough for a finger, the
chat keeping the screen; an edited message staying where it is; a stale button answered by a
pop-up; photos opening large; /commands in the bot's messages tappable; Nur Aisyah's activation
code on the page, linking her; and HR's charts as wide as the chat bubble."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_emulator import png
from tests.test_sandbox_browser import PHONE, WAIT, pytestmark, web_chat  # noqa: F401 - the same marks and skips

NUR = "199512202023212004"
# Every visible thing a finger taps, with its size.
CONTROLS = """() => [...document.querySelectorAll(
    'button, .persona, #bar label, #text, #ops summary, .msg a.cmd')]
  .filter(e => e.offsetParent !== null && !e.closest('#hint'))
  .map(e => { const r = e.getBoundingClientRect();
              return {what: (e.id || e.className || e.tagName) + ' ' + e.textContent.trim().slice(0, 20),
                      tag: e.tagName, id: e.id || (e.tagName === 'LABEL' ? 'attach' : ''),
                      inline: !!e.closest('.msg'), width: r.width, height: r.height}; })"""


async def _small_controls(page) -> list[dict]:  # noqa: ANN001
    small = []
    for c in await page.evaluate(CONTROLS):
        if c["tag"] == "A":
            continue  # a command inside a line of text, as Telegram shows it
        if c["height"] < 44 or (c["id"] in ("loc", "send", "attach") and c["width"] < 44):
            small.append(c)
    return small


async def test_the_sandbox_on_a_phone(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE) as chat:
        page = chat.page
        await chat.open("citizen")
        # The persona bar, the title and the hint leave the rest of the 844 px to the chat.
        top = await page.evaluate("() => document.getElementById('hint').getBoundingClientRect().bottom")
        assert top <= 124, top
        assert await chat.in_view("[data-persona=officer]") and await chat.in_view("[data-persona=superadmin]")
        # Nur Aisyah's activation code is on the page (her persona's hint), not only in the terminal.
        code = re.search(r"\b([A-HJ-KM-NP-Z2-9]{8})\b", await page.inner_text("#hint"))
        assert code, await page.inner_text("#hint")
        await chat.say("/start")
        await chat.bot("Menu utama")
        assert await _small_controls(page) == []
        await chat.shot("phone-menu")

        # A stale button: the pop-up says so and the chat stays as it is (no new message, no menu).
        await chat.say("/lapor")
        await chat.bot("Pilih jenisnya")
        await chat.say("/lapor")
        await page.locator(".msg.bot", has_text="Pilih jenisnya").nth(1).wait_for()
        bots = await page.locator(".msg.bot").count()
        await page.locator(".msg.bot .kb button", has_text="Pengaduan").first.click()
        toast = page.locator("#toast.shown")
        await toast.wait_for()
        assert "tidak berlaku" in await toast.inner_text()
        assert await page.locator(".msg.bot").count() == bots
        await chat.shot("phone-stale-toast")
        await chat.say("/batal")
        await chat.bot("dibatalkan")

        # A photo opens large on a tap, and a tap closes it.
        await page.set_input_files("#file", files=[{"name": "jalan.png", "mimeType": "image/png",
                                                    "buffer": png(320, 200)}])
        await chat.image_loaded(".msg.me img.photo", 320)
        await page.locator(".msg.me img.photo").last.click()
        viewer = page.locator("#viewer img")
        await viewer.wait_for()
        box = await viewer.bounding_box()
        assert box and box["width"] >= PHONE["width"] - 2, box  # the screen's width, not the bubble's
        await chat.shot("phone-photo-large")
        await page.locator("#viewer").click()
        await page.locator("#viewer").wait_for(state="hidden")
        await chat.say("/batal")
        await chat.bot("dibatalkan")

        # /commands in the bot's words can be tapped: they are sent.
        await chat.say("/bantuan")
        help_text = await chat.bot("Bantuan SAPA")
        await help_text.locator("a.cmd", has_text=re.compile(r"^/aduanku$")).first.click()
        await page.locator(".msg.me", has_text="/aduanku").wait_for()
        await chat.bot("laporan")

        # An edited message stays where it was sent, and the one being answered stays in view.
        await chat.say("/survei")
        await chat.press("Puskesmas Landasan Ulin Timur")
        for n in range(1, 4):
            question = await chat.bot(f"Pertanyaan {n} dari 9")
            assert await chat.in_view(question), n
            await question.locator("button", has_text=re.compile(r"^4 ·")).click()
            await page.locator(".msg.me", has_text="🔘 4").nth(n - 1).wait_for()
        question = await chat.bot("Pertanyaan 4 dari 9")
        assert await chat.in_view(question)
        follows = await question.evaluate("e => [...Array(3)].map((_, i) => { e = e.nextElementSibling;"
                                          " return e && e.className; })")
        assert follows == ["msg me"] * 3, follows  # the three answers below it, as on Telegram
        assert await _small_controls(page) == []
        await chat.shot("phone-survey-in-place")
        await chat.say("/batal")

        # The code from the page links Nur Aisyah's record; the reply keyboard is big enough too.
        await chat.say("/tautkan")
        await chat.bot("NIP")
        await chat.say(NUR)
        contact = page.locator("#replykb button").first
        await contact.wait_for()
        assert await _small_controls(page) == []
        await contact.click()
        await chat.bot("kode aktivasi")
        await chat.say(code.group(1))
        await chat.bot("Akun tertaut")

        # HR's charts fill the bubble's width, however tall (they were capped at 340 px high).
        await chat.open("hr")
        await chat.say("/statistik")
        await chat.press("Grafik")
        await chat.bot("grafik untuk")  # the demo month may have only the JP chart to draw
        await page.locator(".msg.bot img.photo").first.wait_for()
        await page.wait_for_function("() => [...document.querySelectorAll('.msg.bot img.photo')]"
                                     ".every(i => i.complete && i.naturalWidth > 0)")
        for img in await page.locator(".msg.bot img.photo").all():
            box, bubble = await img.bounding_box(), await img.evaluate(
                "e => e.closest('.msg').getBoundingClientRect().width")
            assert box and box["width"] >= bubble - 24, (box, bubble)  # the bubble's padding aside
        await chat.shot("phone-hr-charts")
