"""PostgreSQL between tests: back to empty, or to the seeded demo, in one round trip.

TRUNCATE of every table costs ~0.6 s on PostgreSQL (it replaces each table's files) and
seeding the demo ~0.3 s more: ~1 s per test. The tables are small, so DELETE is cheap, and
the seeded rows are copied back from a snapshot schema taken once per session.
"""

from __future__ import annotations

import asyncio
import os

import asyncpg
from sqlalchemy.engine import make_url

from bot.database import open_database
from db.models import Base
from handlers.features import bot
from services.demo import seed_demo

SNAPSHOT = "sapa_seed"


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _tables() -> list[str]:
    return [t.name for t in Base.metadata.sorted_tables]  # the schema's own names, not input


async def _sequences(conn: asyncpg.Connection) -> list[tuple[str, int, bool]]:
    rows = await conn.fetch(
        "SELECT schemaname || '.' || sequencename AS name, last_value, last_value IS NOT NULL AS called "
        "FROM pg_sequences WHERE schemaname = 'public'")
    return [(r["name"], r["last_value"] or 1, r["called"]) for r in rows]


def _setval(sequences: list[tuple[str, int, bool]]) -> str:
    if not sequences:
        return ""
    calls = ", ".join(f"setval('{name}', {value}, {'true' if called else 'false'})"
                      for name, value, called in sequences)
    return f"SELECT {calls};"


def _admin(url: str) -> str:
    return make_url(url).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)


async def _admin_sql(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(_admin(url))
    try:
        for sql in statements:  # one at a time: CREATE DATABASE refuses to run in a transaction block
            await conn.execute(sql)
    finally:
        await conn.close()


def worker_database(url: str | None) -> str | None:
    """Under pytest-xdist, a database of this worker's own beside the one configured.

    Set in the environment too, before any test module reads it: the tests that start real
    processes pass it on, and two workers must never empty each other's tables.
    """
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not url or not worker:
        return url
    u = make_url(url)
    name = f"{u.database}_{worker}"  # e.g. sapa_ci_1733_42_gw0: the configured name, not input
    asyncio.run(_admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'))
    mine = u.set(database=name).render_as_string(hide_password=False)
    os.environ["SAPA_TEST_DATABASE_URL"] = mine
    return mine


def drop_worker_database(url: str | None) -> None:
    if url and os.environ.get("PYTEST_XDIST_WORKER"):
        name = make_url(url).database
        asyncio.run(_admin_sql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class Resetter:
    """Built once per session (snapshot taken); `reset(seeded)` before each test."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.empty_sql = ""
        self.seeded_sql = ""

    def prepare(self, now_for_seed: object) -> None:
        asyncio.run(self._prepare(now_for_seed))

    async def _prepare(self, now: object) -> None:
        tables = _tables()
        conn = await asyncpg.connect(_dsn(self.url))
        try:
            names = ", ".join(f'public."{t}"' for t in tables)
            await conn.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
            empty_seqs = [(n, 1, False) for n, _, _ in await _sequences(conn)]
        finally:
            await conn.close()
        db = open_database(self.url)
        try:
            async with db.uow() as uow:
                await seed_demo(uow, now, bot().demo)  # type: ignore[arg-type]
                await uow.commit()
        finally:
            await db.dispose()
        conn = await asyncpg.connect(_dsn(self.url))
        try:
            copies = "".join(f'CREATE TABLE {SNAPSHOT}."{t}" AS TABLE public."{t}";' for t in tables)
            await conn.execute(f"DROP SCHEMA IF EXISTS {SNAPSHOT} CASCADE; CREATE SCHEMA {SNAPSHOT}; {copies}")
            seeded_seqs = await _sequences(conn)
            seeded_tables = [t for t in tables
                             if await conn.fetchval(f'SELECT EXISTS (SELECT 1 FROM {SNAPSHOT}."{t}")')]
        finally:
            await conn.close()
        delete = "".join(f'DELETE FROM public."{t}";' for t in reversed(tables))
        self.empty_sql = delete + _setval(empty_seqs)
        inserts = "".join(f'INSERT INTO public."{t}" SELECT * FROM {SNAPSHOT}."{t}";' for t in seeded_tables)
        self.seeded_sql = delete + inserts + _setval(seeded_seqs)

    async def reset(self, *, seeded: bool) -> None:
        """One round trip; a multi-statement query runs as one implicit transaction."""
        conn = await asyncpg.connect(_dsn(self.url))
        try:
            await conn.execute(self.seeded_sql if seeded else self.empty_sql)
        finally:
            await conn.close()
