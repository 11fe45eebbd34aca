from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import case, delete, exists, func, literal, or_, select, update
from sqlalchemy.sql.elements import ColumnElement

from db.dialect import insert_ignore, lock_rows, upsert
from db.models import (
    Complaint,
    ComplaintCounter,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintPreference,
    User,
)
from db.repositories.base import Repo, rowcount


class ComplaintRepo(Repo):
    # --- reports
    def add(self, complaint: Complaint) -> Complaint:
        self.session.add(complaint)
        return complaint

    async def get(self, complaint_id: int) -> Complaint | None:
        return await self.session.get(Complaint, complaint_id)

    async def get_for_update(self, complaint_id: int) -> Complaint | None:
        """The row locked until commit on PostgreSQL, so two officers cannot both move it."""
        stmt = lock_rows(self.dialect, select(Complaint).where(Complaint.id == complaint_id))
        return (await self.session.execute(stmt.execution_options(populate_existing=True))).scalar_one_or_none()

    async def status_and_rating(self, ids: Sequence[int]) -> dict[int, tuple[str, int | None]]:
        if not ids:
            return {}
        stmt = select(Complaint.id, Complaint.status, Complaint.rating).where(Complaint.id.in_(set(ids)))
        return {i: (s, r) for i, s, r in (await self.session.execute(stmt)).all()}

    async def by_number(self, number: str) -> Complaint | None:
        return (await self.session.execute(select(Complaint).where(Complaint.number == number))).scalar_one_or_none()

    async def numbers(self, ids: Sequence[int]) -> dict[int, str]:
        if not ids:
            return {}
        rows = await self.session.execute(select(Complaint.id, Complaint.number).where(Complaint.id.in_(ids)))
        return {i: n for i, n in rows.all()}

    async def next_seq(self, year: int) -> int:
        """The next number of the year; the counter row's lock serialises concurrent filings."""
        await self.session.execute(insert_ignore(self.dialect, ComplaintCounter, {"year": year, "last": 0}))
        res = await self.session.execute(
            update(ComplaintCounter).where(ComplaintCounter.year == year)
            .values(last=ComplaintCounter.last + 1).returning(ComplaintCounter.last))
        return int(res.scalar_one())

    async def count_filed_since(self, reporter_id: int, since: datetime) -> tuple[int, datetime | None]:
        """How many reports the person filed since `since`, and the oldest of them."""
        stmt = select(func.count(Complaint.id), func.min(Complaint.created_at)).where(
            Complaint.reporter_id == reporter_id, Complaint.created_at > since)
        n, oldest = (await self.session.execute(stmt)).one()  # min() keeps the column's UTC type
        return int(n), oldest

    async def open_since(
        self, agency_id: int | None, since: datetime, open_statuses: Sequence[str], exclude_privacy: str,
        limit: int = 300,
    ) -> list[Complaint]:
        """Recent open reports of one agency (or unrouted ones): the duplicate candidates."""
        agency = Complaint.agency_id.is_(None) if agency_id is None else Complaint.agency_id == agency_id
        stmt = (select(Complaint)
                .where(agency, Complaint.created_at > since, Complaint.status.in_(open_statuses),
                       Complaint.privacy != exclude_privacy)
                .order_by(Complaint.id.desc()).limit(limit))
        return list((await self.session.execute(stmt)).scalars())

    async def by_reporter(self, reporter_id: int, offset: int, limit: int) -> tuple[list[Complaint], int]:
        where = Complaint.reporter_id == reporter_id
        total = (await self.session.execute(select(func.count(Complaint.id)).where(where))).scalar_one()
        stmt = select(Complaint).where(where).order_by(Complaint.id.desc()).offset(offset).limit(limit)
        return list((await self.session.execute(stmt)).scalars()), int(total)

    async def desk(
        self, agency_id: int | None, open_statuses: Sequence[str], offset: int, limit: int,
        *, unstaffed_role: str | None = None, kinds: Sequence[str] | None = None,
        first_response: Sequence[str] = (), waiting: Sequence[str] = (),
    ) -> tuple[list[Complaint], int]:
        """Open reports of one agency, or (None) those no agency holds yet: HR's queue. With
        `unstaffed_role`, HR's queue also holds reports whose agency has nobody reachable in that
        role, so a report routed where no one can act never drops out of every queue.

        Most urgent first: by the deadline that applies (`first_response` statuses: the response
        date; others: the resolution date), so the overdue come first; `waiting` statuses (answered,
        the citizen's turn) after all the others."""
        where = [_desk_holds(agency_id, unstaffed_role), Complaint.status.in_(open_statuses)]
        if kinds:
            where.append(Complaint.kind.in_(kinds))
        total = (await self.session.execute(select(func.count(Complaint.id)).where(*where))).scalar_one()
        deadline = case((Complaint.status.in_(first_response), Complaint.response_due_at),
                        else_=Complaint.resolve_due_at) if first_response else Complaint.resolve_due_at
        last = case((Complaint.status.in_(waiting), 1), else_=0) if waiting else literal(0)
        stmt = (select(Complaint).where(*where).order_by(last, deadline, Complaint.id)
                .offset(offset).limit(limit))
        return list((await self.session.execute(stmt)).scalars()), int(total)

    async def desk_deadlines(
        self, agency_id: int | None, statuses: Sequence[str], *, unstaffed_role: str | None = None,
    ) -> list[tuple[str, datetime, datetime]]:
        """(status, response due, resolve due) of the desk's reports in `statuses`: for the counts on /start."""
        stmt = select(Complaint.status, Complaint.response_due_at, Complaint.resolve_due_at).where(
            _desk_holds(agency_id, unstaffed_role), Complaint.status.in_(statuses))
        return [(s, r, d) for s, r, d in (await self.session.execute(stmt)).all()]

    async def answered_before(self, statuses: Sequence[str], before: datetime, limit: int) -> list[int]:
        stmt = (select(Complaint.id).where(Complaint.status.in_(statuses), Complaint.answered_at < before)
                .order_by(Complaint.id).limit(limit))
        return [r[0] for r in (await self.session.execute(stmt)).all()]

    # --- events
    async def complaints_in(self, statuses: Sequence[str]) -> list[tuple[int, str, str, int | None, datetime,
                                                                          datetime]]:
        """(id, number, status, agency id, response due, resolve due) of reports in `statuses`: the deadline reminders' scan."""
        stmt = select(Complaint.id, Complaint.number, Complaint.status, Complaint.agency_id,
                      Complaint.response_due_at, Complaint.resolve_due_at).where(
            Complaint.status.in_(list(statuses))).order_by(Complaint.id)
        # Unpacked, not tuple(row): unpacking a Row keeps each column's type, tuple() would lose them.
        return [(i, num, s, a, r, d) for i, num, s, a, r, d in (await self.session.execute(stmt)).all()]

    def add_event(self, event: ComplaintEvent) -> ComplaintEvent:
        self.session.add(event)
        return event

    async def events(self, complaint_id: int, visibility: Sequence[str]) -> list[ComplaintEvent]:
        stmt = (select(ComplaintEvent)
                .where(ComplaintEvent.complaint_id == complaint_id, ComplaintEvent.visibility.in_(visibility))
                .order_by(ComplaintEvent.at, ComplaintEvent.id))
        return list((await self.session.execute(stmt)).scalars())

    # --- followers
    async def follow(self, complaint_id: int, user_id: int, now: datetime) -> bool:
        stmt = insert_ignore(self.dialect, ComplaintFollower,
                             {"complaint_id": complaint_id, "user_id": user_id, "created_at": now})
        return (await self.session.execute(stmt.returning(ComplaintFollower.user_id))).first() is not None

    async def unfollow(self, complaint_id: int, user_id: int) -> bool:
        res = await self.session.execute(delete(ComplaintFollower).where(
            ComplaintFollower.complaint_id == complaint_id, ComplaintFollower.user_id == user_id))
        return bool(rowcount(res))

    async def is_following(self, complaint_id: int, user_id: int) -> bool:
        stmt = select(ComplaintFollower.user_id).where(
            ComplaintFollower.complaint_id == complaint_id, ComplaintFollower.user_id == user_id)
        return (await self.session.execute(stmt)).first() is not None

    async def drop_followers(self, complaint_id: int) -> None:
        await self.session.execute(delete(ComplaintFollower).where(ComplaintFollower.complaint_id == complaint_id))

    async def followers(self, complaint_id: int) -> list[int]:
        stmt = select(ComplaintFollower.user_id).where(ComplaintFollower.complaint_id == complaint_id)
        return [r[0] for r in (await self.session.execute(stmt.order_by(ComplaintFollower.user_id))).all()]

    # --- the remembered privacy choice
    async def privacy_pref(self, user_id: int) -> str | None:
        return await self.session.scalar(
            select(ComplaintPreference.privacy).where(ComplaintPreference.user_id == user_id))

    async def set_privacy_pref(self, user_id: int, privacy: str) -> None:
        await self.session.execute(upsert(self.dialect, ComplaintPreference,
                                          {"user_id": user_id, "privacy": privacy}, ["user_id"], ["privacy"]))

    # --- erasure
    async def forget_person(self, user_id: int) -> int:
        """Detach a person from everything complaint-related; returns how many reports they filed."""
        res = await self.session.execute(
            update(Complaint).where(Complaint.reporter_id == user_id).values(reporter_id=None))
        await self.session.execute(
            update(ComplaintEvent).where(ComplaintEvent.actor_id == user_id).values(actor_id=None))
        await self.session.execute(delete(ComplaintFollower).where(ComplaintFollower.user_id == user_id))
        await self.session.execute(delete(ComplaintPreference).where(ComplaintPreference.user_id == user_id))
        return rowcount(res)


def _desk_holds(agency_id: int | None, unstaffed_role: str | None) -> ColumnElement[bool]:
    """One agency's reports, or (None) those no agency holds yet: HR's desk. With `unstaffed_role`,
    HR's desk also holds reports whose agency has nobody reachable in that role."""
    if agency_id is not None:
        return Complaint.agency_id == agency_id
    if unstaffed_role is None:
        return Complaint.agency_id.is_(None)
    staffed = exists().where(User.role == unstaffed_role, User.agency_id == Complaint.agency_id,
                             User.erased.is_(False), User.unreachable.is_(False))
    return or_(Complaint.agency_id.is_(None), ~staffed)
