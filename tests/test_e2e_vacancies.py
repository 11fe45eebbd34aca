"""The application life cycle through the real `sapa` process and the emulator, on both engines:
documents travel as Telegram documents (the transport differs between aiogram and PTB), and a
stage announcement made by HR arrives as a pushed notice."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.database import open_database
from services.clock import utc_now
from services.users import person_from_row
from services.vacancies import selection
from services.vacancies.dto import LULUS
from tests.e2e import User, live_sapa, seeded_sqlite, wait_until

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("engine", ["aiogram", "ptb"])
async def test_siti_applies_with_documents_and_is_told_a_stage_result(tmp_path: Path, engine: str) -> None:
    url = await seeded_sqlite(tmp_path / "sapa.db")
    env = {"SAPA_ENGINE": engine, "SAPA_DATABASE_URL": url, "SAPA_TIMEZONE": "Asia/Makassar"}
    async with live_sapa(tmp_path, env) as emu:
        siti = User(emu, 700002, first_name="Siti")
        assert "Tautkan dulu" in await siti.say("/lowongan")
        await siti.say("/tautkan")
        await siti.say("199001052015032002")
        await siti.share_contact("+6281234500002")
        listing = await siti.say("/lowongan")
        assert "Lowongan terbuka (2)" in listing
        assert "golongan Anda: III/b; minimal IV/a" in await siti.press("Kepala Dinas")
        await siti.press("Daftar lowongan")
        await siti.press("Perawat Ahli Muda")
        await siti.press("Lamar")
        assert "Surat lamaran" in await siti.press("Ya, lamar")
        assert "terlalu besar (30 MB)" in await siti.send_document(
            "lamaran.pdf", b"%PDF", "application/pdf", declared_size=30 * 1024 * 1024)
        assert "tidak diterima" in await siti.send_document("lamaran.docx", b"PK", "application/msword")
        # Judged by the bytes the bot downloads from the Bot API, not by the name or the type.
        assert "bukan PDF" in await siti.send_document("ijazah.pdf", b"MZ\x90\x00" + bytes(60), "application/pdf")
        assert "kosong (0 byte)" in await siti.send_document("kosong.pdf", b"", "application/pdf")
        assert "SK pangkat terakhir" in await siti.send_document("lamaran.pdf", b"%PDF-1.4", "application/pdf")
        assert "Pas foto" in await siti.send_document("sk.pdf", b"%PDF-1.4", "application/pdf")
        assert "Semua dokumen lengkap" in await siti.send_document("foto.jpg", b"\xff\xd8\xff", "image/jpeg")
        assert "terkirim" in await siti.press("Kirim lamaran")

        db = open_database(url)
        try:
            async with db.uow() as uow:
                hr = person_from_row(await uow.users.by_external("telegram", 700003))
                v = await uow.vacancies.by_code("JF-DINKES-2026-01")
                [app] = await uow.vacancies.applicants(v.id)
                stage = (await uow.vacancies.stages([v.id]))[v.id][0]
                await selection.record_result(uow, hr, app[0].id, stage.id, LULUS, 91.5, now=utc_now())
                await selection.publish_stage(uow, hr, stage.id, now=utc_now())
                await uow.commit()
        finally:
            await db.dispose()
        await wait_until(lambda: any("sudah diumumkan" in t for t in siti.texts()), 20, "the stage notice")
        assert any("lulus (nilai 91,5)" in t for t in siti.texts())
        assert "(Anda)" in await siti.press("Lihat pengumuman")
        assert emu.bad_requests == []
