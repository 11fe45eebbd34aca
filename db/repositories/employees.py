from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select

from db.models import Employee
from db.repositories.base import Repo


class EmployeeRepo(Repo):
    async def by_nips(self, nips: list[str]) -> dict[str, Employee]:
        if not nips:
            return {}
        stmt = select(Employee).where(Employee.nip.in_(nips))
        return {e.nip: e for e in (await self.session.execute(stmt)).scalars()}

    async def by_nip(self, nip: str) -> Employee | None:
        return (await self.session.execute(select(Employee).where(Employee.nip == nip))).scalar_one_or_none()

    async def get(self, employee_id: int) -> Employee | None:
        return await self.session.get(Employee, employee_id)

    def add(self, employee: Employee) -> Employee:
        self.session.add(employee)
        return employee

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        """One executemany for a batch of new records (an import): no ORM object per row."""
        if rows:
            await self.session.execute(insert(Employee), rows)
