"""The per-update statements and their COMMIT run on the loop's thread on SQLite; a lock held by
another process sends them to aiosqlite's thread, which waits for it without blocking the loop."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import aiosqlite
import pytest

from bot.database import open_database
from db import sqlite_driver
from db.migrate import migrate


async def _database(tmp_path: Path) -> Any:
    url = f"sqlite+aiosqlite:///{tmp_path / 'loop.db'}"
    await migrate(url)
    return open_database(url)


def _count_handoffs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The functions handed to aiosqlite's thread, by name."""
    calls: list[str] = []
    original = aiosqlite.Connection._execute

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kw: Any) -> Any:
        calls.append(getattr(fn, "__name__", repr(fn)))
        return await original(self, fn, *args, **kw)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    return calls


async def test_an_update_hands_nothing_to_the_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = await _database(tmp_path)
    try:
        async with db.uow() as uow:  # open the connection first: connecting is the thread's work
            await uow.updates.first_time_with_sender("telegram", 1, 7)
            await uow.commit()
        calls = _count_handoffs(monkeypatch)
        async with db.uow() as uow:
            fresh, sender = await uow.updates.first_time_with_sender("telegram", 2, 7)
            assert fresh and sender is None
            await uow.users.create(dict(channel="telegram", external_id=7, chat_id=7, name="Rina", username=None,
                                        language_code="id", role="citizen", state_data={}))
            await uow.commit()
        assert calls == []
        async with db.engine.connect() as conn:  # what runs on the thread after it still waits for locks
            raw = await conn.get_raw_connection()
            sqlite = raw.driver_connection._conn  # type: ignore[union-attr]  # aiosqlite's sqlite3 connection
            assert sqlite.execute("PRAGMA busy_timeout").fetchone()[0] == sqlite_driver.BUSY_WAIT_MS
        async with db.uow() as uow:  # committed: both rows are there
            fresh, sender = await uow.updates.first_time_with_sender("telegram", 2, 7)
            assert not fresh
            fresh, sender = await uow.updates.first_time_with_sender("telegram", 3, 7)
            assert fresh and sender is not None and sender.name == "Rina"
            await uow.commit()
    finally:
        await db.dispose()


async def test_a_transaction_with_other_statements_commits_on_the_thread(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = await _database(tmp_path)
    try:
        async with db.uow() as uow:
            await uow.updates.first_time("telegram", 1)  # an ORM-path statement: the thread's
            await uow.updates.first_time_with_sender("telegram", 2, 7)
            calls = _count_handoffs(monkeypatch)
            await uow.commit()
        assert calls  # the commit went to the thread: never mixed with a statement there
        async with db.uow() as uow:
            assert not await uow.updates.first_time("telegram", 1)
            assert not await uow.updates.first_time("telegram", 2)
    finally:
        await db.dispose()


async def test_a_lock_held_elsewhere_is_waited_for_on_the_thread(tmp_path: Path) -> None:
    db = await _database(tmp_path)
    other = sqlite3.connect(tmp_path / "loop.db", isolation_level=None)
    try:
        async with db.uow() as uow:
            await uow.updates.first_time_with_sender("telegram", 1, 7)
            await uow.commit()
        other.execute("BEGIN IMMEDIATE")  # another process's write transaction
        ticks = 0

        async def tick() -> None:
            nonlocal ticks
            while True:
                await asyncio.sleep(0.01)
                ticks += 1

        ticker = asyncio.create_task(tick())

        async def update() -> bool:
            async with db.uow() as uow:
                fresh, _ = await uow.updates.first_time_with_sender("telegram", 2, 7)
                await uow.commit()
            return fresh

        waiting = asyncio.create_task(update())
        await asyncio.sleep(0.3)
        assert not waiting.done()  # waiting for the lock, on the thread
        assert ticks >= 5  # while the loop goes on
        other.execute("COMMIT")
        assert await asyncio.wait_for(waiting, 10)
        ticker.cancel()
        async with db.uow() as uow:
            assert not await uow.updates.first_time("telegram", 2)
    finally:
        other.close()
        await db.dispose()


async def test_the_wal_is_checkpointed_on_the_thread(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = await _database(tmp_path)
    try:
        calls = _count_handoffs(monkeypatch)
        for i in range(sqlite_driver.CHECKPOINT_EVERY * 2):
            async with db.uow() as uow:
                await uow.updates.first_time_with_sender("telegram", i + 1, 7)
                await uow.commit()
        assert calls.count("_checkpoint") == 2
    finally:
        await db.dispose()
