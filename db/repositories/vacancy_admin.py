"""HR's queries of the open selection (drafts included); never commits."""

from __future__ import annotations

from sqlalchemy import delete, select

from db.dialect import lock_rows
from db.models import Employee, Vacancy, VacancyApplication, VacancyDocument, VacancyStage
from db.repositories.base import Repo


class VacancyAdminRepo(Repo):
    async def all(self, limit: int = 200) -> list[Vacancy]:
        """Drafts first, then the newest: what HR is working on at the top."""
        stmt = (select(Vacancy).order_by(Vacancy.published_at.is_not(None), Vacancy.created_at.desc(),
                                         Vacancy.id.desc()).limit(limit))
        return list((await self.session.execute(stmt)).scalars())

    async def vacancy(self, vacancy_id: int, *, for_update: bool = False) -> Vacancy | None:
        stmt = select(Vacancy).where(Vacancy.id == vacancy_id)
        if for_update:  # saving and publishing a draft serialise on its row
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def code_owner(self, code: str) -> int | None:
        return (await self.session.execute(select(Vacancy.id).where(Vacancy.code == code))).scalar_one_or_none()

    async def drop_stages(self, vacancy_id: int) -> None:
        await self.session.execute(delete(VacancyStage).where(VacancyStage.vacancy_id == vacancy_id))

    async def applications(self, vacancy_id: int) -> list[tuple[VacancyApplication, Employee]]:
        """Every application of a vacancy (draft, submitted, withdrawn) with its employee, by name."""
        stmt = (select(VacancyApplication, Employee).join(Employee, Employee.id == VacancyApplication.employee_id)
                .where(VacancyApplication.vacancy_id == vacancy_id).order_by(Employee.name, VacancyApplication.id))
        return [(a, e) for a, e in (await self.session.execute(stmt)).all()]

    async def document(self, document_id: int, *, for_update: bool = False) -> VacancyDocument | None:
        stmt = select(VacancyDocument).where(VacancyDocument.id == document_id)
        if for_update:
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()
