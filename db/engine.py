"""Engine and unit-of-work factory for SQLite (embedded) and PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

from db.models import load_all
from db.sqlite_driver import BUSY_WAIT_MS, OneHopDbapi
from db.uow import UnitOfWork


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    if url.startswith("sqlite"):
        return _sqlite_engine(url, **kwargs)
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("pool_pre_ping", True)
    return create_async_engine(url, **kwargs)


def _sqlite_engine(url: str, **kwargs: Any) -> AsyncEngine:
    # One connection: concurrent writers on pooled SQLite connections collapse under
    # "database is locked" retries; queueing on one connection is far faster.
    # Each statement is a hop to aiosqlite's thread (~1 ms), so hops are budgeted:
    # - the driver opens the transaction implicitly with the first write (no BEGIN round trip);
    #   an update's first statement is its de-duplication INSERT, so it holds the write lock
    #   from its start, as BEGIN IMMEDIATE would;
    # - no rollback on returning a connection: the session already committed or rolled back.
    # - a statement is one hop, not three or four (cursor, execute, fetch, close: db.sqlite_driver).
    # - the per-update statements and their COMMIT take no hop at all: they run on the loop's
    #   thread, unless another process holds the write lock (db.sqlite_driver).
    engine = create_async_engine(
        url, pool_size=1, max_overflow=0, pool_timeout=300, pool_reset_on_return=None,
        connect_args={"timeout": BUSY_WAIT_MS / 1000, "check_same_thread": False}, module=OneHopDbapi(), **kwargs
    )

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON", f"busy_timeout={BUSY_WAIT_MS}",
                       "wal_autocheckpoint=0"):  # checkpoints run on aiosqlite's thread (db.sqlite_driver)
            cur.execute(f"PRAGMA {pragma}")
        cur.close()

    return engine


class Database:
    """Owns the engine; hands out one unit of work per update or job."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        # Every model module, not only those something imported: the ORM resolves relationships
        # by class name, and a feature's models need not be listed in db/models/__init__.py.
        load_all()
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.dialect = self.engine.dialect.name
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=True)

    @asynccontextmanager
    async def uow(self) -> AsyncIterator[UnitOfWork]:
        session: AsyncSession = self._sessions()
        try:
            yield UnitOfWork(session, self.dialect)
        finally:
            await session.close()  # rolls back whatever was not committed

    async def dispose(self) -> None:
        await self.engine.dispose()
