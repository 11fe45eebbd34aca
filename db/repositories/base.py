from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession


class Repo:
    """Queries through the caller's session; never commits."""

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
