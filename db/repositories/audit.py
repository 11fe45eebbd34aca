"""The audit log: written by every staff change, read (filtered, newest first) by superadmins."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select

from db.dialect import Columns
from db.models import AuditLog, User
from db.repositories.base import Repo


@dataclass(frozen=True)
class AuditQuery:
    """Which entries: by or about one user (id), an action prefix, a period [since, until)."""

    user_id: int | None = None
    action_prefix: str | None = None
    since: datetime | None = None
    until: datetime | None = None


class AuditRepo(Repo):
    def record(
        self, actor_label: str, action: str, target: str | None = None, *,
        actor_user_id: int | None = None, at: datetime | str | None = None, **details: Any,
    ) -> None:
        if isinstance(at, str):  # the desk records its clock as text in the details too: keep that
            details["at"] = at
            try:
                at = datetime.fromisoformat(at)
            except ValueError:
                at = None
        row = AuditLog(actor_user_id=actor_user_id, actor_label=actor_label[:64], action=action[:64],
                       target=target[:200] if target is not None else None, details=details)
        if at is not None and at.tzinfo is not None:  # the update's clock; the column's default otherwise
            row.at = at
        self.session.add(row)

    async def recent(self, limit: int = 50) -> list[AuditLog]:
        stmt = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars())

    def _where(self, stmt: Select[*Columns], q: AuditQuery) -> Select[*Columns]:
        if q.user_id is not None:
            # "This person": what they did, and what was done to their account.
            stmt = stmt.where(or_(AuditLog.actor_user_id == q.user_id, AuditLog.target == f"user:{q.user_id}"))
        if q.action_prefix:
            stmt = stmt.where(AuditLog.action.startswith(q.action_prefix, autoescape=True))
        if q.since is not None:
            stmt = stmt.where(AuditLog.at >= q.since)
        if q.until is not None:
            stmt = stmt.where(AuditLog.at < q.until)
        return stmt

    async def count(self, q: AuditQuery) -> int:
        stmt = self._where(select(func.count(AuditLog.id)), q)
        return int((await self.session.execute(stmt)).scalar_one())

    async def search(self, q: AuditQuery, *, limit: int, offset: int = 0) -> list[tuple[AuditLog, str | None]]:
        """Entries newest first, each with its actor's name (None: no user behind it, e.g. "cli")."""
        stmt = self._where(select(AuditLog, User.name).outerjoin(User, User.id == AuditLog.actor_user_id), q)
        stmt = stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(offset)
        return [(row, name) for row, name in (await self.session.execute(stmt)).all()]

    async def has_since(self, actor_user_id: int, action: str, target: str, since: datetime) -> bool:
        """Is there an entry like this one already, at or after `since` (what rate-limits an entry)?"""
        stmt = select(AuditLog.id).where(
            AuditLog.actor_user_id == actor_user_id, AuditLog.action == action, AuditLog.target == target,
            AuditLog.at >= since).limit(1)
        return (await self.session.execute(stmt)).first() is not None
