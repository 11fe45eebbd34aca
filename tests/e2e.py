"""Run the real `sapa` process against the Bot API emulator, as a person would use it."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import text

from bot.database import open_database
from bot.sandbox.emulator import Emulator
from db.migrate import migrate
from db.models import Base
from handlers.features import bot
from services.clock import utc_now
from services.demo import seed_demo

ROOT = Path(__file__).resolve().parent.parent


async def seeded_sqlite(path: Path) -> str:
    url = f"sqlite+aiosqlite:///{path}"
    await migrate(url)
    db = open_database(url)
    async with db.uow() as uow:
        await seed_demo(uow, utc_now(), bot().demo)
        await uow.commit()
    await db.dispose()
    return url


async def fresh_database(url: str, now: datetime | None = None) -> None:
    """A PostgreSQL database emptied and seeded with the demo as of `now`, for tests with real processes."""
    await migrate(url)
    db = open_database(url)
    try:
        names = ", ".join(t.name for t in Base.metadata.sorted_tables)  # the schema's own names, not input
        async with db.engine.begin() as conn:
            await conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        async with db.uow() as uow:
            await seed_demo(uow, now or utc_now(), bot().demo)
            await uow.commit()
    finally:
        await db.dispose()


@contextlib.asynccontextmanager
async def sapa_process(args: list[str], env: dict[str, str], log: Path,
                       root: Path = ROOT) -> AsyncIterator[asyncio.subprocess.Process]:
    """`sapa ARGS` from the checkout at `root` (another one: bench/throughput.py --baseline)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("SAPA_")}
    full_env.update(env)
    if root != ROOT:
        full_env["PYTHONPATH"] = str(root)
    with log.open("wb") as out:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot.cli", *args, env=full_env, cwd=root, stdout=out, stderr=out)
        try:
            yield proc
        finally:
            if proc.returncode is None:
                proc.terminate()
                try:
                    await asyncio.wait_for(proc.wait(), 10)
                except TimeoutError:
                    proc.kill()
                    await proc.wait()


@contextlib.asynccontextmanager
async def live_sapa(
    tmp: Path, env: dict[str, str] | None = None, *, args: tuple[str, ...] = ("run",),
    emulator: Emulator | None = None, ready: Callable[[Emulator], bool] | None = None,
) -> AsyncIterator[Emulator]:
    """A real `sapa` process against an emulator, started and ready; stopped on exit.

    Demo data is seeded into a SQLite file unless `env` names a database; `ready` defaults to
    "commands published", the last thing start-up does before polling. The log must end with
    no traceback.
    """
    emu = emulator or Emulator(rate_limit=0)
    await emu.start()
    full = {"SAPA_BOT_TOKEN": "123456:E2E", "SAPA_BOT_API_URL": emu.url, **(env or {})}
    if "SAPA_DATABASE_URL" not in full:
        full["SAPA_DATABASE_URL"] = await seeded_sqlite(tmp / "sapa.db")
    is_ready = ready or (lambda e: bool(e.commands()))
    log = tmp / "sapa.log"
    try:
        async with sapa_process(list(args), full, log) as proc:
            await wait_until(lambda: is_ready(emu) or proc.returncode is not None, 300, "sapa to start")  # a bound, not a pace
            assert proc.returncode is None, log.read_text()
            yield emu
    finally:
        await emu.stop()
    text = log.read_text()
    assert "Traceback" not in text, text


async def wait_until(predicate: Any, within: float = 20.0, what: str = "condition") -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        if loop.time() > deadline:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


class User:
    """A person in the emulator: say, press, and read what the bot answered."""

    def __init__(self, emu: Emulator, user_id: int, first_name: str = "Rina", language_code: str = "id") -> None:
        self.emu, self.id, self.first_name, self.lang = emu, user_id, first_name, language_code

    def _count(self) -> int:
        return len(self.emu.sent(self.id))

    async def _expect_reply(self, action: Any, *, within: float = 60.0) -> str:  # a bound, not a pace
        before_seq = self.emu.seq
        await action
        await wait_until(lambda: any(m.get("seq", 0) > before_seq for m in self.emu.sent(self.id)),
                         within, f"a reply to {self.id}")
        # Let the rest of a multi-message reply land: wait until a quiet spell (a loaded machine
        # can space the messages of one reply further apart than a fixed pause allows).
        count = -1
        for _ in range(20):
            await asyncio.sleep(0.15)
            if len(self.emu.sent(self.id)) == count:
                break
            count = len(self.emu.sent(self.id))
        return self.last_text()

    async def say(self, text: str) -> str:
        return await self._expect_reply(self.emu.say(self.id, text, first_name=self.first_name,
                                                     language_code=self.lang))

    async def press(self, label: str) -> str:
        msgs = [m for m in self.emu.sent(self.id) if m.get("reply_markup")]
        for m in reversed(msgs):
            for row in (m["reply_markup"] or {}).get("inline_keyboard", []):
                for b in row:
                    if label in b["text"]:
                        return await self._expect_reply(self.emu.press(
                            self.id, data=b["callback_data"], message_id=m["message_id"]))
        raise LookupError(f"no button {label!r} in {[m.get('text') for m in msgs[-2:]]}")

    async def share_contact(self, phone: str) -> str:
        return await self._expect_reply(self.emu.share_contact(self.id, phone))

    async def send_photo(self, content: bytes, caption: str | None = None) -> str:
        return await self._expect_reply(self.emu.send_photo(self.id, content, caption))

    async def send_document(self, name: str, content: bytes, mime: str, *, declared_size: int | None = None) -> str:
        return await self._expect_reply(self.emu.send_document(
            self.id, name, content, mime_type=mime, declared_size=declared_size))

    async def send_location(self, lat: float, lon: float) -> str:
        return await self._expect_reply(self.emu.send_location(self.id, lat, lon))

    def labels(self) -> list[str]:
        """Inline button labels of the newest message that has any."""
        for m in sorted(self.emu.sent(self.id), key=lambda m: m.get("seq", 0), reverse=True):
            rows = (m.get("reply_markup") or {}).get("inline_keyboard")
            if rows:
                return [b["text"] for row in rows for b in row]
        return []

    def last_text(self) -> str:
        msgs = sorted(self.emu.sent(self.id), key=lambda m: m.get("seq", 0))
        return msgs[-1]["text"] if msgs else ""

    def texts(self) -> list[str]:
        return [m["text"] for m in self.emu.sent(self.id)]
