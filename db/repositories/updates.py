from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, select
from sqlalchemy.sql.dml import Insert

from db.dialect import insert_ignore
from db.models import ProcessedUpdate, User
from db.repositories.base import Repo
from db.repositories.users import SENDER_COLUMNS

_SENDER_STATEMENTS: dict[str, Insert] = {}


def _record_and_read_sender(dialect: str) -> Insert:
    """Built once per dialect: composing 15 subqueries costs more than running them."""
    if dialect not in _SENDER_STATEMENTS:
        who = (User.channel == bindparam("channel"), User.external_id == bindparam("external_id"))
        sender = [select(col).where(*who).scalar_subquery().label(col.key) for col in SENDER_COLUMNS]
        values = {"channel": bindparam("channel"), "update_id": bindparam("update_id")}
        _SENDER_STATEMENTS[dialect] = insert_ignore(dialect, ProcessedUpdate, values).returning(
            ProcessedUpdate.update_id, *sender)
    return _SENDER_STATEMENTS[dialect]


class UpdateRepo(Repo):
    async def first_time(self, channel: str, update_id: int) -> bool:
        """Record the update id; False if it was recorded before (a replay)."""
        stmt = insert_ignore(self.dialect, ProcessedUpdate, {"channel": channel, "update_id": update_id})
        row = (await self.session.execute(stmt.returning(ProcessedUpdate.update_id))).first()
        return row is not None

    async def first_time_with_sender(
        self, channel: str, update_id: int, external_id: int,
    ) -> tuple[bool, Row[Any] | None]:
        """Record the update id and read its sender in the same round trip.

        (fresh, sender row or None for someone new); (False, None) for a replay. Each aiosqlite
        statement costs a thread hop, and this is the one statement every update makes.
        """
        params = {"channel": channel, "update_id": update_id, "external_id": external_id}
        row = (await self.session.execute(_record_and_read_sender(self.dialect), params)).first()
        if row is None:
            return False, None
        return True, (row if row.id is not None else None)

    async def forget_before(self, cutoff: datetime) -> int:
        res = await self.session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < cutoff))
        return res.rowcount or 0
