"""Queries of trainings and enrolments; the caller's unit of work commits."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import and_, case, func, or_, select

from db.dialect import lock_rows
from db.models import Agency, Employee, User
from db.models.training import Enrolment, Training
from db.repositories.base import Repo

TAKEN = ("seat", "attended")  # statuses that hold one of the quota's seats
ACTIVE = ("seat", "waiting")  # statuses that mean "the person is in it"


class TrainingRepo(Repo):
    async def get(self, training_id: int, *, lock: bool = False) -> Training | None:
        """With `lock`, the training row is locked (PostgreSQL) until the transaction ends: every
        change of who holds a seat goes through this lock, so two people can't take one seat."""
        stmt = select(Training).where(Training.id == training_id)
        if lock:
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def by_codes(self, codes: Sequence[str]) -> dict[str, Training]:
        if not codes:
            return {}
        rows = (await self.session.execute(select(Training).where(Training.code.in_(codes)))).scalars()
        return {t.code: t for t in rows}

    def add(self, training: Training) -> Training:
        self.session.add(training)
        return training

    async def upcoming(self, now: datetime) -> list[Training]:
        """Not cancelled and not yet started, soonest first."""
        stmt = (select(Training).where(Training.status == "open", Training.starts_at > now)
                .order_by(Training.starts_at, Training.id))
        return list((await self.session.execute(stmt)).scalars())

    async def seats_taken(self, training_ids: Sequence[int]) -> dict[int, int]:
        if not training_ids:
            return {}
        stmt = (select(Enrolment.training_id, func.count(Enrolment.id))
                .where(Enrolment.training_id.in_(training_ids), Enrolment.status.in_(TAKEN))
                .group_by(Enrolment.training_id))
        return {tid: int(n) for tid, n in (await self.session.execute(stmt)).all()}

    async def enrolment(self, training_id: int, employee_id: int) -> Enrolment | None:
        stmt = select(Enrolment).where(Enrolment.training_id == training_id, Enrolment.employee_id == employee_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def add_enrolment(self, enrolment: Enrolment) -> Enrolment:
        self.session.add(enrolment)
        return enrolment

    async def delete_enrolment(self, enrolment: Enrolment) -> None:
        await self.session.delete(enrolment)

    async def of_employee(self, employee_id: int) -> list[tuple[Enrolment, Training]]:
        stmt = (select(Enrolment, Training).join(Training, Training.id == Enrolment.training_id)
                .where(Enrolment.employee_id == employee_id).order_by(Training.starts_at, Training.id))
        return [(e, t) for e, t in (await self.session.execute(stmt)).all()]

    async def overlapping(self, employee_id: int, starts_at: datetime, ends_at: datetime,
                          exclude_training_id: int) -> Training | None:
        """Another not-cancelled training the person holds a seat or waits for, whose time meets this one."""
        stmt = (select(Training).join(Enrolment, Enrolment.training_id == Training.id)
                .where(Enrolment.employee_id == employee_id, Enrolment.status.in_(ACTIVE),
                       Training.id != exclude_training_id, Training.status == "open",
                       Training.starts_at < ends_at, Training.ends_at > starts_at)
                .order_by(Training.starts_at).limit(1))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def waiting_position(self, enrolment: Enrolment) -> int:
        """1 for the first in line."""
        stmt = select(func.count(Enrolment.id)).where(
            Enrolment.training_id == enrolment.training_id, Enrolment.status == "waiting",
            or_(Enrolment.queued_at < enrolment.queued_at,
                and_(Enrolment.queued_at == enrolment.queued_at, Enrolment.id < enrolment.id)))
        return int((await self.session.execute(stmt)).scalar_one()) + 1

    async def waiting_count(self, training_id: int) -> int:
        stmt = select(func.count(Enrolment.id)).where(Enrolment.training_id == training_id,
                                                      Enrolment.status == "waiting")
        return int((await self.session.execute(stmt)).scalar_one())

    async def next_in_line(self, training_id: int, limit: int) -> list[Enrolment]:
        stmt = (select(Enrolment).where(Enrolment.training_id == training_id, Enrolment.status == "waiting")
                .order_by(Enrolment.queued_at, Enrolment.id).limit(limit))
        return list((await self.session.execute(stmt)).scalars())

    async def enrolments_of(self, training_id: int, employee_ids: Sequence[int]) -> dict[int, Enrolment]:
        if not employee_ids:
            return {}
        stmt = select(Enrolment).where(Enrolment.training_id == training_id,
                                       Enrolment.employee_id.in_(employee_ids))
        return {e.employee_id: e for e in (await self.session.execute(stmt)).scalars()}

    async def existing_employees(self, employee_ids: Sequence[int]) -> set[int]:
        if not employee_ids:
            return set()
        stmt = select(Employee.id).where(Employee.id.in_(employee_ids))
        return {r[0] for r in (await self.session.execute(stmt)).all()}

    async def user_of_employee(self, employee_id: int) -> int | None:
        """The chat account linked to an employee record (a notice goes there), if any."""
        stmt = select(User.id).where(User.employee_id == employee_id, User.erased.is_(False))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def agency_names(self) -> dict[int, str]:
        """Short names where there are (what people say), else full names; inactive ones too."""
        rows = (await self.session.execute(select(Agency.id, Agency.name, Agency.short_name))).all()
        return {i: short or name for i, name, short in rows}

    async def agency_ids_by_code(self) -> dict[str, int]:
        rows = (await self.session.execute(select(Agency.code, Agency.id))).all()
        return {code.upper(): i for code, i in rows}

    async def jp_coverage(self, since: datetime, until: datetime, agency_id: int | None,
                          targets: Mapping[str, int], default_target: int) -> list[tuple[int | None, int, int]]:
        """(agency id, employees, employees whose attended JP in the window reach their target).

        `targets` maps an employment (PNS, PPPK) to its yearly target; a training counts in the
        window its end falls in. The capped PPPK count never exceeds its target, so comparing the
        raw total with the target gives the same answer as comparing the counted JP."""
        jp = (select(Enrolment.employee_id.label("eid"), func.sum(Training.jp).label("jp"))
              .join(Training, Training.id == Enrolment.training_id)
              .where(Enrolment.status == "attended", Training.ends_at >= since, Training.ends_at < until)
              .group_by(Enrolment.employee_id).subquery())
        target = case(*((Employee.employment == k, v) for k, v in targets.items()), else_=default_target)
        reached = func.sum(case((func.coalesce(jp.c.jp, 0) >= target, 1), else_=0))
        stmt = (select(Employee.agency_id, func.count(Employee.id), reached)
                .outerjoin(jp, jp.c.eid == Employee.id).group_by(Employee.agency_id))
        if agency_id is not None:
            stmt = stmt.where(Employee.agency_id == agency_id)
        return [(a, int(n), int(k or 0)) for a, n, k in (await self.session.execute(stmt)).all()]
