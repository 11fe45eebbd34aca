"""Training's reminder scans: trainings starting or closing, seats, JP attended, a person's seats to come.

Plain rows, one SELECT each: a job over 20,000 people holds its read transaction briefly and
writes its outbox rows afterwards, in batches (services/reminders/core.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import and_, func, select

from db.dialect import lock_rows
from db.models import Enrolment, Training, User
from db.repositories.base import Repo


@dataclass(frozen=True)
class SeatsNow:
    """A training's row as a reminder batch reads it, with who of the batch still holds a seat."""

    id: int
    status: str
    starts_at: datetime
    registration_closes_at: datetime
    title: str
    place: str | None
    online_url: str | None
    seated: frozenset[int]  # employee ids


class TrainingReminderRepo(Repo):
    async def trainings_starting(self, after: datetime, before: datetime) -> list[Training]:
        stmt = (select(Training).where(Training.status == "open", Training.starts_at > after,
                                       Training.starts_at <= before).order_by(Training.starts_at, Training.id))
        return list((await self.session.execute(stmt)).scalars())

    async def trainings_closing(self, after: datetime, before: datetime) -> list[Training]:
        stmt = (select(Training).where(Training.status == "open", Training.registration_closes_at > after,
                                       Training.registration_closes_at <= before)
                .order_by(Training.registration_closes_at, Training.id))
        return list((await self.session.execute(stmt)).scalars())

    async def open_trainings(self, now: datetime) -> list[Training]:
        stmt = (select(Training).where(Training.status == "open", Training.registration_closes_at > now,
                                       Training.starts_at > now).order_by(Training.starts_at, Training.id))
        return list((await self.session.execute(stmt)).scalars())

    async def enrolled(self, training_ids: Sequence[int], statuses: Sequence[str]) -> dict[int, set[int]]:
        """training id → employee ids with an enrolment in `statuses`."""
        out: dict[int, set[int]] = {t: set() for t in training_ids}
        if not training_ids:
            return out
        stmt = select(Enrolment.training_id, Enrolment.employee_id).where(
            Enrolment.training_id.in_(list(training_ids)), Enrolment.status.in_(list(statuses)))
        for tid, eid in (await self.session.execute(stmt)).all():
            out[int(tid)].add(int(eid))
        return out

    async def seated_users(self, training_id: int) -> list[tuple[int, int]]:
        """(user id, employee id) of the training's seated participants who can be told now (one joined read)."""
        stmt = (select(User.id, User.employee_id).join(Enrolment, Enrolment.employee_id == User.employee_id)
                .where(Enrolment.training_id == training_id, Enrolment.status == "seat", User.erased.is_(False),
                       User.unreachable.is_(False)).order_by(User.id))
        # A join on employee_id: it is not NULL in a joined row, so the cast drops None from its type.
        return [(int(u), cast(int, e)) for u, e in (await self.session.execute(stmt)).all()]

    async def seats_now(self, training_id: int, employee_ids: Sequence[int]) -> SeatsNow | None:
        """The training as it is now and which of `employee_ids` still hold a seat; None if it is gone.

        One statement, as it runs once per batch of a job over 20,000 people (holding SQLite's one
        connection); it locks the training's row on PostgreSQL, so an edit, a sign-up or a cancellation
        commits wholly before or after the batch. The seats are probed by the enrolments' unique
        (training, employee) index: a probe by user would read all the training's 20,000 seats."""
        stmt = lock_rows(self.dialect, select(
            Training.status, Training.starts_at, Training.registration_closes_at, Training.title, Training.place,
            Training.online_url, Enrolment.employee_id, Enrolment.status.label("seat")).select_from(Training)
            .outerjoin(Enrolment, and_(Enrolment.training_id == Training.id,
                                       Enrolment.employee_id.in_(list(employee_ids))))
            .where(Training.id == training_id), of=Training)
        rows = (await self.session.execute(stmt)).all()
        if not rows:
            return None
        first = rows[0]
        # The status is compared here, not in SQL: with it in the join PostgreSQL, on a table whose
        # statistics lag (a training filled today), walks the (training, status) index instead.
        return SeatsNow(training_id, first.status, first.starts_at, first.registration_closes_at, first.title,
                        first.place, first.online_url,
                        frozenset(int(r.employee_id) for r in rows if r.seat == "seat"))

    async def jp_attended(self, since: datetime, until: datetime) -> dict[int, int]:
        """employee id → JP of trainings attended that ended in [since, until)."""
        stmt = (select(Enrolment.employee_id, func.sum(Training.jp))
                .join(Training, Training.id == Enrolment.training_id)
                .where(Enrolment.status == "attended", Training.ends_at >= since, Training.ends_at < until)
                .group_by(Enrolment.employee_id))
        return {int(e): int(n or 0) for e, n in (await self.session.execute(stmt)).all()}


    async def seats_to_come(self, employee_id: int, now: datetime) -> list[Training]:
        """What /pengingat lists: the person's seats in open trainings to come (the first five)."""
        seats = select(Training).join(Enrolment, and_(Enrolment.training_id == Training.id,
                                                      Enrolment.employee_id == employee_id)).where(
            Enrolment.status == "seat", Training.status == "open", Training.starts_at > now
        ).order_by(Training.starts_at).limit(5)
        return list((await self.session.execute(seats)).scalars())
