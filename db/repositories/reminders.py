"""Reminders' shared queries: preferences, occasion marks, who can be told, housekeeping.

A feature's own scans (what starts tomorrow, what closes soon) live in its
repositories (db/repositories/<feature>_reminders.py). The scans return plain rows (ids, dates)
so that a job over 20,000 people holds its read transaction for one SELECT each and writes its
outbox rows afterwards, in batches.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, select, update

from db.dialect import insert_ignore, insert_ignore_rows, upsert
from db.models import (
    ActivationCode,
    Employee,
    OutboxMessage,
    ReminderMark,
    ReminderPref,
    User,
)
from db.repositories.base import Repo, rowcount
from db.repositories.outbox import Queued


class ReminderRepo(Repo):
    # --- preferences
    async def prefs_of(self, user_id: int) -> dict[str, bool]:
        stmt = select(ReminderPref.kind, ReminderPref.enabled).where(ReminderPref.user_id == user_id)
        return {k: bool(e) for k, e in (await self.session.execute(stmt)).all()}

    async def put_pref(self, user_id: int, kind: str, enabled: bool, now: datetime) -> None:
        stmt = upsert(self.dialect, ReminderPref.__table__,
                      {"user_id": user_id, "kind": kind, "enabled": enabled, "updated_at": now},
                      keys=["user_id", "kind"], update=["enabled", "updated_at"])
        await self.session.execute(stmt)

    async def switched_off(self, kind: str) -> set[int]:
        stmt = select(ReminderPref.user_id).where(ReminderPref.kind == kind, ReminderPref.enabled.is_(False))
        return {int(u) for (u,) in (await self.session.execute(stmt)).all()}

    async def cancel_pending(self, user_id: int, templates: Sequence[str]) -> int:
        """Queued, not yet claimed rows of these templates for one person: gone (an unsubscribe)."""
        if not templates:
            return 0
        res = await self.session.execute(
            delete(OutboxMessage).where(OutboxMessage.user_id == user_id, OutboxMessage.status == "pending",
                                        OutboxMessage.template.in_(list(templates))))
        return rowcount(res)

    async def queue_rows(self, queued: Sequence[Queued], now: datetime) -> int:
        """Outbox rows in one executemany (dedupe keys as in OutboxRepo.add); returns how many were new."""
        if not queued:
            return 0
        params: dict[int, dict[str, Any]] = {}  # one notice object is often shared by every recipient
        for q in queued:
            if id(q.notice) not in params:
                params[id(q.notice)] = q.notice.to_params()
        rows = [{"user_id": q.user_id, "template": q.notice.template, "params": params[id(q.notice)],
                 "dedupe_key": q.dedupe_key, "status": "pending", "attempts": 0, "requeued": False,
                 "not_before": q.not_before or now, "created_at": now} for q in queued]
        res = await self.session.execute(insert_ignore_rows(self.dialect, OutboxMessage).returning(OutboxMessage.id),
                                         rows)
        return len(res.all())

    # --- occasion marks
    async def marked(self, keys: Sequence[str]) -> set[str]:
        if not keys:
            return set()
        stmt = select(ReminderMark.key).where(ReminderMark.key.in_(list(keys)))
        return {k for (k,) in (await self.session.execute(stmt)).all()}

    async def mark(self, key: str, outcome: str, now: datetime) -> bool:
        """True when this call made the mark (another run may have made it first)."""
        stmt = insert_ignore(self.dialect, ReminderMark, {"key": key, "outcome": outcome[:200], "done_at": now}
                             ).returning(ReminderMark.key)
        return (await self.session.execute(stmt)).first() is not None

    async def forget_marks_before(self, cutoff: datetime) -> int:
        res = await self.session.execute(delete(ReminderMark).where(ReminderMark.done_at < cutoff))
        return rowcount(res)

    # --- people
    async def reachable_linked(self) -> dict[int, int]:
        """employee id → user id of every linked civil servant who can be told now: not erased,
        not unreachable (a 403 marks them; they count again once they write)."""
        stmt = select(User.employee_id, User.id).where(
            User.employee_id.is_not(None), User.erased.is_(False), User.unreachable.is_(False))
        # The WHERE keeps NULLs out: the cast drops None from the column's type.
        return {cast(int, e): int(u) for e, u in (await self.session.execute(stmt)).all()}

    async def employees(self, employee_ids: Sequence[int] | None = None) -> list[Employee]:
        stmt = select(Employee).order_by(Employee.id)
        if employee_ids is not None:
            stmt = stmt.where(Employee.id.in_(list(employee_ids)))
        return list((await self.session.execute(stmt)).scalars())

    async def reachable_users(self, user_ids: Sequence[int]) -> set[int]:
        if not user_ids:
            return set()
        stmt = select(User.id).where(User.id.in_(list(user_ids)), User.erased.is_(False),
                                     User.unreachable.is_(False))
        return {int(u) for (u,) in (await self.session.execute(stmt)).all()}

    async def users_by_telegram_ids(self, external_ids: Sequence[int]) -> dict[int, int]:
        """Telegram id → user id (e.g. an agency head's recorded account), reachable ones only."""
        if not external_ids:
            return {}
        stmt = select(User.external_id, User.id).where(
            User.channel == "telegram", User.external_id.in_(list(external_ids)), User.erased.is_(False),
            User.unreachable.is_(False))
        return {int(x): int(u) for x, u in (await self.session.execute(stmt)).all()}

    # --- people (staff)
    async def staff(self, roles: Sequence[str]) -> list[tuple[int, str, int | None]]:
        """(user id, role, agency id) of reachable staff in `roles`."""
        stmt = select(User.id, User.role, User.agency_id).where(
            User.role.in_(list(roles)), User.erased.is_(False), User.unreachable.is_(False)).order_by(User.id)
        return [(int(u), str(r), a) for u, r, a in (await self.session.execute(stmt)).all()]

    # --- housekeeping
    async def expire_codes(self, expired_before: datetime) -> int:
        """Unused activation codes past their expiry: their hashes are of no use to anyone."""
        res = await self.session.execute(delete(ActivationCode).where(
            ActivationCode.used_at.is_(None), ActivationCode.expires_at < expired_before))
        return rowcount(res)

    async def clear_stale_drafts(self, seen_before: datetime) -> int:
        """Conversations left mid-flow (a draft in the state) by people silent since `seen_before`."""
        res = await self.session.execute(
            update(User).where(User.state.is_not(None), User.last_seen_at < seen_before)
            .values(state=None, state_data={}))
        return rowcount(res)

