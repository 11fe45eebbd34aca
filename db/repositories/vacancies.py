"""Queries of the open selection; never commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select

from db.dialect import insert_ignore, lock_rows, upsert
from db.models import (
    Agency,
    Employee,
    Vacancy,
    VacancyApplication,
    VacancyDocument,
    VacancyResult,
    VacancyStage,
)
from db.repositories.base import Repo

# A new file has not been looked at: the review was of the old one.
_UNREVIEWED: dict[str, Any] = {"review": None, "review_reason": None, "reviewed_at": None, "reviewed_by": None}


class VacancyRepo(Repo):
    # --- vacancies and stages
    async def open_at(self, now: datetime) -> list[Vacancy]:
        stmt = (select(Vacancy).where(Vacancy.published_at.is_not(None), Vacancy.opens_at <= now,
                                      Vacancy.closes_at > now)
                .order_by(Vacancy.closes_at, Vacancy.id))
        return list((await self.session.execute(stmt)).scalars())

    async def get(self, vacancy_id: int) -> Vacancy | None:
        return await self.session.get(Vacancy, vacancy_id)

    async def by_code(self, code: str) -> Vacancy | None:
        return (await self.session.execute(select(Vacancy).where(Vacancy.code == code))).scalar_one_or_none()

    def add(self, row: Any) -> Any:
        self.session.add(row)
        return row

    async def stages(self, vacancy_ids: list[int]) -> dict[int, list[VacancyStage]]:
        out: dict[int, list[VacancyStage]] = {v: [] for v in vacancy_ids}
        if not vacancy_ids:
            return out
        stmt = (select(VacancyStage).where(VacancyStage.vacancy_id.in_(vacancy_ids))
                .order_by(VacancyStage.vacancy_id, VacancyStage.position))
        for s in (await self.session.execute(stmt)).scalars():
            out[s.vacancy_id].append(s)
        return out

    async def stage(self, stage_id: int, *, for_update: bool = False) -> VacancyStage | None:
        stmt = select(VacancyStage).where(VacancyStage.id == stage_id)
        if for_update:  # publishing and recording serialise on the stage row
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def agency_names(self, agency_ids: list[int]) -> dict[int, str]:
        if not agency_ids:
            return {}
        stmt = select(Agency.id, Agency.name).where(Agency.id.in_(agency_ids))
        return {i: n for i, n in (await self.session.execute(stmt)).all()}

    async def employee(self, employee_id: int) -> Employee | None:
        return await self.session.get(Employee, employee_id)

    # --- applications
    async def application(self, application_id: int, *, for_update: bool = False) -> VacancyApplication | None:
        stmt = select(VacancyApplication).where(VacancyApplication.id == application_id)
        if for_update:
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def application_for(self, vacancy_id: int, employee_id: int) -> VacancyApplication | None:
        stmt = select(VacancyApplication).where(VacancyApplication.vacancy_id == vacancy_id,
                                                VacancyApplication.employee_id == employee_id)
        return (await self.session.execute(lock_rows(self.dialect, stmt))).scalar_one_or_none()

    async def add_application(self, values: dict[str, Any]) -> VacancyApplication:
        """The person's application to a vacancy, made once: a double tap that races this one
        finds the row the other made instead of failing on the unique key."""
        await self.session.execute(insert_ignore(self.dialect, VacancyApplication, values))
        found = await self.application_for(values["vacancy_id"], values["employee_id"])
        assert found is not None
        return found

    async def applications_of(self, employee_id: int) -> list[VacancyApplication]:
        stmt = (select(VacancyApplication).where(VacancyApplication.employee_id == employee_id)
                .order_by(VacancyApplication.id.desc()))
        return list((await self.session.execute(stmt)).scalars())

    async def applicants(self, vacancy_id: int) -> list[tuple[VacancyApplication, Employee]]:
        """Submitted applications of a vacancy with their employees, by name."""
        stmt = (select(VacancyApplication, Employee).join(Employee, Employee.id == VacancyApplication.employee_id)
                .where(VacancyApplication.vacancy_id == vacancy_id, VacancyApplication.status == "submitted")
                .order_by(Employee.name, VacancyApplication.id))
        return [(a, e) for a, e in (await self.session.execute(stmt)).all()]

    # --- documents
    async def documents(self, application_ids: list[int]) -> dict[int, list[VacancyDocument]]:
        out: dict[int, list[VacancyDocument]] = {a: [] for a in application_ids}
        if not application_ids:
            return out
        stmt = (select(VacancyDocument).where(VacancyDocument.application_id.in_(application_ids))
                .order_by(VacancyDocument.id))
        for d in (await self.session.execute(stmt)).scalars():
            out[d.application_id].append(d)
        return out

    async def document(self, document_id: int) -> VacancyDocument | None:
        return (await self.session.execute(select(VacancyDocument).where(VacancyDocument.id == document_id))
                ).scalar_one_or_none()

    async def put_document(self, values: dict[str, Any]) -> None:
        """One file per checklist item: a second upload for the same item replaces the first (the same
        row, so its id stays) and clears its review, which was of the old file."""
        values = {**values, **_UNREVIEWED, "corrected_at": None}
        await self.session.execute(upsert(self.dialect, VacancyDocument, values, ["application_id", "code"],
                                          ["file_id", "name", "size", "mime", "uploaded_at", *_UNREVIEWED,
                                           "corrected_at"]))

    def correct_document(self, doc: VacancyDocument, values: dict[str, Any], *, at: datetime) -> None:
        """A rejected file replaced after submission: the row the caller holds (so it stays current in
        the session) gets the new file, loses its review and is marked corrected."""
        for key, value in {**values, **_UNREVIEWED, "corrected_at": at}.items():
            setattr(doc, key, value)

    # --- results
    async def results_of(self, application_id: int) -> dict[int, VacancyResult]:
        stmt = select(VacancyResult).where(VacancyResult.application_id == application_id)
        return {r.stage_id: r for r in (await self.session.execute(stmt)).scalars()}

    async def results_at(self, stage_id: int) -> dict[int, VacancyResult]:
        stmt = select(VacancyResult).where(VacancyResult.stage_id == stage_id)
        return {r.application_id: r for r in (await self.session.execute(stmt)).scalars()}

    async def results_for(self, application_ids: list[int]) -> list[VacancyResult]:
        if not application_ids:
            return []
        stmt = select(VacancyResult).where(VacancyResult.application_id.in_(application_ids))
        return list((await self.session.execute(stmt)).scalars())
