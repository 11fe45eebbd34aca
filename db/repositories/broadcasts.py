"""Broadcasts and their outbox rows: audiences as set-based queries, counts by status."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import and_, func, select, update

from db.dialect import lock_rows, upsert
from db.models import Agency, Broadcast, Employee, OutboxMessage, Subscription, User
from db.repositories.base import Repo, rowcount


@dataclass(frozen=True)
class Filter:
    """Who a broadcast reaches, as plain values (services.broadcasts.audience builds it)."""

    citizens: bool = False  # citizens who opted in to `citizen_topic`, instead of civil servants
    agency_ids: Sequence[int] = ()
    golongan: Sequence[str] | None = None  # the allowed values of a range; None: any (or none)
    kinds: Sequence[str] = ()
    employment: str | None = None
    topic: str | None = None  # a subscription topic; its default counts for who never chose
    topic_default: str = "off"
    citizen_topic: str = "news"


@dataclass(frozen=True)
class Undelivered:
    """A recipient the broadcast did not reach, with what HR needs to reach them another way."""

    name: str  # the employee record's name, else the name the person gave Telegram
    status: str
    error: str | None
    at: datetime | None
    telegram_id: int | None = None
    nip: str | None = None
    agency: str | None = None


class BroadcastRepo(Repo):
    def add(self, b: Broadcast) -> Broadcast:
        self.session.add(b)
        return b

    async def get(self, broadcast_id: int, *, for_update: bool = False) -> Broadcast | None:
        stmt = select(Broadcast).where(Broadcast.id == broadcast_id)
        if for_update:
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def _recipients(self, f: Filter) -> Any:
        """SELECT users.id of everyone the filter reaches who can be told (linked, reachable, not erased)."""
        stmt = select(User.id).where(User.erased.is_(False), User.unreachable.is_(False))
        if f.citizens:
            return (stmt.join(Subscription, and_(Subscription.user_id == User.id,
                                                 Subscription.topic == f.citizen_topic))
                    .where(User.employee_id.is_(None), Subscription.choice == "on"))
        stmt = stmt.join(Employee, Employee.id == User.employee_id)
        if f.agency_ids:
            stmt = stmt.where(Employee.agency_id.in_(list(f.agency_ids)))
        if f.golongan is not None:
            stmt = stmt.where(Employee.golongan.in_(list(f.golongan)))
        if f.kinds:
            stmt = stmt.where(Employee.jabatan_kind.in_(list(f.kinds)))
        if f.employment:
            stmt = stmt.where(Employee.employment == f.employment)
        if f.topic:
            stmt = (stmt.outerjoin(Subscription, and_(Subscription.user_id == User.id, Subscription.topic == f.topic))
                    .where(func.coalesce(Subscription.choice, f.topic_default) != "off"))
        return stmt

    async def count_recipients(self, f: Filter) -> int:
        sub = self._recipients(f).subquery()
        return int((await self.session.execute(select(func.count()).select_from(sub))).scalar() or 0)

    async def recipient_ids(self, f: Filter) -> list[int]:
        return [int(r[0]) for r in (await self.session.execute(self._recipients(f).order_by(User.id))).all()]

    async def counts(self, broadcast_ids: Sequence[int]) -> dict[int, dict[str, int]]:
        """broadcast id → outbox status → rows; one GROUP BY for many broadcasts."""
        if not broadcast_ids:
            return {}
        stmt = (select(OutboxMessage.broadcast_id, OutboxMessage.status, func.count())
                .where(OutboxMessage.broadcast_id.in_(list(broadcast_ids)))
                .group_by(OutboxMessage.broadcast_id, OutboxMessage.status))
        out: dict[int, dict[str, int]] = {i: {} for i in broadcast_ids}
        for bid, status, n in (await self.session.execute(stmt)).all():
            out[cast(int, bid)][str(status)] = int(n)  # only the ids asked for: none is NULL
        return out

    async def cancel_pending(self, broadcast_id: int, now: datetime) -> int:
        """Rows not yet claimed are cancelled; rows in flight finish as they will."""
        res = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status == "pending")
            .values(status="cancelled", last_error="broadcast cancelled")
        )
        return rowcount(res)

    async def hold_pending(self, broadcast_id: int, until: datetime) -> int:
        """Quiet hours began while it was running: what is left waits for the morning."""
        res = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status == "pending",
                   OutboxMessage.not_before < until)
            .values(not_before=until)
        )
        return rowcount(res)

    async def waiting(self, broadcast_id: int, now: datetime) -> int:
        """Rows not yet claimed that wait for a later time (quiet hours, a schedule)."""
        stmt = select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status == "pending",
            OutboxMessage.not_before > now)
        return int((await self.session.execute(stmt)).scalar() or 0)

    async def move_pending(self, broadcast_id: int, at: datetime) -> int:
        """Every row not yet claimed goes out from `at` (sooner or later than it would have)."""
        res = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status == "pending")
            .values(not_before=at)
        )
        return rowcount(res)

    async def active(self, now: datetime) -> list[Broadcast]:
        """Confirmed broadcasts whose final report is not out yet and that have started."""
        stmt = (select(Broadcast)
                .where(Broadcast.status.in_(("queued", "cancelled")), Broadcast.finished_at.is_(None),
                       Broadcast.starts_at <= now)
                .order_by(Broadcast.id))
        return list((await self.session.execute(stmt)).scalars())

    async def mine(self, user_id: int | None, limit: int) -> list[Broadcast]:
        """The newest broadcasts (of one author, or everyone's for None), drafts left out."""
        stmt = select(Broadcast).where(Broadcast.status != "draft")
        if user_id is not None:
            stmt = stmt.where(Broadcast.created_by == user_id)
        return list((await self.session.execute(stmt.order_by(Broadcast.id.desc()).limit(limit))).scalars())

    async def undelivered(self, broadcast_id: int) -> list[Undelivered]:
        stmt = (select(func.coalesce(Employee.name, User.name), OutboxMessage.status, OutboxMessage.last_error,
                       OutboxMessage.created_at, User.external_id, Employee.nip, Agency.name)
                .join(User, User.id == OutboxMessage.user_id)
                .outerjoin(Employee, Employee.id == User.employee_id)
                .outerjoin(Agency, Agency.id == Employee.agency_id)
                .where(OutboxMessage.broadcast_id == broadcast_id, OutboxMessage.status != "sent")
                .order_by(OutboxMessage.status, func.coalesce(Employee.name, User.name), OutboxMessage.id))
        return [Undelivered(n or "", s, e, a, tg, nip, ag)
                for n, s, e, a, tg, nip, ag in (await self.session.execute(stmt)).all()]

    async def summary(self, since: datetime, until: datetime) -> tuple[int, dict[str, int]]:
        """(broadcasts confirmed in [since, until), their rows by outbox status).

        A finished broadcast's figures are the ones stored when it ended (its sent rows are
        deleted after a while); a running one's are counted now.
        """
        stmt = select(Broadcast.id, Broadcast.final_counts).where(
            Broadcast.confirmed_at >= since, Broadcast.confirmed_at < until)
        found = (await self.session.execute(stmt)).all()
        total: dict[str, int] = {}
        for _, stored in found:
            for status, n in (stored or {}).items():
                total[status] = total.get(status, 0) + int(n)
        live = [bid for bid, stored in found if stored is None]
        for counts in (await self.counts(live)).values():
            for status, n in counts.items():
                total[status] = total.get(status, 0) + n
        return len(found), total

    async def set_opt_in(self, user_id: int, topic: str, on: bool, now: datetime) -> None:
        stmt = upsert(self.dialect, Subscription.__table__,
                      {"user_id": user_id, "topic": topic, "choice": "on" if on else "off", "updated_at": now},
                      keys=["user_id", "topic"], update=["choice", "updated_at"])
        await self.session.execute(stmt)

    async def opted_in(self, user_id: int, topic: str) -> bool:
        stmt = select(Subscription.choice).where(Subscription.user_id == user_id, Subscription.topic == topic)
        return (await self.session.execute(stmt)).scalar() == "on"
