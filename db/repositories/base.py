from __future__ import annotations

from typing import Any

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncSession


class Repo:
    """Queries through the caller's session; never commits."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect

    async def core(self, stmt: Executable, params: dict[str, Any] | None = None) -> CursorResult[Any]:
        """Run a Core statement on the session's connection, in its transaction, past the ORM.

        For the per-update statements only: the ORM's bulk-DML layer costs more CPU than the
        statement itself (~0.8 ms of 1.7 on SQLite), but it neither autoflushes pending objects
        nor updates loaded ones, so a caller must not rely on either.
        """
        conn = await self.session.connection()
        return await conn.execute(stmt, params)
