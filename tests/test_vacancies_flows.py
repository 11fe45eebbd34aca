"""`/lowongan` and `/lamaranku` as Siti meets them, bad input included (harness, both databases)."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import func, select

from db.models import VacancyApplication, VacancyDocument
from services.users import person_from_row
from services.vacancies import selection
from services.vacancies.dto import LULUS
from tests.test_complaints_flows import assert_valid_html, deliver

SITI, RINA, AHMAD = 700002, 1001, 700003


async def linked(person, user_id=SITI, name="Siti", nip="199001052015032002", phone="6281234500002"):
    p = person(user_id, name)
    await p.say("/tautkan")
    await p.say(nip)
    await p.share_contact(phone)
    assert "Akun tertaut" in p.all_text()
    return p


async def counts(app) -> tuple[int, int]:
    async with app.db.uow() as uow:
        apps = (await uow.session.execute(select(func.count(VacancyApplication.id)))).scalar_one()
        docs = (await uow.session.execute(select(func.count(VacancyDocument.id)))).scalar_one()
        return apps, docs


async def test_before_linking_every_entry_offers_the_link(person, app):
    rina = person(RINA, "Rina")
    for step in ("/lowongan", "/lamaranku"):
        await rina.say(step)
        assert "Tautkan dulu" in rina.last_text() and "🪪 Tautkan akun ASN" in rina.last_labels()
    await rina.press_data("vac:v:1")
    assert "Tautkan dulu" in rina.last_text()
    await rina.press_data("vac:ac:1")
    assert "tidak berlaku" in rina.last_text()
    await rina.press("Tautkan akun ASN")
    assert "NIP" in rina.last_text()
    assert await counts(app) == (0, 0)


async def test_siti_sees_both_vacancies_with_reasons(person, channel):
    siti = await linked(person)
    await siti.say("/lowongan")
    text = siti.last_text()
    assert "Lowongan terbuka (2)" in text and "✅ <b>Perawat Ahli Muda</b>" in text
    assert "❌ <b>Kepala Dinas Kesehatan (JPT Pratama)</b>" in text
    await siti.press("Kepala Dinas")
    card = siti.last_text()
    assert "golongan Anda: III/b; minimal IV/a" in card
    # Her SKP history is read (the demo rates her year before last "Butuh Perbaikan").
    assert re.search(r"kinerja \d{4}: Butuh Perbaikan; minimal Baik", card)
    assert "jabatan Anda: JF Ahli Pertama" in card or "jabatan Anda:" in card
    assert "Asesmen kompetensi manajerial dan sosial kultural" in card and "Tiga nama terbaik" in card
    assert "📝 Lamar" not in siti.last_labels()
    await siti.press_data("vac:a:2")  # forged "apply" for the one she does not meet
    assert "belum dapat melamar" in siti.last_text()
    assert_valid_html(channel)


async def test_application_life_cycle_with_bad_files(person, app, channel, clock):
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    assert "Anda memenuhi semua syarat" in siti.last_text()
    await siti.press("Lamar")
    assert "Lamar <b>Perawat Ahli Muda</b>" in siti.last_text()
    assert await counts(app) == (0, 0)  # nothing saved before "Ya, lamar"
    await siti.press("Ya, lamar")
    assert "Kirim sekarang: <b>Surat lamaran</b>" in siti.last_text()
    await siti.say("<b>ini teks</b> & 🙂\x00")
    assert "sebagai berkas" in siti.last_text()
    await siti.send_document("lamaran.docx", b"PK", mime="application/msword")
    assert "tidak diterima" in siti.last_text() and "PDF" in siti.last_text()
    await siti.send_document("besar.pdf", b"%PDF-1.4", size=30 * 1024 * 1024, mime="application/pdf")
    assert "terlalu besar (30 MB)" in siti.last_text()
    assert await counts(app) == (1, 0)
    await siti.send_document("lamaran <b>&.pdf", b"%PDF-1.4", mime="application/pdf")
    assert "✅ Surat lamaran tersimpan" in siti.all_text()
    assert "lamaran &lt;b&gt;&amp;.pdf" in siti.last_text()
    assert "Kirim sekarang: <b>SK pangkat terakhir</b>" in siti.last_text()
    await siti.send_photo(b"\xff\xd8\xffjpeg")  # a photo for "PDF or image"
    assert "Kirim sekarang: <b>Pas foto</b>" in siti.last_text()
    await siti.press_data("vac:s:1")  # submit before complete
    assert "masih kurang 1 dokumen" in siti.last_text()
    await siti.send_document("foto.png", b"\x89PNG\r\n\x1a\n", mime="image/png")
    assert "Semua dokumen lengkap" in siti.last_text()
    await siti.press("Ganti: Surat lamaran")  # replace one, then come back
    await siti.send_document("lamaran-2.pdf", b"%PDF-1.5", mime="application/pdf")
    assert "lamaran-2.pdf" in siti.last_text()
    await siti.press("Kirim lamaran")
    assert "terkirim" in siti.last_text()
    assert await counts(app) == (1, 3)
    # A second application, and a button from before.
    await siti.press_data("vac:a:1")
    assert "sudah mengirim lamaran" in siti.last_text()
    await siti.press_data("vac:ac:1")
    assert "tidak berlaku" in siti.last_text()
    assert await counts(app) == (1, 3)
    await siti.say("/lamaranku")
    assert "Perawat Ahli Muda" in siti.last_text() and "terkirim" in siti.last_text()
    await siti.press("Perawat Ahli Muda")
    # right after she applied: the first stage is under way, the rest ahead; nothing "pending" yet
    assert "⏳ 1. Pengumuman dan pendaftaran: sedang berjalan" in siti.last_text()
    assert "2. Seleksi administrasi: belum dimulai" in siti.last_text() and "menunggu" not in siti.last_text()
    # HR announces the first stage: Siti is told through the outbox, and sees her score.
    async with app.db.uow() as uow:
        hr = person_from_row(await uow.users.by_external("telegram", AHMAD)) if await uow.users.by_external(
            "telegram", AHMAD) else None
        assert hr is not None
        stage = (await uow.vacancies.stages([1]))[1][0]
        await selection.record_result(uow, hr, 1, stage.id, LULUS, 88, now=clock())
        await selection.publish_stage(uow, hr, stage.id, now=clock())
        await uow.commit()
    assert (SITI, "vac.result") in await deliver(app, channel)
    assert "Hasil Anda: <b>lulus (nilai 88)</b>" in siti.last_text()
    await siti.press("Lihat pengumuman")
    assert "Siti Rahmawati, S.Kep." in siti.last_text() and "(Anda)" in siti.last_text()
    await siti.press("Lamaranku")
    await siti.press("Perawat Ahli Muda")
    assert "Pengumuman dan pendaftaran: lulus (nilai 88)" in siti.last_text()
    # Withdraw asks first.
    await siti.press("Tarik lamaran")
    assert "Tarik lamaran <b>Perawat Ahli Muda</b>?" in siti.last_text()
    await siti.press("Ya, tarik lamaran")
    assert "ditarik" in siti.last_text()
    assert_valid_html(channel)


async def test_the_vacancy_closes_while_she_decides(person, app, clock):
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Lamar")
    clock.advance(days=22)  # past the JF vacancy's closing date
    await siti.press("Ya, lamar")
    assert "sudah ditutup" in siti.last_text() and "Tidak ada yang disimpan" in siti.last_text()
    assert await counts(app) == (0, 0)


async def test_closing_between_two_documents_keeps_nothing_half_done(person, app, clock):
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Lamar")
    await siti.press("Ya, lamar")
    await siti.send_document("lamaran.pdf", b"%PDF-1.4", mime="application/pdf")
    clock.advance(days=22)
    await siti.send_photo()
    assert "sudah ditutup" in siti.last_text()
    assert await counts(app) == (1, 1)


async def test_someone_elses_application_in_a_forged_button(person, app):
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Lamar")
    await siti.press("Ya, lamar")
    ahmad = await linked(person, AHMAD, "Ahmad", "198503122010011001", "6281234500001")
    for data in ("vac:t:1", "vac:d:1", "vac:di:1:0", "vac:s:1", "vac:w:1", "vac:wc:1"):
        await ahmad.press_data(data)
        assert "Lamaran tidak ditemukan" in ahmad.last_text(), data
    await ahmad.press_data("vac:di:1:99")
    await ahmad.press_data("vac:an:1")
    assert "Pengumuman tidak ditemukan" in ahmad.last_text()
    for data in ("vac:t:x", "vac:di:1", "vac:l:²", "vac:an:" + "9" * 40):
        assert "sudah tidak berlaku" in await ahmad.press_stale(data), data
    async with app.db.uow() as uow:
        app_row = await uow.session.get(VacancyApplication, 1)
        assert app_row.status == "draft"


async def test_in_english(person, channel, clock):
    siti = await linked(person)
    await siti.say("/bahasa en")
    await siti.say("/lowongan")
    await siti.press("Kepala Dinas")
    assert "your golongan: III/b; minimum IV/a" in siti.last_text()
    assert "Managerial and socio-cultural competency assessment" in siti.last_text()
    assert_valid_html(channel)


async def test_age_reason_names_the_closing_date(person, app, clock):
    async with app.db.uow() as uow:
        v = await uow.vacancies.by_code("JF-DINKES-2026-01")
        v.requirements = {**v.requirements, "max_age": 30}
        v.closes_at = clock() + timedelta(days=7)
        await uow.commit()
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    assert "umur Anda pada 30 Nov 2026: 36 tahun; batas 30" in siti.last_text()
