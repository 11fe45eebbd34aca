"""Perbaikan berkas: HR rejects one of Siti's submitted files and she sends a replacement — from the
rejection notice or from /lamaranku —, only for a rejected file, only her own, only before closing.
Driven through the router as Siti and HR press and type; DB, outbox and replies asserted."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import func, select

from db.models import AuditLog, OutboxMessage, VacancyApplication, VacancyDocument
from handlers.vacancies.admin.views import document_reviewed
from services.vacancies.notices import DocumentReviewed
from tests.harness import conversation_state
from tests.test_complaints_flows import assert_valid_html, deliver
from tests.test_vacancies_admin_review import HR, open_applicant, rows, siti_applies
from tests.test_vacancies_flows import linked

NUR, RINA = 700010, 1001
REASON = "Buram <b>&</b> tidak terbaca 🙁"


async def snapshot(app) -> list[tuple]:
    """Every file as stored: what a refused correction must leave alone."""
    return [(d.id, d.file_id, d.name, d.review, d.review_reason, d.corrected_at)
            for d in await rows(app, VacancyDocument)]


async def outbox_count(app) -> int:
    async with app.db.uow() as uow:
        return (await uow.session.execute(select(func.count(OutboxMessage.id)))).scalar_one()


async def hr_rejects_the_letter(person, app, channel, reason: str = REASON):
    """HR rejects Siti's "Surat lamaran" with `reason` and the notice reaches her."""
    hr = person(HR, "Ahmad")
    await open_applicant(hr)
    await hr.press("Tolak")  # the first file's: Surat lamaran
    await hr.say(reason)
    assert "ditolak" in hr.last_text()
    await deliver(app, channel)
    return hr


async def test_siti_corrects_a_rejected_file_from_the_notice(person, app, channel, clock):
    siti = await siti_applies(person)
    hr = await hr_rejects_the_letter(person, app, channel)
    notice = siti.last_text()
    assert "ditolak" in notice and "Buram &lt;b&gt;&amp;&lt;/b&gt; tidak terbaca" in notice
    assert "berkas pengganti selama pendaftaran masih dibuka" in notice
    assert "📤 Kirim perbaikan" in siti.last_labels()
    letter = (await rows(app, VacancyDocument))[0]
    old_file = letter.file_id
    clock.advance(hours=2)

    await siti.press("Kirim perbaikan")
    prompt = siti.last_text()
    assert "Perbaikan berkas" in prompt and "<b>Surat lamaran</b>" in prompt
    assert "Alasan: Buram &lt;b&gt;&amp;&lt;/b&gt;" in prompt and "PDF" in prompt and "20 MB" in prompt
    assert notice in siti.all_text()  # answered in a new message: the notice stays readable
    before, queued = await snapshot(app), await outbox_count(app)

    # Bad input: the step stays, nothing changes.
    for text in ("<b>ini teks</b> & 🙂", "\x00\x01", " "):
        await siti.say(text)
        assert "Kirim penggantinya sebagai berkas" in siti.last_text() and "Batal" in " ".join(siti.last_labels())
    await siti.send_document("besar.pdf", b"%PDF-1.4", size=30 * 1024 * 1024, mime="application/pdf")
    assert "terlalu besar (30 MB)" in siti.last_text()
    await siti.send_document("lamaran.docx", b"PK", mime="application/msword")
    assert "tidak diterima" in siti.last_text() and "PDF" in siti.last_text()
    await siti.send_photo()  # the letter is PDF only
    assert "tidak diterima" in siti.last_text()
    assert await snapshot(app) == before
    assert (await conversation_state(app, siti.user_id))[0] == "vac.docs"

    await siti.send_document("lamaran <b>&</b> jelas.pdf", b"%PDF-1.7", mime="application/pdf")
    done = siti.last_text()
    assert "Berkas pengganti untuk <b>Surat lamaran</b> tersimpan" in done
    assert "Surat lamaran: diperbaiki, menunggu pemeriksaan ulang" in done
    assert "Perbaiki:" not in " ".join(siti.last_labels())
    assert (await conversation_state(app, siti.user_id))[0] is None

    fixed = (await rows(app, VacancyDocument))[0]
    assert fixed.id == letter.id and fixed.file_id != old_file and fixed.name == "lamaran <b>&</b> jelas.pdf"
    assert (fixed.review, fixed.review_reason, fixed.reviewed_by) == (None, None, None)
    assert fixed.corrected_at == clock()
    (application,) = await rows(app, VacancyApplication)
    assert application.status == "submitted"
    (audit,) = await rows(app, AuditLog, AuditLog.action == "vacancy.document_corrected")
    assert audit.target == f"application:{application.id}" and audit.details["document"] == letter.id
    assert audit.details["before"]["file_id"] == old_file and audit.details["before"]["review"] == "rejected"
    assert audit.details["before"]["reason"] == REASON
    assert audit.details["after"] == {"file_id": fixed.file_id, "name": fixed.name, "size": 8,
                                      "mime": "application/pdf", "review": None}
    assert await outbox_count(app) == queued  # HR is not pinged: the desk shows it

    # HR sees it as corrected, in the list and on the card, and reviews the new file.
    await hr.say("/kelolaseleksi")
    await hr.press("Perawat Ahli Muda")
    await hr.press("Pelamar")
    assert "dokumen 3/3 (1 diperbaiki)" in hr.last_text()
    await hr.press("Siti Rahmawati")
    card = hr.last_text()
    line = next(x for x in card.splitlines() if "Surat lamaran" in x)
    assert line.startswith("⏳") and "diperbaiki" in line and "jelas.pdf" in line and "alasan" not in line
    await hr.press_data(f"vaa:x:{application.vacancy_id}")  # the XLSX counts it as corrected, to look at
    sheet = load_workbook(io.BytesIO(hr.messages()[-1].reply.attachment.content))["Pelamar"]
    head, siti_row = list(sheet.iter_rows(values_only=True))
    assert head[-2:] == ("Dokumen ditolak", "Dokumen diperbaiki") and siti_row[-2:] == (0, 1)
    await hr.press_data(f"vaa:ap:{application.id}")
    await hr.press("📄 Surat lamaran")
    assert hr.messages()[-1].reply.attachment.file_id == fixed.file_id
    await hr.press_data(f"vaa:da:{letter.id}")
    assert "diterima" in hr.last_text() and "diperbaiki" in hr.last_text()  # the mark stays after the review
    await deliver(app, channel)
    assert "diterima" in siti.last_text() and "Kirim perbaikan" not in " ".join(siti.last_labels())

    # The old notice's button now: accepted, locked.
    snap = await snapshot(app)
    await siti.press_data(f"vac:fx:{letter.id}")
    assert "sudah diterima panitia" in siti.last_text() and "Tidak ada yang diubah" in siti.last_text()
    assert await snapshot(app) == snap
    assert_valid_html(channel)


async def test_from_lamaranku_cancel_and_stale_buttons(person, app, channel, clock):
    siti = await siti_applies(person)
    await hr_rejects_the_letter(person, app, channel, "Tidak bertanda tangan")
    letter, sk, foto = await rows(app, VacancyDocument)
    clock.advance(minutes=5)
    await siti.say("/lamaranku")
    await siti.press("Perawat Ahli Muda")
    screen = siti.last_text()
    assert "❌ Surat lamaran: ditolak — Tidak bertanda tangan" in screen
    assert "⏳ SK pangkat terakhir: belum diperiksa" in screen and "⏳ Pas foto: belum diperiksa" in screen
    assert "dapat Anda perbaiki selama pendaftaran masih dibuka" in screen
    assert [x for x in siti.last_labels() if "Perbaiki" in x] == ["🔁 Perbaiki: Surat lamaran"]

    # Cancel: the question is over, a file sent afterwards goes nowhere.
    await siti.press("Perbaiki: Surat lamaran")
    assert "Kirim berkas penggantinya" in siti.last_text()
    await siti.press("Batal")
    assert "Status lamaran" in siti.last_text()
    assert (await conversation_state(app, siti.user_id))[0] is None
    before = await snapshot(app)
    await siti.send_document("lamaran.pdf", b"%PDF-1.4", mime="application/pdf")
    assert await snapshot(app) == before

    # Buttons for files that were not rejected (forged or stale): refused, nothing changed.
    await siti.press_data(f"vac:fx:{sk.id}")
    assert "dokumen ini belum diperiksa" in siti.last_text() and "Tidak ada yang diubah" in siti.last_text()
    assert await snapshot(app) == before

    # The correction itself, from the screen.
    await siti.press("Lamaranku")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Perbaiki: Surat lamaran")
    await siti.send_document("lamaran-ttd.pdf", b"%PDF-1.4 signed", mime="application/pdf")
    assert "tersimpan" in siti.last_text()
    # The same button again: the correction waits for its review, the new file stays.
    snap = await snapshot(app)
    await siti.press_data(f"vac:fx:{letter.id}")
    assert "sudah terkirim dan menunggu pemeriksaan" in siti.last_text()
    assert await snapshot(app) == snap
    assert len(await rows(app, AuditLog, AuditLog.action == "vacancy.document_corrected")) == 1
    assert_valid_html(channel)


async def test_a_second_file_after_the_correction_is_not_a_second_correction(person, app, channel, clock):
    """A double send (two files in a row in the correction step): the first is the correction, the
    question is over, the second is a file outside any flow."""
    siti = await siti_applies(person)
    await hr_rejects_the_letter(person, app, channel)
    clock.advance(minutes=1)
    await siti.press("Kirim perbaikan")
    await siti.send_document("a.pdf", b"%PDF-a", mime="application/pdf")
    await siti.send_document("b.pdf", b"%PDF-b", mime="application/pdf")
    letter = (await rows(app, VacancyDocument))[0]
    assert letter.name == "a.pdf"
    assert len(await rows(app, AuditLog, AuditLog.action == "vacancy.document_corrected")) == 1


async def test_hr_accepts_while_siti_is_in_the_correction_step(person, app, channel, clock):
    siti = await siti_applies(person)
    hr = await hr_rejects_the_letter(person, app, channel)
    letter = (await rows(app, VacancyDocument))[0]
    await siti.press("Kirim perbaikan")
    await hr.press_data(f"vaa:da:{letter.id}")  # HR changes their mind meanwhile
    before = await snapshot(app)
    await siti.send_document("lamaran.pdf", b"%PDF-1.4", mime="application/pdf")
    assert "sudah diterima panitia" in siti.last_text()
    assert await snapshot(app) == before
    assert (await conversation_state(app, siti.user_id))[0] is None


async def test_after_closing_the_button_says_registration_is_closed(person, app, channel, clock):
    siti = await siti_applies(person)
    await hr_rejects_the_letter(person, app, channel)
    letter = (await rows(app, VacancyDocument))[0]
    # Closing while she is in the step: the file is refused.
    await siti.press("Kirim perbaikan")
    clock.advance(days=22)
    before = await snapshot(app)
    await siti.send_document("lamaran.pdf", b"%PDF-1.4", mime="application/pdf")
    assert "sudah ditutup" in siti.last_text()
    assert (await conversation_state(app, siti.user_id))[0] is None
    # The notice's button after closing.
    await siti.press("Kirim perbaikan")
    assert "Pendaftaran lowongan ini sudah ditutup" in siti.last_text()
    assert (await conversation_state(app, siti.user_id))[0] is None
    # The application screen says so and offers no button.
    await siti.say("/lamaranku")
    await siti.press("Perawat Ahli Muda")
    assert "tidak dapat diperbaiki lagi" in siti.last_text()
    assert not [x for x in siti.last_labels() if "Perbaiki" in x]
    assert await snapshot(app) == before
    assert not await rows(app, AuditLog, AuditLog.action == "vacancy.document_corrected")
    assert letter.review == "rejected"
    assert_valid_html(channel)


async def test_other_people_and_forged_buttons(person, app, channel):
    await siti_applies(person)
    await hr_rejects_the_letter(person, app, channel)
    letter = (await rows(app, VacancyDocument))[0]
    before = await snapshot(app)
    # Another civil servant with Siti's document id, and ids that do not exist.
    other = await linked(person, NUR, "Nur", "199512202023212004", "6281234500004")
    for data in (f"vac:fx:{letter.id}", "vac:fx:999999", "vac:fx:0"):
        await other.press_data(data)
        assert "Lamaran tidak ditemukan" in other.last_text(), data
    for data in ("vac:fx", "vac:fx:x", f"vac:fx:{letter.id}:1", "vac:fx:" + "9" * 40, "vac:fx:-1<b>"):
        assert "tidak berlaku" in await other.press_stale(data), data
    # HR (no civil-servant record linked here) and a citizen are asked to link first.
    for who in (person(HR, "Ahmad"), person(RINA, "Rina")):
        await who.press_data(f"vac:fx:{letter.id}")
        assert "Tautkan dulu" in who.last_text()
    # Nobody else's file lands on Siti's application, whatever they send next.
    await other.send_document("palsu.pdf", b"%PDF-1.4", mime="application/pdf")
    assert await snapshot(app) == before
    assert not await rows(app, AuditLog, AuditLog.action == "vacancy.document_corrected")
    assert_valid_html(channel)


async def test_a_withdrawn_application_is_not_corrected(person, app, channel):
    siti = await siti_applies(person)
    await hr_rejects_the_letter(person, app, channel)
    letter = (await rows(app, VacancyDocument))[0]
    await siti.say("/lamaranku")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Tarik lamaran")
    await siti.press("Ya, tarik lamaran")
    before = await snapshot(app)
    await siti.press_data(f"vac:fx:{letter.id}")
    assert "sudah ditarik" in siti.last_text()
    assert await snapshot(app) == before


async def test_a_drafts_rejected_file_opens_the_checklist(person, app, channel):
    """HR may look at a draft's files too; there every file may still change, so the notice's button
    opens that item of the checklist as usual (no correction mark, no audit of a correction)."""
    siti = await linked(person)
    await siti.say("/lowongan")
    await siti.press("Perawat Ahli Muda")
    await siti.press("Lamar")
    await siti.press("Ya, lamar")
    await siti.send_document("lamaran.pdf", b"%PDF-1.4", mime="application/pdf")
    letter = (await rows(app, VacancyDocument))[0]
    hr = person(HR, "Ahmad")
    await hr.press_data(f"vaa:dr:{letter.id}")
    await hr.say("Kurang tanda tangan")
    await deliver(app, channel)
    await siti.press("Kirim perbaikan")
    assert "Kirim sekarang: <b>Surat lamaran</b>" in siti.last_text()
    await siti.send_document("lamaran-2.pdf", b"%PDF-1.5", mime="application/pdf")
    assert "✅ Surat lamaran tersimpan" in siti.last_text()
    fixed = (await rows(app, VacancyDocument))[0]
    assert (fixed.name, fixed.review, fixed.corrected_at) == ("lamaran-2.pdf", None, None)
    assert not await rows(app, AuditLog, AuditLog.action == "vacancy.document_corrected")


async def test_in_english_and_an_old_notice_without_the_button(person, app, channel, clock):
    siti = await siti_applies(person)
    await siti.say("/bahasa en")
    await hr_rejects_the_letter(person, app, channel)
    assert "was rejected" in siti.last_text() and "📤 Send a correction" in siti.last_labels()
    clock.advance(minutes=1)
    await siti.press("Send a correction")
    assert "Document correction" in siti.last_text() and "at most 20 MB" in siti.last_text()
    await siti.say("hello")
    assert "Send the replacement as a file or photo" in siti.last_text()
    await siti.send_document("letter.pdf", b"%PDF-1.4", mime="application/pdf")
    assert "The replacement for <b>Surat lamaran</b> is saved" in siti.last_text()
    assert "corrected, awaiting review" in siti.last_text()
    # A row queued before notices carried the document id still renders, without the button.
    old = DocumentReviewed.from_params({"application_id": 1, "jabatan": "X", "label": "KTP", "accepted": False,
                                        "reason": "buram"})
    reply = document_reviewed("id", old)
    assert "ditolak" in reply.text and all("perbaikan" not in b.text for row in reply.buttons for b in row)
    assert_valid_html(channel)
