"""A vacancy's applicants as an XLSX file for HR: one sheet of applicants (with files rejected, and
files corrected but not yet looked at again), one sheet per stage.

Typed columns through services.xlsx (numbers stay numbers, dates stay dates, a name that starts
like a formula stays text). The file is built off the event loop.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import tzinfo

from db.uow import UnitOfWork
from services.users import Person
from services.vacancies import review
from services.vacancies.dto import LULUS, MENUNGGU, TIDAK_LULUS
from services.xlsx import Column, Sheet, workbook

STATUS = {"draft": "Draf", "submitted": "Dikirim", "withdrawn": "Ditarik"}
RESULT = {LULUS: "Lulus", TIDAK_LULUS: "Tidak lulus", MENUNGGU: "Menunggu"}
APPLICANT_COLUMNS = (
    Column("No", "int"), Column("Nama"), Column("NIP"), Column("OPD"), Column("Status lamaran"),
    Column("Dikirim pada", "datetime"), Column("Dokumen ada", "int"), Column("Dokumen wajib", "int"),
    Column("Dokumen lengkap"), Column("Dokumen ditolak", "int"), Column("Dokumen diperbaiki", "int"),
)
STAGE_COLUMNS = (
    Column("No", "int"), Column("Nama"), Column("NIP"), Column("OPD"), Column("Masih ikut"), Column("Hasil"),
    Column("Nilai", "float"), Column("Revisi", "int"), Column("Dokumen lengkap"), Column("Diumumkan"),
)


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    applicants: int


def _yes(value: bool) -> str:
    return "Ya" if value else "Tidak"


async def applicants_xlsx(uow: UnitOfWork, actor: Person, vacancy_id: int, *, tz: tzinfo) -> Export:
    """Every application, then per stage each submitted applicant's result, score and revision."""
    vacancy, rows = await review.applicants(uow, actor, vacancy_id)  # checks the role
    sheets = [Sheet("Pelamar", APPLICANT_COLUMNS, [
        (i, r.name, r.nip, r.agency, STATUS.get(r.status, r.status), r.submitted_at, r.docs_have, r.docs_needed,
         _yes(r.complete), r.docs_rejected, r.docs_corrected) for i, r in enumerate(rows, 1)])]
    for stage in vacancy.stages:
        sheet = await review.stage_sheet(uow, actor, stage.id)
        # Excel refuses []:*?/\ in a sheet's name; the position keeps the names unique.
        title = re.sub(r"[\[\]:*?/\\]", " ", f"{stage.position}. {stage.name}")[:31]
        sheets.append(Sheet(title, STAGE_COLUMNS, [
            (i, r.name, r.nip, r.agency, _yes(r.in_running),
             RESULT.get(r.result.status, r.result.status) if r.result else None,
             r.result.score if r.result else None, r.result.revision if r.result else None,
             _yes(r.docs_complete), _yes(stage.published)) for i, r in enumerate(sheet.rows, 1)]))
    content = await asyncio.to_thread(workbook, sheets, tz=tz)
    safe = re.sub(r"[^A-Za-z0-9_-]+", "-", vacancy.code).strip("-") or "lowongan"
    return Export(f"pelamar-{safe}.xlsx", content, len(rows))
