from __future__ import annotations

from sqlalchemy import select

from db.models import Appraisal
from db.repositories.base import Repo


class AppraisalRepo(Repo):
    async def of_employee(self, employee_id: int) -> list[Appraisal]:
        """Every period of one employee, newest year first (the service orders within a year)."""
        stmt = select(Appraisal).where(Appraisal.employee_id == employee_id).order_by(
            Appraisal.year.desc(), Appraisal.id.desc())
        return list((await self.session.execute(stmt)).scalars())

    async def get(self, appraisal_id: int) -> Appraisal | None:
        return await self.session.get(Appraisal, appraisal_id)

    async def by_keys(self, employee_ids: list[int]) -> dict[tuple[int, str], Appraisal]:
        """The existing rows of these employees, by (employee id, period label): what an import updates."""
        if not employee_ids:
            return {}
        stmt = select(Appraisal).where(Appraisal.employee_id.in_(employee_ids))
        return {(a.employee_id, a.period): a for a in (await self.session.execute(stmt)).scalars()}

    def add(self, appraisal: Appraisal) -> Appraisal:
        self.session.add(appraisal)
        return appraisal
