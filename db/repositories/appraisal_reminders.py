"""SKP reminders' scans: deadlines coming, and a person's own."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select

from db.models import Appraisal
from db.repositories.base import Repo


class AppraisalReminderRepo(Repo):
    async def appraisals_due(self, after: datetime, before: datetime) -> list[Appraisal]:
        """Appraisals whose deadline lies in (after, before]: the SKP job filters what is complete."""
        stmt = (select(Appraisal).where(Appraisal.deadline.is_not(None), Appraisal.deadline > after,
                                        Appraisal.deadline <= before).order_by(Appraisal.id))
        return list((await self.session.execute(stmt)).scalars())

    async def appraisals(self, ids: Sequence[int]) -> list[Appraisal]:
        if not ids:
            return []
        stmt = select(Appraisal).where(Appraisal.id.in_(list(ids))).order_by(Appraisal.id)
        return list((await self.session.execute(stmt)).scalars())


    async def deadlines_to_come(self, employee_id: int, now: datetime) -> list[Appraisal]:
        """What /pengingat lists: the person's appraisals whose deadline is to come (the first five)."""
        skp = select(Appraisal).where(Appraisal.employee_id == employee_id, Appraisal.deadline > now
                                      ).order_by(Appraisal.deadline).limit(5)
        return list((await self.session.execute(skp)).scalars())
