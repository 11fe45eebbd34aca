from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import delete, func, or_, select, update

from db.dialect import insert_ignore, lock_rows
from db.models import Broadcast, OutboxMessage, User
from db.models.base import utcnow
from db.repositories.base import Repo, rowcount

FINAL = ("sent", "failed", "unreachable", "cancelled")
PERSONAL, BULK = 0, 1  # claim priority: a person's own notice before a broadcast's copy


class NoticeLike(Protocol):
    """What a row stores of a notice (services.notice.Notice): db cannot import services."""

    @property
    def template(self) -> str: ...

    def to_params(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class Queued:
    """One row for `add_many`."""

    user_id: int
    notice: NoticeLike
    dedupe_key: str | None = None
    not_before: datetime | None = None
    broadcast_id: int | None = None
    priority: int = PERSONAL


@dataclass(frozen=True)
class Claimed:
    id: int
    user_id: int
    chat_id: int
    locale: str | None
    language_code: str | None
    template: str
    params: dict[str, Any]
    attempts: int
    last_seen_at: datetime | None = None  # the recipient's last message (coarse): a channel's window


class OutboxRepo(Repo):
    queued = 0  # rows this unit of work added: the sender is woken only when there are some

    async def add(
        self, user_id: int, notice: NoticeLike, *, dedupe_key: str | None = None, not_before: datetime | None = None,
    ) -> bool:
        """Queue a push; False when a row with the same dedupe key already exists."""
        values: dict[str, Any] = {
            "user_id": user_id, "template": notice.template, "params": notice.to_params(), "dedupe_key": dedupe_key,
            "status": "pending", "attempts": 0,
        }
        if not_before is not None:
            values["not_before"] = not_before
        stmt = insert_ignore(self.dialect, OutboxMessage, values).returning(OutboxMessage.id)
        added = (await self.session.execute(stmt)).first() is not None
        self.queued += added
        return added

    async def cancel_pending(self, dedupe_keys: list[str]) -> int:
        """Held notices whose reply was delivered: gone, unless a sender already took them."""
        if not dedupe_keys:
            return 0
        res = await self.session.execute(
            delete(OutboxMessage)
            .where(OutboxMessage.dedupe_key.in_(dedupe_keys), OutboxMessage.status == "pending")
        )
        return rowcount(res)

    async def pending_by_prefix(self, prefixes: Sequence[str], user_id: int | None = None
                                ) -> list[tuple[int, str, datetime]]:
        """(id, dedupe key, not_before) of rows still waiting whose key starts with one of `prefixes`
        (a sender that claimed a row already is not stopped: at most a few are in flight)."""
        if not prefixes:
            return []
        stmt = select(OutboxMessage.id, OutboxMessage.dedupe_key, OutboxMessage.not_before).where(
            OutboxMessage.status == "pending",
            or_(*(OutboxMessage.dedupe_key.startswith(p, autoescape=True) for p in prefixes)))
        if user_id is not None:
            stmt = stmt.where(OutboxMessage.user_id == user_id)
        return [(int(i), str(k), nb) for i, k, nb in (await self.session.execute(stmt.order_by(OutboxMessage.id))).all()]

    async def cancel_rows(self, row_ids: Sequence[int], reason: str) -> int:
        """Rows still waiting: status "cancelled" with the reason (as a stopped broadcast leaves
        its rows), so the outbox shows why they never went and their dedupe keys stay taken."""
        if not row_ids:
            return 0
        res = await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(list(row_ids)), OutboxMessage.status == "pending")
            .values(status="cancelled", last_error=reason[:200]))
        return rowcount(res)

    async def cancel_by_prefix(self, prefixes: Sequence[str], reason: str, user_id: int | None = None) -> int:
        """`cancel_rows` of every waiting row whose key starts with one of `prefixes`, in one UPDATE."""
        if not prefixes:
            return 0
        stmt = update(OutboxMessage).where(
            OutboxMessage.status == "pending",
            or_(*(OutboxMessage.dedupe_key.startswith(p, autoescape=True) for p in prefixes)))
        if user_id is not None:
            stmt = stmt.where(OutboxMessage.user_id == user_id)
        res = await self.session.execute(stmt.values(status="cancelled", last_error=reason[:200]))
        return rowcount(res)

    async def set_params(self, row_ids: Sequence[int], params: dict[str, Any]) -> int:
        """Rows still waiting say `params` instead (the training they remind of was edited)."""
        if not row_ids:
            return 0
        res = await self.session.execute(
            update(OutboxMessage).where(OutboxMessage.id.in_(list(row_ids)), OutboxMessage.status == "pending")
            .values(params=params))
        return rowcount(res)

    async def add_many(self, queued: list[Queued]) -> int:
        """Queue many pushes in one statement; returns how many were new (dedupe keys as in `add`)."""
        if not queued:
            return 0
        now = utcnow()  # one multi-row INSERT needs the same columns in every row
        rows = [{"user_id": q.user_id, "template": q.notice.template, "params": q.notice.to_params(),
                 "dedupe_key": q.dedupe_key, "status": "pending", "attempts": 0,
                 "not_before": q.not_before or now, "broadcast_id": q.broadcast_id, "priority": q.priority}
                for q in queued]
        stmt = insert_ignore(self.dialect, OutboxMessage, rows).returning(OutboxMessage.id)
        added = len((await self.session.execute(stmt)).all())
        self.queued += added
        return added

    async def claim(self, limit: int, now: datetime, channel: str | None = None) -> list[Claimed]:
        """Move up to `limit` due rows to 'sending'; SKIP LOCKED lets several processes share.

        `channel`: only rows for people on that channel (each channel's sender keeps its own pace).
        """
        mine = (OutboxMessage.user_id.in_(select(User.id).where(User.channel == channel)),) if channel else ()
        due = lock_rows(
            self.dialect,
            select(OutboxMessage.id)
            .where(OutboxMessage.status == "pending", OutboxMessage.not_before <= now, *mine)
            .order_by(OutboxMessage.priority, OutboxMessage.not_before, OutboxMessage.id)
            .limit(limit),
            skip_locked=True,
        )
        ids = [r[0] for r in (await self.session.execute(due)).all()]
        if not ids:
            return []
        await self.session.execute(  # still pending: SQLite has no row lock between the two statements
            update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == "pending")
            .values(status="sending", claimed_at=now, attempts=OutboxMessage.attempts + 1)
        )
        stmt = (
            select(
                OutboxMessage.id, OutboxMessage.user_id, User.chat_id, User.locale, User.language_code,
                OutboxMessage.template, OutboxMessage.params, OutboxMessage.attempts, User.unreachable,
                OutboxMessage.broadcast_id, Broadcast.body, Broadcast.attachment_kind, Broadcast.attachment_file_id,
                Broadcast.attachment_name, User.last_seen_at,
            )
            .join(User, User.id == OutboxMessage.user_id)
            .outerjoin(Broadcast, Broadcast.id == OutboxMessage.broadcast_id)
            .where(OutboxMessage.id.in_(ids), OutboxMessage.status == "sending", OutboxMessage.claimed_at == now)
            .order_by(OutboxMessage.priority, OutboxMessage.not_before, OutboxMessage.id)
        )
        claimed = []
        for r in (await self.session.execute(stmt)).all():
            if r.unreachable:  # became unreachable after the row was queued
                await self.finish(r.id, "unreachable", now, "user unreachable (blocked the bot)")
                continue
            params = r.params
            if r.broadcast_id is not None:  # one copy of a broadcast's text, not one per recipient row
                params = {**(params or {}), "body": r.body, "attachment_kind": r.attachment_kind,
                          "attachment_file_id": r.attachment_file_id, "attachment_name": r.attachment_name}
            claimed.append(Claimed(r.id, r.user_id, r.chat_id, r.locale, r.language_code, r.template,
                                   params, r.attempts, r.last_seen_at))
        return claimed

    async def finish(self, row_id: int, status: str, now: datetime, error: str | None = None) -> None:
        values: dict[str, Any] = {"status": status, "last_error": error}
        if status == "sent":
            values["sent_at"] = now
        await self.session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))

    async def finish_sent(self, row_ids: list[int], now: datetime) -> None:
        """Delivered: one statement for a batch of rows."""
        if row_ids:
            await self.session.execute(
                update(OutboxMessage).where(OutboxMessage.id.in_(row_ids))
                .values(status="sent", sent_at=now, last_error=None)
            )

    async def retry_later(
        self, row_id: int, not_before: datetime, error: str, *, count_attempt: bool = True,
    ) -> None:
        """Back to the queue; `count_attempt=False` (a 429) gives back the attempt the claim took."""
        values: dict[str, Any] = {"status": "pending", "not_before": not_before, "last_error": error}
        if not count_attempt:  # the claim added one, so this never goes below zero
            values["attempts"] = OutboxMessage.attempts - 1
        await self.session.execute(update(OutboxMessage).where(OutboxMessage.id == row_id).values(**values))

    async def release(self, row_ids: list[int]) -> int:
        """Claimed rows a stopping sender never got to send: back to the queue, attempt not counted."""
        if not row_ids:
            return 0
        res = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(row_ids), OutboxMessage.status == "sending")
            .values(status="pending", attempts=OutboxMessage.attempts - 1)
        )
        return rowcount(res)

    async def give_up_for_user(self, user_id: int, now: datetime) -> None:
        """The person blocked the bot: nothing queued for them will arrive."""
        await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.user_id == user_id, OutboxMessage.status.in_(("pending", "sending")))
            .values(status="unreachable", last_error="user unreachable (blocked the bot)")
        )

    async def missed(self, user_id: int, *, since: datetime, limit: int) -> list[tuple[int, str, dict[str, Any]]]:
        """(id, template, params) of the person's undelivered-because-unreachable rows, newest first."""
        stmt = (select(OutboxMessage.id, OutboxMessage.template, OutboxMessage.params)
                .where(OutboxMessage.user_id == user_id, OutboxMessage.status == "unreachable",
                       OutboxMessage.requeued.is_(False), OutboxMessage.created_at >= since)
                .order_by(OutboxMessage.id.desc()).limit(limit))
        return [(i, t, dict(p or {})) for i, t, p in (await self.session.execute(stmt)).all()]

    async def requeue(self, row_ids: list[int], now: datetime) -> int:
        """Back to the queue, once: the mark keeps a second 403 from bringing them back again."""
        if not row_ids:
            return 0
        res = await self.session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.id.in_(row_ids), OutboxMessage.status == "unreachable",
                   OutboxMessage.requeued.is_(False))
            .values(status="pending", requeued=True, attempts=0, not_before=now, claimed_at=None, last_error=None)
        )
        n = rowcount(res)
        self.queued += n  # wakes the sender after the commit
        return n

    async def release_stale(self, claimed_before: datetime | None) -> int:
        """Rows left 'sending' by a crashed sender go back to the queue (None: every such row)."""
        stmt = update(OutboxMessage).where(OutboxMessage.status == "sending")
        if claimed_before is not None:
            stmt = stmt.where(OutboxMessage.claimed_at < claimed_before)
        res = await self.session.execute(stmt.values(status="pending"))
        return rowcount(res)

    async def delete_history_before(self, cutoff: datetime) -> int:
        """Delivered and cancelled rows are history after a while (a cancelled one by when it was
        queued: it was never sent); failed and unreachable ones stay for inspection."""
        res = await self.session.execute(
            delete(OutboxMessage).where(or_(
                (OutboxMessage.status == "sent") & (OutboxMessage.sent_at < cutoff),
                (OutboxMessage.status == "cancelled") & (OutboxMessage.created_at < cutoff)))
        )
        return rowcount(res)

    async def counts(self) -> dict[str, int]:
        stmt = select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
        return {s: int(n) for s, n in (await self.session.execute(stmt)).all()}

    async def oldest_due(self, now: datetime) -> datetime | None:
        """When the longest-waiting pending row fell due (the backlog's age); None without backlog."""
        stmt = select(func.min(OutboxMessage.not_before)).where(OutboxMessage.status == "pending",
                                                                OutboxMessage.not_before <= now)
        return (await self.session.execute(stmt)).scalar()

    async def next_due(self) -> datetime | None:
        stmt = select(func.min(OutboxMessage.not_before)).where(OutboxMessage.status == "pending")
        return (await self.session.execute(stmt)).scalar()
