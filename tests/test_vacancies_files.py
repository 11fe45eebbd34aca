"""Issue 15: a vacancy document is judged by its bytes, not by its name or the type the client
reports. Siti sends files through the real router; each is downloaded after the update and kept
only when it is what it claims (PDF `%PDF-`, JPEG `FF D8 FF`, PNG's signature), not empty and
not bigger than the limit as downloaded. The correction path goes through the same step."""

from __future__ import annotations

from db.models import AuditLog, VacancyDocument
from services import files
from tests.harness import conversation_state
from tests.test_vacancies_admin_review import rows, siti_applies
from tests.test_vacancies_corrections import hr_rejects_the_letter, snapshot
from tests.test_vacancies_flows import counts, linked

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(17)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(8) + b"\xff\xd9"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(48)  # a Windows program's header


def test_sniffing_knows_the_three_formats_and_nothing_else():
    assert [files.sniff(b) for b in (PDF, PNG, JPEG)] == [files.PDF, files.PNG, files.JPEG]
    for other in (EXE, b"", b"%PDF", b"%pdf-1.4", b"\xff\xd8", b"\x89PNG", b"PK\x03\x04", b" %PDF-1.4"):
        assert files.sniff(other) is None, other


async def _at_the_letter(person):
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Lamar")
    await siti.press("Ya, lamar")
    assert "Kirim sekarang: <b>Surat lamaran</b>" in siti.last_text()
    return siti


async def test_a_renamed_program_an_empty_file_and_a_lie_about_size_are_refused(person, app, channel):
    siti = await _at_the_letter(person)
    await siti.send_document("ijazah.pdf", EXE, mime="application/pdf")
    assert "Berkas ini bukan PDF" in siti.last_text() and "Tidak disimpan" in siti.last_text()
    assert "Daftar dokumen" in " ".join(siti.last_labels())  # the way back to the checklist
    await siti.send_document("kosong.pdf", b"", mime="application/pdf")
    assert "Berkas ini kosong (0 byte)" in siti.last_text()
    # An image named .pdf is an accepted format, but not what it claims: HR would get a "PDF" that is not.
    await siti.send_document("lamaran.pdf", PNG, mime="application/octet-stream")
    assert "Berkas ini bukan PDF" in siti.last_text()
    # Telegram said 1 KB; the download is 21 MB.
    await siti.send_document("besar.pdf", b"%PDF-1.4" + bytes(21 * 1024 * 1024), size=1024, mime="application/pdf")
    assert "Berkas terlalu besar (22 MB). Maksimal 20 MB." in siti.last_text()
    assert await counts(app) == (1, 0)  # nothing attached
    assert (await conversation_state(app, siti.user_id))[0] == "vac.docs"  # still at the letter
    assert len(channel.downloads) == 4  # each was fetched and looked at
    await siti.send_document("lamaran.pdf", PDF, mime="application/pdf")
    assert "✅ Surat lamaran tersimpan" in siti.all_text()
    assert "Kirim sekarang: <b>SK pangkat terakhir</b>" in siti.last_text()
    # "PDF or image": a PNG sent as a file with no useful type is kept as the PNG its bytes are.
    await siti.send_document("sk.png", PNG, mime="application/octet-stream")
    assert "Kirim sekarang: <b>Pas foto</b>" in siti.last_text()
    await siti.send_photo(EXE)  # a "photo" whose bytes are no image
    assert "Berkas ini bukan gambar JPEG atau PNG" in siti.last_text()
    await siti.send_document("foto.jpg", PDF, mime="image/jpeg")
    assert "bukan gambar JPEG atau PNG" in siti.last_text()
    await siti.send_photo(JPEG)
    assert "Semua dokumen lengkap" in siti.last_text()
    stored = [(d.code, d.name, d.size, d.mime) for d in await rows(app, VacancyDocument)]
    assert stored == [("lamaran", "lamaran.pdf", len(PDF), "application/pdf"),
                      ("sk_pangkat", "sk.png", len(PNG), "image/png"),
                      ("foto", "photo.jpg", len(JPEG), "image/jpeg")]


async def test_a_type_refused_by_its_name_is_not_even_downloaded(person, app, channel):
    siti = await _at_the_letter(person)
    await siti.send_document("lamaran.docx", b"PK\x03\x04", mime="application/msword")
    assert "tidak diterima" in siti.last_text()
    await siti.send_document("besar.pdf", b"%PDF-1.4", size=30 * 1024 * 1024, mime="application/pdf")
    assert "terlalu besar (30 MB)" in siti.last_text()
    assert channel.downloads == []


async def test_a_failed_download_keeps_nothing_and_says_to_send_again(person, app, channel):
    siti = await _at_the_letter(person)

    async def gone(file_id: str) -> bytes:
        raise RuntimeError("Bad Request: wrong file identifier")

    channel.download = gone  # type: ignore[method-assign]
    await siti.send_document("lamaran.pdf", PDF, mime="application/pdf")
    assert "tidak dapat saya ambil dari Telegram" in siti.last_text() and "RuntimeError" not in siti.all_text()
    assert await counts(app) == (1, 0) and (await conversation_state(app, siti.user_id))[0] == "vac.docs"


async def test_english_speakers_are_told_what_was_expected(person, app):
    siti = await _at_the_letter(person)
    siti.language_code = "en"
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", siti.user_id)
        u.locale = "en"
        await uow.commit()
    await siti.send_document("ijazah.pdf", EXE, mime="application/pdf")
    assert "This file is not a PDF" in siti.last_text()


async def test_a_correction_gets_the_same_check(person, app, channel, clock):
    siti = await siti_applies(person)
    await hr_rejects_the_letter(person, app, channel)
    clock.advance(hours=1)
    await siti.press("Kirim perbaikan")
    before = await snapshot(app)
    await siti.send_document("lamaran-baru.pdf", EXE, mime="application/pdf")
    assert "Berkas ini bukan PDF" in siti.last_text() and "Batal" in " ".join(siti.last_labels())
    await siti.send_document("lamaran-baru.pdf", b"", mime="application/pdf")
    assert "kosong (0 byte)" in siti.last_text()
    assert await snapshot(app) == before
    assert not await rows(app, AuditLog, AuditLog.action == "vacancy.document_corrected")
    assert (await conversation_state(app, siti.user_id))[0] == "vac.docs"
    await siti.send_document("lamaran-baru.pdf", PDF, mime="application/pdf")
    assert "Berkas pengganti untuk <b>Surat lamaran</b> tersimpan" in siti.last_text()
    letter = (await rows(app, VacancyDocument))[0]
    assert (letter.name, letter.size, letter.mime, letter.review) == ("lamaran-baru.pdf", len(PDF), "application/pdf",
                                                                      None)


async def test_three_files_picked_at_once_fill_three_items_in_order(person, app, channel):
    """Telegram sends files chosen together as quick separate messages: each must be checked before
    the next is read, or the second would be taken for the item the first has not yet filled."""
    import asyncio

    siti = await _at_the_letter(person)
    await asyncio.gather(siti.send_document("lamaran.pdf", PDF, mime="application/pdf"),
                         siti.send_document("sk.png", PNG, mime="image/png"),
                         siti.send_document("foto.jpg", JPEG, mime="image/jpeg"))
    assert "Semua dokumen lengkap" in siti.last_text()
    stored = [(d.code, d.name) for d in await rows(app, VacancyDocument)]
    assert stored == [("lamaran", "lamaran.pdf"), ("sk_pangkat", "sk.png"), ("foto", "foto.jpg")]
    assert "bukan" not in siti.all_text()  # nothing refused for being sent to the wrong item
