from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete

from db.dialect import insert_ignore
from db.models import ProcessedUpdate
from db.repositories.base import Repo


class UpdateRepo(Repo):
    async def first_time(self, channel: str, update_id: int) -> bool:
        """Record the update id; False if it was recorded before (a replay)."""
        stmt = insert_ignore(self.dialect, ProcessedUpdate, {"channel": channel, "update_id": update_id})
        row = (await self.session.execute(stmt.returning(ProcessedUpdate.update_id))).first()
        return row is not None

    async def forget_before(self, cutoff: datetime) -> int:
        res = await self.session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < cutoff))
        return res.rowcount or 0
