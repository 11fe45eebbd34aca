"""SQLAlchemy's aiosqlite adapter with one thread hand-off per statement instead of three or four.

aiosqlite runs every call on its own thread, and SQLAlchemy's adapter makes a separate call
to open a cursor, to execute, to fetch the rows and to close the cursor: each a queue put, a
future and a wake-up of the event loop. Here one function does all four on aiosqlite's thread
(`_run`) and hands back the rows with the cursor's description, rowcount and lastrowid, so a
statement costs one hand-off and the commit another. The same sqlite3 connection, the same
thread, the same order of statements: only the number of round trips changes. Server-side
cursors (streamed results) keep SQLAlchemy's own class.

The per-update statements (`Repo.core`, inside `on_loop()`) skip even that hand-off: they are
small, by index, and run on the event loop's thread in microseconds, while the hand-off itself
(a queue put, a thread wake-up, the GIL passed there and back, a loop wake-up) cost more CPU than
the statement. Two things must never block the loop, so they stay on aiosqlite's thread: the
COMMIT (the WAL write and, now and then, a checkpoint with its fsync) and waiting for another
process's write lock — the statement is tried with no busy wait, and when the database is
locked it goes to the thread, which waits as every statement did before. A failed attempt has
changed nothing (SQLite undoes a statement that could not take its lock), so it is run again
there as it is.
"""

from __future__ import annotations

import collections
import contextvars
import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import aiosqlite
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT
from sqlalchemy.util.concurrency import await_

log = logging.getLogger(__name__)
Outcome = tuple[Any, Sequence[Any], int, int | None]  # description, rows, rowcount, lastrowid
CHECKPOINT_EVERY = 100  # commits; SQLite's own default is every 1,000 WAL pages, 100-200 updates
BUSY_WAIT_MS = 30_000  # how long a statement on the thread waits for another process's write lock
_ON_LOOP = contextvars.ContextVar("sqlite_on_loop", default=False)  # SQLAlchemy's greenlets inherit it
_LOCKED = (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


@contextmanager
def on_loop() -> Iterator[None]:
    """The statements run within go on the event loop's thread (small ones, by index: `Repo.core`)."""
    token = _ON_LOOP.set(True)
    try:
        yield
    finally:
        _ON_LOOP.reset(token)


def _commit_here(conn: sqlite3.Connection) -> bool:
    """COMMIT on the loop's thread (busy_timeout 0); False when it needs a lock another process holds."""
    try:
        conn.commit()
        return True
    except sqlite3.OperationalError as e:
        if e.sqlite_errorcode & 0xFF in _LOCKED:
            return False
        raise


def _checkpoint(conn: sqlite3.Connection) -> None:
    """On aiosqlite's thread: copy the WAL into the database as far as readers allow (never waits)."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").close()


def _run_here(conn: sqlite3.Connection, operation: str, parameters: Any) -> Outcome | None:
    """On the loop's thread (busy_timeout 0, never waiting for a lock): None when the database is locked."""
    try:
        return _run(conn, operation, parameters, False)
    except sqlite3.OperationalError as e:
        if e.sqlite_errorcode & 0xFF in _LOCKED:
            return None
        raise


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """On aiosqlite's thread: a statement from cursor to closed cursor."""
    cur = conn.cursor()
    try:
        if many:
            cur.executemany(operation, parameters)
        elif parameters is None:
            cur.execute(operation)
        else:
            cur.execute(operation, parameters)
        rows = cur.fetchall() if cur.description else ()
        return cur.description, rows, cur.rowcount, cur.lastrowid  # rowcount is final once fetched
    finally:
        cur.close()


class OneHopCursor(AsyncAdapt_aiosqlite_cursor):
    __slots__ = ("_description", "_rowcount", "_lastrowid", "_arraysize")

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # No aiosqlite cursor (opening one is a hand-off of its own): each statement opens and
        # closes a sqlite3 cursor on the thread.
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._description: Any = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._arraysize = 1

    @property
    def description(self) -> Any:
        return self._description

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> Any:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    async def _async_soft_close(self) -> None:
        return  # the sqlite3 cursor is closed already; the rows stay readable

    def close(self) -> None:
        self._rows.clear()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        return await self._one_hop(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Any) -> Any:
        return await self._one_hop(operation, seq_of_parameters, many=True)

    async def _one_hop(self, operation: Any, parameters: Any, *, many: bool) -> Any:
        conn: aiosqlite.Connection = self._connection  # type: ignore[assignment]  # SQLAlchemy types it as its adapter's protocol; it is aiosqlite's connection
        adapt: OneHopConnection = self._adapt_connection  # type: ignore[assignment]  # made by OneHopConnection
        async with adapt._execute_mutex:
            # Nothing else runs on this connection meanwhile: its calls are awaited one by one.
            here = None
            if _ON_LOOP.get() and not many:
                adapt.busy_wait(False)
                here = _run_here(conn._conn, operation, parameters)
            if here is None:
                adapt._on_thread = True
                adapt.busy_wait(True)
            outcome: Outcome = here or await conn._execute(  # type: ignore[no-untyped-call]  # aiosqlite's one-call hand-off is untyped
                _run, conn._conn, operation, parameters, many)
        self._description, rows, self._rowcount, self._lastrowid = outcome
        self._rows = collections.deque(rows)
        return None


class OneHopConnection(AsyncAdapt_aiosqlite_connection):
    """A transaction whose statements all ran on the loop commits there too (a few page writes
    to the WAL, no fsync with synchronous=NORMAL); any other commits on the thread as before.
    The WAL is checkpointed on the thread every `CHECKPOINT_EVERY` commits instead of inside
    some commit (`wal_autocheckpoint=0`): a checkpoint copies pages and fsyncs."""

    __slots__ = ("_on_thread", "_commits", "_no_wait")
    _cursor_cls = OneHopCursor  # type: ignore[assignment]  # a subclass; the base's type is inferred

    def __init__(self, dbapi: Any, connection: Any) -> None:
        super().__init__(dbapi, connection)
        self._on_thread = False  # a statement of this transaction ran on aiosqlite's thread
        self._commits = 0
        self._no_wait = False  # busy_timeout is 0 now: set once for a transaction, not per statement

    def busy_wait(self, wait: bool) -> None:
        """busy_timeout for what runs next: BUSY_WAIT_MS on the thread, 0 on the loop."""
        if self._no_wait is wait:
            conn: aiosqlite.Connection = self._connection  # type: ignore[assignment]  # as in OneHopCursor
            conn._conn.execute(f"PRAGMA busy_timeout={BUSY_WAIT_MS if wait else 0}").close()
            self._no_wait = not wait

    def commit(self) -> None:
        conn: aiosqlite.Connection = self._connection  # type: ignore[assignment]  # as in OneHopCursor
        if conn._connection is None:
            return  # closed: as SQLAlchemy's adapter
        try:
            if not self._on_thread:
                self.busy_wait(False)
            if self._on_thread or not _commit_here(conn._conn):
                self.busy_wait(True)
                super().commit()
            self.busy_wait(True)  # as every other call on the thread expects
        except Exception as error:  # as SQLAlchemy's adapter: sqlite3's error becomes the DBAPI's
            self._handle_exception(error)
        finally:
            self._on_thread = False
        self._commits += 1
        if self._commits % CHECKPOINT_EVERY == 0:
            try:
                await_(conn._execute(_checkpoint, conn._conn))  # type: ignore[no-untyped-call]  # as in OneHopCursor
            except Exception:  # the commit stands: a failed checkpoint is tried again 100 commits on
                log.warning("WAL checkpoint failed", exc_info=True)

    def rollback(self) -> None:
        try:
            if self._connection._connection:
                self.busy_wait(True)
            super().rollback()
        finally:
            self._on_thread = False


class OneHopDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module for `create_async_engine(..., module=OneHopDbapi())`."""

    def __init__(self) -> None:
        super().__init__(aiosqlite, sqlite3)

    def connect(self, *arg: Any, **kw: Any) -> OneHopConnection:
        adapted = super().connect(*arg, **kw)
        return OneHopConnection(self, adapted._connection)
