"""Perbaikan berkas in the sandbox's web chat at a 400 px phone width: Siti applies with files, HR
rejects her photo, Siti replaces it from the notice, HR sees it marked as corrected."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_emulator import png
from tests.test_sandbox_browser import pytestmark, web_chat  # noqa: F401 - the same marks and skips

PHONE_400 = {"width": 400, "height": 820}
PDF = b"%PDF-1.4\n%demo\n"


async def test_siti_replaces_a_rejected_file_at_phone_width(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE_400) as chat:
        page = chat.page

        async def upload(name: str, mime: str, content: bytes) -> None:
            await page.set_input_files("#file", files=[{"name": name, "mimeType": mime, "buffer": content}])

        await chat.open("asn")
        await chat.link("199001052015032002")  # Siti
        await chat.say("/lowongan")
        await chat.press("Perawat Ahli Muda")
        await chat.press(re.compile(r"^\W*Lamar$"))
        await chat.press("Ya, lamar")
        await chat.bot("Surat lamaran")
        await upload("lamaran.pdf", "application/pdf", PDF)
        await chat.bot("SK pangkat")
        await upload("sk.png", "image/png", png(300, 200))
        await chat.bot("Pas foto")
        await upload("foto.png", "image/png", png(200, 300))
        await chat.press("Kirim lamaran")
        await chat.bot("terkirim")

        await chat.open("hr")
        await chat.say("/kelolaseleksi")
        await chat.press("Perawat Ahli Muda")
        await chat.press(re.compile(r"^\W*Pelamar$"))
        await chat.press("Siti Rahmawati")
        await chat.bot("dokumen 3/3")
        await chat.press(re.compile(r"^\W*Tolak$"))  # the newest button: the photo's
        await chat.bot("alasan penolakan")
        await chat.say("Buram <b>&</b> tidak terbaca 🙁")
        await chat.bot("ditolak; pelamar diberi tahu")

        await chat.open("asn")
        notice = await chat.bot("Buram <b>&</b> tidak terbaca")  # as typed, not as markup
        assert "berkas pengganti" in await notice.inner_text()
        await chat.shot("asn-document-rejected-400")
        assert await chat.no_sideways_scroll()
        await chat.press("Kirim perbaikan")
        await chat.bot("Perbaikan berkas")
        await chat.say("ini bukan berkas")
        await chat.bot("Kirim penggantinya sebagai berkas")
        await upload("foto-jelas.png", "image/png", png(240, 320))
        saved = await chat.bot("Berkas pengganti untuk")
        assert "menunggu pemeriksaan ulang" in await saved.inner_text()
        await chat.shot("asn-document-corrected-400")
        assert await chat.no_sideways_scroll() and await chat.in_view("#send")

        await chat.open("hr")
        await chat.say("/kelolaseleksi")
        await chat.press("Perawat Ahli Muda")
        await chat.press(re.compile(r"^\W*Pelamar$"))
        await chat.bot("1 diperbaiki")
        await chat.press("Siti Rahmawati")
        card = await chat.bot(re.compile(r"⏳ Pas foto — [^\n]*diperbaiki"))  # waiting for a fresh look
        assert "NIP 199001052015032002" in await card.inner_text()
        await chat.shot("hr-document-corrected-400")
        assert await chat.no_sideways_scroll()
