from __future__ import annotations

from sqlalchemy import func, select

from db.models import Agency, User
from db.repositories.base import Repo


class AgencyRepo(Repo):
    async def all_active(self) -> list[Agency]:
        stmt = select(Agency).where(Agency.active.is_(True)).order_by(Agency.name)
        return list((await self.session.execute(stmt)).scalars())

    async def all(self) -> list[Agency]:
        """Every agency, active ones first, then by code: what HR manages."""
        stmt = select(Agency).order_by(Agency.active.desc(), Agency.code)
        return list((await self.session.execute(stmt)).scalars())

    async def by_code(self, code: str) -> Agency | None:
        stmt = select(Agency).where(Agency.code == code.upper())
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, agency_id: int) -> Agency | None:
        return await self.session.get(Agency, agency_id)

    def add(self, agency: Agency) -> Agency:
        self.session.add(agency)
        return agency

    async def officer_count(self, agency_id: int) -> int:
        stmt = select(func.count(User.id)).where(
            User.agency_id == agency_id, User.role == "officer", User.erased.is_(False))
        return int((await self.session.execute(stmt)).scalar_one())
