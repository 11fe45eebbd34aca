"""HR opens an applicant's file through the real process and the emulator: the bot sends back the
file Siti uploaded by its Telegram file id (a document as a document, never re-uploaded bytes)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import User, live_sapa, seeded_sqlite, wait_until

pytestmark = pytest.mark.e2e


async def test_hr_opens_sitis_uploaded_file(tmp_path: Path) -> None:
    url = await seeded_sqlite(tmp_path / "sapa.db")
    env = {"SAPA_DATABASE_URL": url, "SAPA_TIMEZONE": "Asia/Makassar"}
    async with live_sapa(tmp_path, env) as emu:
        siti = User(emu, 700002, first_name="Siti")
        await siti.say("/tautkan")
        await siti.say("199001052015032002")
        await siti.share_contact("+6281234500002")
        await siti.say("/lowongan")
        await siti.press("Perawat Ahli Muda")
        await siti.press("Lamar")
        await siti.press("Ya, lamar")
        await siti.send_document("lamaran-siti.pdf", b"%PDF-1.4 siti", "application/pdf")
        await siti.send_document("sk.pdf", b"%PDF-1.4", "application/pdf")
        await siti.send_document("foto.jpg", b"\xff\xd8\xff", "image/jpeg")
        assert "terkirim" in await siti.press("Kirim lamaran")

        hr = User(emu, 700003, first_name="Ahmad")
        await hr.say("/kelolaseleksi")
        await hr.press("Perawat Ahli Muda")
        await hr.press("Pelamar")
        assert "dokumen 3/3" in hr.last_text()
        await hr.press("Siti Rahmawati")
        await hr.press("Surat lamaran")
        sent = [m for m in emu.sent(700003) if m.get("document")]
        assert sent and sent[-1]["document"].get("file_name") == "lamaran-siti.pdf", sent[-1:]
        await hr.press("Tolak")
        await hr.say("Belum ditandatangani")
        assert "ditolak" in hr.last_text()
        await wait_until(lambda: any("Belum ditandatangani" in t for t in siti.texts()), 20, "the rejection notice")
        assert emu.bad_requests == []  # the file id was one the emulator knew
