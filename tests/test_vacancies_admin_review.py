"""HR reviews Siti's application end to end: her files (opened, rejected with a reason, accepted), a
stage's result and score, the announcement, a correction after it, and the XLSX of applicants."""

from __future__ import annotations

import io
from datetime import datetime

from openpyxl import load_workbook
from sqlalchemy import select

from db.models import (
    AuditLog,
    OutboxMessage,
    VacancyApplication,
    VacancyDocument,
    VacancyResult,
    VacancyStage,
)
from tests.test_complaints_flows import assert_valid_html, deliver
from tests.test_vacancies_flows import linked

HR, SITI = 700003, 700002


async def rows(app, model, *where):
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(model).where(*where).order_by(model.id))).scalars())


async def siti_applies(person):
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Lamar")
    await siti.press("Ya, lamar")
    await siti.send_document("lamaran.pdf", b"%PDF-1.4", mime="application/pdf")
    await siti.send_photo()  # SK pangkat (PDF or image)
    await siti.send_photo()  # pas foto
    await siti.press("Kirim lamaran")
    assert "terkirim" in siti.last_text()
    return siti


async def open_applicant(hr) -> None:
    await hr.say("/kelolaseleksi")
    await hr.press("Perawat Ahli Muda")
    assert "1 dikirim" in hr.last_text()
    await hr.press("Pelamar")
    assert "Siti Rahmawati" in hr.last_text() and "dokumen 3/3" in hr.last_text()
    await hr.press("Siti Rahmawati")
    card = hr.last_text()  # the heading says "Dokumen" once: not "Dokumen dokumen 3/3"
    assert "<b>Dokumen</b> 3/3" in card and "dokumen dokumen" not in card.lower()


async def test_hr_opens_rejects_and_accepts_files_and_siti_is_told(person, app, channel):
    siti = await siti_applies(person)
    hr = person(HR, "Ahmad")
    await open_applicant(hr)
    assert sum(1 for line in hr.last_text().splitlines() if line.startswith("⏳") and " — " in line) == 3
    docs = await rows(app, VacancyDocument)
    await hr.press("📄 Surat lamaran")
    sent = hr.messages()[-1].reply.attachment
    assert sent is not None and (sent.kind, sent.file_id) == ("document", docs[0].file_id)
    await hr.press("📄 Pas foto")
    sent = hr.messages()[-1].reply.attachment
    assert (sent.kind, sent.file_id) == ("photo", docs[2].file_id)  # a photo's id only goes back as a photo
    await hr.press("Tolak")
    assert "alasan penolakan" in hr.last_text()
    for bad in ("\x00", " ", "z" * 5000):
        await hr.say(bad)
        assert "Alasan harus" in hr.last_text()
    assert (await rows(app, VacancyDocument))[0].review is None
    await hr.say("Tidak bertanda tangan <b>&</b> buram")
    assert "ditolak" in hr.last_text() and "&lt;b&gt;&amp;&lt;/b&gt;" in hr.last_text()
    await hr.press_data(f"vaa:da:{docs[1].id}")
    assert "diterima" in hr.last_text()
    await hr.press_data(f"vaa:da:{docs[1].id}")  # the same verdict again: nothing new
    reviewed = await rows(app, VacancyDocument)
    assert [(d.review, d.review_reason) for d in reviewed] == [
        ("rejected", "Tidak bertanda tangan <b>&</b> buram"), ("accepted", None), (None, None)]
    audit = await rows(app, AuditLog, AuditLog.action == "vacancy.document_reviewed")
    assert [a.details["after"]["review"] for a in audit] == ["rejected", "accepted"]
    assert audit[0].details["before"] == {"review": None, "reason": None}
    assert len(await rows(app, OutboxMessage, OutboxMessage.template == "vac.doc_review")) == 2
    await deliver(app, channel)
    told = [s.text for s in siti.messages()[-2:]]
    assert "ditolak" in told[0] and "Alasan: Tidak bertanda tangan &lt;b&gt;&amp;&lt;/b&gt; buram" in told[0]
    assert "diterima" in told[1]
    assert_valid_html(channel)


async def test_results_announcement_correction_and_export(person, app, channel):
    siti = await siti_applies(person)
    hr = person(HR, "Ahmad")
    await hr.say("/kelolaseleksi")
    await hr.press("Perawat Ahli Muda")
    await hr.press("Tahapan & hasil")
    await hr.press("Pengumuman dan pendaftaran")
    assert "1 pelamar belum punya hasil" in hr.last_text()
    await hr.press("Siti Rahmawati")
    await hr.press("Lulus")
    for bad in ("abc", "-1", "1e9", "101", "<b>&", "😀", "nan", "85,555"):
        await hr.say(bad)
        assert "Nilai harus angka 0–100" in hr.last_text(), bad
    assert not await rows(app, VacancyResult)
    await hr.say("85,5")
    assert "Hasil dicatat" in hr.last_text() and "lulus (nilai 85,5)" in hr.last_text()
    (result,) = await rows(app, VacancyResult)
    assert (result.status, result.score, result.revision) == ("lulus", 85.5, 1)
    assert not await rows(app, OutboxMessage, OutboxMessage.template == "vac.result")  # not announced yet

    await hr.press("Umumkan hasil tahap ini")
    assert "0 belum punya hasil" in hr.last_text()
    await hr.press("Ya, umumkan")
    assert "1 pemberitahuan" in hr.last_text() and "Sudah diumumkan" in hr.last_text()
    stage = (await rows(app, VacancyStage, VacancyStage.id == result.stage_id))[0]
    assert stage.published_at is not None
    await hr.press_data(f"vaa:spy:{stage.id}")
    assert "sudah diumumkan" in hr.last_text()
    await deliver(app, channel)
    assert "sudah diumumkan" in siti.last_text() and "85,5" in siti.last_text()

    # The XLSX while the result stands: typed cells, one sheet per stage.
    await hr.press_data(f"vaa:x:{stage.vacancy_id}")
    x = hr.messages()[-1].reply.attachment
    assert x is not None and x.kind == "document" and x.filename == "pelamar-JF-DINKES-2026-01.xlsx"
    wb = load_workbook(io.BytesIO(x.content))
    assert wb.sheetnames == ["Pelamar", "1. Pengumuman dan pendaftaran", "2. Seleksi administrasi",
                             "3. Uji kompetensi", "4. Wawancara"]
    head, siti_row = list(wb["Pelamar"].iter_rows(values_only=True))
    assert head[:6] == ("No", "Nama", "NIP", "OPD", "Status lamaran", "Dikirim pada (WITA)")
    assert siti_row[:5] == (1, "Siti Rahmawati, S.Kep.", "199001052015032002", "Dinas Kesehatan", "Dikirim")
    assert isinstance(siti_row[5], datetime) and siti_row[6:] == (3, 3, "Ya", 0, 0)
    head, row = list(wb["1. Pengumuman dan pendaftaran"].iter_rows(values_only=True))
    assert head == ("No", "Nama", "NIP", "OPD", "Masih ikut", "Hasil", "Nilai", "Revisi", "Dokumen lengkap",
                    "Diumumkan")
    assert row == (1, "Siti Rahmawati, S.Kep.", "199001052015032002", "Dinas Kesehatan", "Ya", "Lulus", 85.5, 1,
                   "Ya", "Ya")
    assert wb["1. Pengumuman dan pendaftaran"]["G2"].data_type == "n"
    assert list(wb["2. Seleksi administrasi"].iter_rows(values_only=True))[1][5:8] == (None, None, None)

    # A correction after the announcement: a reason, audited, Siti told.
    await hr.press_data(f"vaa:sg:{stage.id}")
    await hr.press("Siti Rahmawati")
    assert "sudah diumumkan" in hr.last_text() and "koreksi" in hr.last_text()
    await hr.press("Tidak lulus")
    await hr.press("Tanpa nilai")
    assert "alasan koreksi" in hr.last_text()
    for bad in ("\x00\x00", "a"):
        await hr.say(bad)
        assert "Alasan harus" in hr.last_text()
    await hr.say("Salah input: berkas <b>tidak</b> lengkap")
    assert "Koreksi dicatat" in hr.last_text() and "koreksi ke-2" in hr.last_text()
    (result,) = await rows(app, VacancyResult)
    assert (result.status, result.score, result.revision) == ("tidak_lulus", None, 2)
    (audit,) = await rows(app, AuditLog, AuditLog.action == "vacancy.result_corrected")
    assert audit.details["old"] == {"status": "lulus", "score": 85.5} and "Salah input" in audit.details["reason"]
    await deliver(app, channel)
    assert "dikoreksi" in siti.last_text() and "tidak lulus" in siti.last_text().lower()

    await hr.press_data(f"vaa:x:{stage.vacancy_id}")
    wb = load_workbook(io.BytesIO(hr.messages()[-1].reply.attachment.content))
    row = list(wb["1. Pengumuman dan pendaftaran"].iter_rows(values_only=True))[1]
    assert row[5:8] == ("Tidak lulus", None, 2)
    assert list(wb["2. Seleksi administrasi"].iter_rows(values_only=True))[1][4] == "Tidak"  # out of the running
    assert_valid_html(channel)


async def test_forged_ids_of_another_vacancy_record_nothing(person, app):
    await siti_applies(person)
    hr = person(HR, "Ahmad")
    (application,) = await rows(app, VacancyApplication)
    other = [s for s in await rows(app, VacancyStage) if s.vacancy_id != application.vacancy_id]
    for data in (f"vaa:g:{other[0].id}:{application.id}", f"vaa:gs:{other[0].id}:{application.id}:1",
                 f"vaa:g:{other[0].id}:999999", "vaa:g:999999:1", "vaa:ap:999999", "vaa:f:999999", "vaa:da:999999",
                 "vaa:dr:999999", "vaa:c:999999", "vaa:x:999999", "vaa:sg:999999", "vaa:spy:999999"):
        await hr.press_data(data)
        assert "tidak ditemukan" in hr.last_text(), (data, hr.last_text())
    for data in ("vaa:g:x:1", "vaa:gs:1:1:2", "vaa:c:" + "9" * 40, "vaa:da"):
        assert "tidak berlaku" in await hr.press_stale(data), data
    await hr.press_data("vaa:ns")  # no question open: the feature's own "expired" answer
    assert "tidak berlaku" in hr.last_text()
    assert not await rows(app, VacancyResult)
    assert not await rows(app, AuditLog, AuditLog.action.like("vacancy.result%"))


async def test_a_correction_that_changes_nothing_tells_nobody(person, app, channel):
    await siti_applies(person)
    hr = person(HR, "Ahmad")
    (application,) = await rows(app, VacancyApplication)
    stage = (await rows(app, VacancyStage, VacancyStage.vacancy_id == application.vacancy_id))[0]
    await hr.press_data(f"vaa:gs:{stage.id}:{application.id}:1")
    await hr.say("70")
    await hr.press_data(f"vaa:spy:{stage.id}")
    outbox = len(await rows(app, OutboxMessage))
    await hr.press_data(f"vaa:gs:{stage.id}:{application.id}:1")
    await hr.say("70")
    await hr.say("Periksa ulang")
    assert "tidak ada yang diubah" in hr.last_text()
    assert len(await rows(app, OutboxMessage)) == outbox
    assert not await rows(app, AuditLog, AuditLog.action == "vacancy.result_corrected")
    assert (await rows(app, VacancyResult))[0].revision == 1


async def test_the_desk_in_english_and_in_hrs_menu(person, app):
    hr = person(HR, "Ahmad", language_code="en")
    await hr.say("/start")
    assert any("Manage selection" in label for label in hr.last_labels())
    await hr.press("Manage selection")
    assert "Open selection" in hr.last_text()
    await hr.press("Perawat Ahli Muda")
    assert "Applications: 0 submitted" in hr.last_text()
    await hr.press("Vacancies")
    await hr.press("New vacancy")
    assert "Step 1 of 13" in hr.last_text()
    await hr.say("<b>&")
    assert "The code must be" in hr.last_text()
    assert_valid_html(hr.channel)


async def test_leaving_a_question_and_announcing_too_early(person, app):
    await siti_applies(person)
    hr = person(HR, "Ahmad")
    await open_applicant(hr)
    await hr.press("Tolak")
    await hr.say("/kelolaseleksi")  # elsewhere: the reason's question is over
    await hr.say("ini bukan alasan")
    assert all(d.review is None for d in await rows(app, VacancyDocument))
    (application,) = await rows(app, VacancyApplication)
    first, second = (await rows(app, VacancyStage, VacancyStage.vacancy_id == application.vacancy_id))[:2]
    await hr.press_data(f"vaa:spy:{second.id}")
    assert "Umumkan dulu tahap sebelumnya" in hr.last_text() and "Belum diumumkan" in hr.last_text()
    await hr.press_data(f"vaa:spy:{first.id}")
    assert "1 pelamar belum punya hasil lulus/tidak lulus" in hr.last_text()
    assert all(s.published_at is None for s in await rows(app, VacancyStage))
    assert not await rows(app, OutboxMessage, OutboxMessage.template == "vac.result")
