from __future__ import annotations

from typing import Any

from sqlalchemy import select

from db.models import AuditLog
from db.repositories.base import Repo


class AuditRepo(Repo):
    def record(
        self, actor_label: str, action: str, target: str | None = None, *,
        actor_user_id: int | None = None, **details: Any,
    ) -> None:
        self.session.add(AuditLog(
            actor_user_id=actor_user_id, actor_label=actor_label, action=action, target=target, details=details,
        ))

    async def recent(self, limit: int = 50) -> list[AuditLog]:
        stmt = select(AuditLog).order_by(AuditLog.id.desc()).limit(limit)
        return list((await self.session.execute(stmt)).scalars())
