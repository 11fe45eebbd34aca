"""The XLSX files HR downloads speak HR's language: the sheet's name, the headers and every
status word, times in the deployment's zone named in the header; never a stored code."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from db.models.training import Enrolment
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
