"""The XLSX files HR downloads speak HR's language: the sheet's name, the headers and every
status word, times in the deployment's zone named in the header; never a stored code."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import VacancyApplication, VacancyResult, VacancyStage
from db.models.training import Enrolment
from services.complaints.rules import ComplaintKind, Privacy, Status
from tests.statistics_seed import MARCH, seed_month
from tests.test_vacancies_admin_review import siti_applies
from tests.training_helpers import AHMAD, BUDI, NUR, SITI, training

HR_TG = 700003
TRAINING_CODES = {"seat", "waiting", "attended", "cancelled"}

PARTICIPANTS = {
    "id": ("Peserta RUN-2", ("No", "NIP", "Nama", "OPD", "Golongan", "Jabatan", "PNS/PPPK", "Status",
                             "Posisi tunggu", "Mendaftar (WITA)", "JP"),
           ["terdaftar", "hadir", "daftar tunggu", "batal"]),
    "en": ("Participants RUN-2", ("No.", "NIP", "Name", "Agency", "Grade (golongan)", "Position", "PNS/PPPK",
                                  "Status", "Waiting list position", "Signed up (WITA)", "JP (lesson hours)"),
           ["registered", "attended", "waiting list", "cancelled"]),
}


def _cells(wb) -> list[object]:
    return [v for ws in wb.worksheets for row in ws.iter_rows(min_row=2, values_only=True) for v in row]


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_training_participants_in_hrs_language(app, person, lang):
    async with app.db.uow() as uow:
        t = await training(uow, app.clock(), "RUN-2", days=-1, quota=2, closes_in=timedelta(days=-2), jp=12)
        for i, (nip, status) in enumerate(((SITI, "seat"), (AHMAD, "attended"), (BUDI, "waiting"),
                                           (NUR, "cancelled"))):
            emp = await uow.employees.by_nip(nip)
            uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=emp.id, status=status,
                                                  queued_at=app.clock() - timedelta(days=5 - i)))
        await uow.commit()
    hr = person(HR_TG, "Ahmad", language_code=lang)
    await hr.say("/start")
    await hr.press_data(f"tra:x:{t.id}")
    doc = hr.messages()[-1].reply.attachment
    assert doc.filename == "peserta-RUN-2-20261123.xlsx"
    wb = load_workbook(io.BytesIO(doc.content))
    title, head, statuses = PARTICIPANTS[lang]
    ws = wb.active
    rows = list(ws.iter_rows(values_only=True))
    assert ws.title == title and rows[0] == head
    assert [r[7] for r in rows[1:]] == statuses
    assert [r[10] for r in rows[1:]] == [0, 12, 0, 0]  # JP only for who attended
    assert rows[3][8] == 1  # first on the waiting list
    assert rows[1][9].isoformat() == "2026-11-18T10:00:00"  # 02:00 UTC read in WITA
    # "attended" is also the English word; "seat" and "waiting" are only codes.
    assert not (TRAINING_CODES - set(statuses)) & set(_cells(wb))


VACANCY_CODES = {"draft", "submitted", "withdrawn", "lulus", "tidak_lulus", "menunggu"}
APPLICANTS = {
    "id": (["Pelamar", "1. Pengumuman dan pendaftaran", "2. Seleksi administrasi", "3. Uji kompetensi",
            "4. Wawancara"],
           ("No", "Nama", "NIP", "OPD", "Status lamaran", "Dikirim pada (WITA)", "Dokumen ada", "Dokumen wajib",
            "Dokumen lengkap", "Dokumen ditolak", "Dokumen diperbaiki"),
           ("No", "Nama", "NIP", "OPD", "Masih ikut", "Hasil", "Nilai", "Revisi", "Dokumen lengkap", "Diumumkan"),
           ("Dikirim", "Ya"), [("Ya", "Lulus", "Ya", "Tidak"), ("Ya", "Menunggu", "Ya", "Tidak")]),
    "en": (["Applicants", "1. Announcement and registratio", "2. Administrative check", "3. Competency test",
            "4. Interview"],
           ("No.", "Name", "NIP", "Agency", "Application status", "Submitted (WITA)", "Documents in",
            "Documents required", "Documents complete", "Documents rejected", "Documents corrected"),
           ("No.", "Name", "NIP", "Agency", "Still in the running", "Result", "Score", "Revision",
            "Documents complete", "Announced"),
           ("Submitted", "Yes"), [("Yes", "Passed", "Yes", "No"), ("Yes", "Pending", "Yes", "No")]),
}


@pytest.mark.parametrize("lang", ["id", "en"])
async def test_vacancy_applicants_in_hrs_language(app, person, lang):
    await siti_applies(person)
    async with app.db.uow() as uow:
        (application,) = (await uow.session.execute(select(VacancyApplication))).scalars()
        stages = (await uow.session.execute(select(VacancyStage).where(
            VacancyStage.vacancy_id == application.vacancy_id).order_by(VacancyStage.position))).scalars().all()
        uow.session.add_all([VacancyResult(application_id=application.id, stage_id=stages[0].id, status="lulus",
                                           score=80.0, revision=1),
                             VacancyResult(application_id=application.id, stage_id=stages[1].id, status="menunggu",
                                           score=None, revision=1)])
        await uow.commit()
    hr = person(HR_TG, "Ahmad", language_code=lang)
    await hr.say("/start")
    await hr.press_data(f"vaa:x:{application.vacancy_id}")
    wb = load_workbook(io.BytesIO(hr.messages()[-1].reply.attachment.content))
    names, head, stage_head, applicant, results = APPLICANTS[lang]
    assert wb.sheetnames == names
    rows = list(wb.worksheets[0].iter_rows(values_only=True))
    assert rows[0] == head and (rows[1][4], rows[1][8]) == applicant
    for ws, words in zip(wb.worksheets[1:3], results, strict=True):
        stage_rows = list(ws.iter_rows(values_only=True))
        assert stage_rows[0] == stage_head
        assert (stage_rows[1][4], stage_rows[1][5], stage_rows[1][8], stage_rows[1][9]) == words
    assert not VACANCY_CODES & set(_cells(wb))


async def test_statistics_exports_in_english_with_the_zone_named(app, person):
    await seed_month(app, person)
    hr = person(HR_TG, "Ahmad", language_code="en")
    await hr.press_data(f"stats:x:reports:{MARCH.token}")
    doc = next(s for s in reversed(hr.messages()) if s.reply.attachment is not None)
    wb = load_workbook(io.BytesIO(doc.reply.attachment.content))
    head = [c.value for c in wb.active[1]]
    assert wb.active.title == "Reports"
    assert head[:7] == ["Number", "Filed (WITA)", "Kind", "Status", "Agency", "Privacy", "Reporter"]
    assert [head[i] for i in (9, 10, 13, 14)] == ["Response due (WITA)", "First response (WITA)", "Answered (WITA)",
                                                 "Closed (WITA)"]
    codes = {str(v) for v in (*Status, *ComplaintKind, *Privacy)}
    assert not codes & set(_cells(wb))
    await hr.press_data(f"stats:x:survey:{MARCH.token}")
    doc = next(s for s in reversed(hr.messages()) if s.reply.attachment is not None)
    ws = load_workbook(io.BytesIO(doc.reply.attachment.content)).active
    assert ws.title == "Survey answers" and [c.value for c in ws[1]][:4] == ["Date", "Unit code", "Service unit",
                                                                            "Agency"]
