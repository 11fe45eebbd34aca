"""What a vacancy's applicants XLSX is built from: every application, and each stage's results.
The handler (handlers/vacancies/admin/sheet.py) words it in HR's language and writes the file."""

from __future__ import annotations

import re
from dataclasses import dataclass

from db.uow import UnitOfWork
from services.users import Person
from services.vacancies import review
from services.vacancies.manage import AdminVacancy


@dataclass(frozen=True)
class ApplicantsFile:
    vacancy: AdminVacancy
    rows: tuple[review.ApplicantRow, ...]
    stages: tuple[review.StageSheet, ...]  # in the vacancy's order

    @property
    def filename(self) -> str:
        # The code is HR's own text: only what is safe in a file name on every system stays.
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", self.vacancy.code).strip("-") or "lowongan"
        return f"pelamar-{safe}.xlsx"


async def applicants_file(uow: UnitOfWork, actor: Person, vacancy_id: int) -> ApplicantsFile:
    """Every application, then per stage each submitted applicant's result, score and revision."""
    vacancy, rows = await review.applicants(uow, actor, vacancy_id)  # checks the role
    stages = tuple([await review.stage_sheet(uow, actor, s.id) for s in vacancy.stages])
    return ApplicantsFile(vacancy, tuple(rows), stages)
