"""The shared queries of `/statistik`: the agencies' names. Each section's own queries live in
its feature's repository (the reports' in `complaints_stats`, the survey's in `survey`…)."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select

from db.models import Agency
from db.repositories.base import Repo


class StatisticsRepo(Repo):
    async def agency_labels(self, ids: Sequence[int] | None = None) -> dict[int, tuple[str, str]]:
        """id → (code, short name or name) of every agency (or of `ids`), active or not: old reports name them."""
        stmt = select(Agency.id, Agency.code, func.coalesce(Agency.short_name, Agency.name))
        if ids is not None:
            stmt = stmt.where(Agency.id.in_(list(ids)))
        return {i: (c, n) for i, c, n in (await self.session.execute(stmt)).all()}
