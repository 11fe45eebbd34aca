"""The only place where SQL differs between SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVarTuple

from sqlalchemy import Select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, AsyncSession
from sqlalchemy.sql.dml import Insert

Columns = TypeVarTuple("Columns")  # a SELECT keeps its row type through lock_rows


def insert_ignore(dialect: str, table: Any, values: dict[str, Any] | list[dict[str, Any]]) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING (the caller adds RETURNING when it needs to know)."""
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(values)
    return ins.on_conflict_do_nothing()


def insert_ignore_rows(dialect: str, table: Any) -> Insert:
    """INSERT … ON CONFLICT DO NOTHING without values: executed with a list of rows, it is compiled
    once and cached (a multi-VALUES statement is compiled anew for each batch)."""
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).on_conflict_do_nothing()


def upsert(dialect: str, table: Any, values: dict[str, Any], keys: list[str], update: list[str]) -> Insert:
    ins = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table).values(values)
    return ins.on_conflict_do_update(index_elements=keys, set_={c: ins.excluded[c] for c in update})


def sqlite_file(url: str | URL) -> Path | None:
    """The file behind a SQLite URL (absolute); None for another database or an in-memory one."""
    u = make_url(url)
    if not u.get_backend_name().startswith("sqlite") or not u.database or u.database == ":memory:":
        return None
    return Path(u.database).resolve()


def has_row_locks(dialect: str) -> bool:
    """PostgreSQL locks rows; SQLite has one writer, whose first write locks the whole database."""
    return dialect == "postgresql"


def lock_rows(dialect: str, stmt: Select[*Columns], *, skip_locked: bool = False, of: Any = None,
              ) -> Select[*Columns]:
    """Row locks on PostgreSQL (only `of`'s rows, e.g. the outer side of an outer join); on SQLite the
    transaction's first write already serialises writers."""
    if dialect == "postgresql":
        return stmt.with_for_update(skip_locked=skip_locked, of=of)
    return stmt


async def try_advisory_lock(conn: AsyncSession | AsyncConnection, dialect: str, key: int) -> bool:
    """A session-level lock held while the connection lives (PostgreSQL); SQLite: one process."""
    if dialect != "postgresql":
        return True
    return bool((await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": key})).scalar())


async def held_advisory_lock(engine: AsyncEngine, key: int) -> AsyncConnection | None:
    """A connection of its own holding PostgreSQL's session lock `key`, or None if another holds it.

    Committed straight away: the lock outlives the transaction, and the connection must not sit
    "idle in transaction" while it is kept.
    """
    conn = await engine.connect()
    try:
        got = await try_advisory_lock(conn, "postgresql", key)
        await conn.commit()
    except Exception:
        await conn.close()
        raise
    if not got:
        await conn.close()
        return None
    return conn


async def advisory_unlock(conn: AsyncSession | AsyncConnection, dialect: str, key: int) -> None:
    """Give the lock back before the connection returns to the pool (a pooled connection keeps it)."""
    if dialect == "postgresql":
        await conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": key})
