"""HR's queries on trainings: the console list, the participants with their records; never commits.

Kept apart from `TrainingRepo` (the civil servants' side and the import) so the two sides change
independently; both read the same tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select

from db.models import Agency, Employee, User
from db.models.training import Enrolment, Training
from db.repositories.base import Repo


class TrainingAdminRepo(Repo):
    async def for_console(self, since: datetime, limit: int = 200) -> list[Training]:
        """Every training that ends after `since` (upcoming, running, just over), soonest first."""
        stmt = (select(Training).where(Training.ends_at > since)
                .order_by(Training.starts_at, Training.id).limit(limit))
        return list((await self.session.execute(stmt)).scalars())

    async def code_taken(self, code: str, except_id: int | None = None) -> bool:
        stmt = select(Training.id).where(func.upper(Training.code) == code.upper())
        if except_id is not None:
            stmt = stmt.where(Training.id != except_id)
        return (await self.session.execute(stmt.limit(1))).first() is not None

    async def counts(self, training_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """training id → {status: number of enrolments} (seat, waiting, cancelled, attended)."""
        if not training_ids:
            return {}
        stmt = (select(Enrolment.training_id, Enrolment.status, func.count(Enrolment.id))
                .where(Enrolment.training_id.in_(training_ids))
                .group_by(Enrolment.training_id, Enrolment.status))
        out: dict[int, dict[str, int]] = {}
        for tid, status, n in (await self.session.execute(stmt)).all():
            out.setdefault(tid, {})[status] = int(n)
        return out

    async def participants(self, training_id: int) -> list[tuple[Enrolment, Employee, str | None]]:
        """Every enrolment of the training with the employee and their agency's name, in queue order."""
        stmt = (select(Enrolment, Employee, func.coalesce(Agency.short_name, Agency.name))
                .join(Employee, Employee.id == Enrolment.employee_id)
                .outerjoin(Agency, Agency.id == Employee.agency_id)
                .where(Enrolment.training_id == training_id)
                .order_by(Enrolment.queued_at, Enrolment.id))
        return [(e, emp, agency) for e, emp, agency in (await self.session.execute(stmt)).all()]

    async def users_enrolled(self, training_id: int, statuses: Sequence[str]) -> list[tuple[int, int]]:
        """(enrolment id, chat user id) of the linked, not erased people with one of `statuses`."""
        stmt = (select(Enrolment.id, User.id).join(User, User.employee_id == Enrolment.employee_id)
                .where(Enrolment.training_id == training_id, Enrolment.status.in_(statuses),
                       User.erased.is_(False))
                .order_by(Enrolment.id))
        return [(eid, uid) for eid, uid in (await self.session.execute(stmt)).all()]
