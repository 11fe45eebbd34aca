from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, delete, func, select, update
from sqlalchemy.orm import aliased
from sqlalchemy.sql.dml import Insert

from db.dialect import has_row_locks, insert_ignore
from db.models import ProcessedUpdate, User
from db.repositories.base import Repo, rowcount
from db.repositories.users import SENDER_COLUMNS, UserRepo

_SENDER_STATEMENTS: dict[str, Insert] = {}


def _record_and_read_sender(dialect: str) -> Insert:
    """Built once per dialect: composing 15 subqueries costs more than running them."""
    if dialect not in _SENDER_STATEMENTS:
        who = (User.channel == bindparam("channel"), User.external_id == bindparam("external_id"))
        sender = [select(col).where(*who).scalar_subquery().label(col.key) for col in SENDER_COLUMNS]
        values: dict[str, Any] = {"channel": bindparam("channel"), "bot_id": bindparam("bot_id"),
                                  "update_id": bindparam("update_id"), "message_key": bindparam("message_key")}
        _SENDER_STATEMENTS[dialect] = insert_ignore(dialect, ProcessedUpdate, values).returning(
            ProcessedUpdate.update_id, *sender)
    return _SENDER_STATEMENTS[dialect]


def _key(update_id: int | str) -> dict[str, Any]:
    """A numbered update (Telegram) or one named by a string (WhatsApp's `wamid.…`)."""
    if isinstance(update_id, str):
        return {"update_id": 0, "message_key": update_id}
    return {"update_id": update_id, "message_key": ""}


class UpdateRepo(Repo):
    async def first_time(self, channel: str, update_id: int | str, bot_id: int = 0) -> bool:
        """Record the update id of this bot; False if it was recorded before (a replay)."""
        stmt = insert_ignore(self.dialect, ProcessedUpdate,
                             {"channel": channel, "bot_id": bot_id, **_key(update_id)})
        row = (await self.session.execute(stmt.returning(ProcessedUpdate.update_id))).first()
        return row is not None

    async def first_time_with_sender(
        self, channel: str, update_id: int | str, external_id: int, bot_id: int = 0,
    ) -> tuple[bool, Row[Any] | None]:
        """Record the update id and read its sender, consistently with concurrent updates.

        (fresh, sender row or None for someone new); (False, None) for a replay. On SQLite one
        round trip (each aiosqlite statement costs a thread hop): the INSERT takes the write lock,
        so the sender read in its RETURNING is what the previous update committed.
        """
        if has_row_locks(self.dialect):
            # Two updates from one person may run at once in two processes: the second waits
            # on the row lock and then reads the state the first one committed.
            if not await self.first_time(channel, update_id, bot_id):
                return False, None
            return True, await UserRepo(self.session, self.dialect).sender(channel, external_id, lock=True)
        params = {"channel": channel, "bot_id": bot_id, **_key(update_id), "external_id": external_id}
        # The first statement of the update: nothing is pending, so the ORM has nothing to add.
        row = (await self.core(_record_and_read_sender(self.dialect), params)).first()
        if row is None:
            return False, None
        return True, (row if row.id is not None else None)

    async def adopt_unscoped(self, channel: str, bot_id: int) -> int:
        """Give rows recorded before update ids were scoped by bot (bot_id 0) to this bot.

        Run once at start-up: a batch replayed across the upgrade is then still a replay. A row
        this bot has already recorded under its own id stays as it is (the key would clash).
        """
        if not bot_id:
            return 0
        mine = aliased(ProcessedUpdate)
        clash = select(mine.update_id).where(
            mine.channel == channel, mine.bot_id == bot_id, mine.update_id == ProcessedUpdate.update_id,
            mine.message_key == ProcessedUpdate.message_key)
        res = await self.session.execute(
            update(ProcessedUpdate)
            .where(ProcessedUpdate.channel == channel, ProcessedUpdate.bot_id == 0, ~clash.exists())
            .values(bot_id=bot_id).execution_options(synchronize_session=False))
        return rowcount(res)

    async def highest(self, channel: str, bot_id: int) -> int:
        """The highest update id recorded for this bot or before ids were kept per bot (0 if none)."""
        res = await self.session.execute(select(func.max(ProcessedUpdate.update_id)).where(
            ProcessedUpdate.channel == channel, ProcessedUpdate.bot_id.in_((bot_id, 0))))
        return res.scalar_one() or 0

    async def forget_before(self, cutoff: datetime) -> int:
        res = await self.session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.at < cutoff))
        return rowcount(res)
