"""Job runs and the scheduler's leader, as the operator sees them (`sapa jobs`, /jobs)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from db.dialect import upsert
from db.models import JobRun, SchedulerLead
from db.repositories.base import Repo

LEAD_ROW = 1


class JobRepo(Repo):
    async def started(self, name: str, run_by: str, at: datetime) -> None:
        values = {"name": name, "started_at": at, "finished_at": None, "outcome": "running", "error": None,
                  "run_by": run_by[:128]}
        await self.session.execute(upsert(self.dialect, JobRun.__table__, values, ["name"],
                                          ["started_at", "finished_at", "outcome", "error", "run_by"]))

    async def finished(self, name: str, at: datetime, *, error: str | None = None) -> None:
        await self.session.execute(update(JobRun).where(JobRun.name == name).values(
            finished_at=at, outcome="failed" if error else "ok", error=error[:2000] if error else None))

    async def runs(self) -> dict[str, JobRun]:
        return {r.name: r for r in (await self.session.execute(select(JobRun))).scalars()}

    async def lead(self, holder: str, at: datetime) -> None:
        """This process leads from now (whoever held the row before lost the lock with its connection)."""
        values = {"id": LEAD_ROW, "holder": holder[:128], "since": at, "seen_at": at}
        await self.session.execute(upsert(self.dialect, SchedulerLead.__table__, values, ["id"],
                                          ["holder", "since", "seen_at"]))

    async def still_leading(self, holder: str, at: datetime) -> None:
        await self.session.execute(update(SchedulerLead).where(SchedulerLead.id == LEAD_ROW,
                                                               SchedulerLead.holder == holder).values(seen_at=at))

    async def resign(self, holder: str) -> None:
        await self.session.execute(delete(SchedulerLead).where(SchedulerLead.id == LEAD_ROW,
                                                               SchedulerLead.holder == holder))

    async def leader(self) -> SchedulerLead | None:
        return await self.session.get(SchedulerLead, LEAD_ROW)
