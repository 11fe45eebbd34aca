"""Update ids count per bot: a restarted sandbox and a replaced bot are heard, a replay is not."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from bot.core import App
from bot.database import open_database
from bot.sandbox.run import free_local_port, run_sandbox
from db.models import ProcessedUpdate
from handlers import build_router
from handlers.kit import Incoming, Kind
from services.settings import load_settings


def start(update_id: int, user_id: int = 1001) -> Incoming:
    return Incoming("telegram", update_id, user_id, user_id, Kind.COMMAND, "Rina", text="/start",
                    command="start", args="")


async def test_the_same_database_behind_a_second_bot_answers(app, settings, db, channel, clock):
    first = App(settings, db, build_router(), channel, clock, bot_id=111)
    second = App(settings, db, build_router(), channel, clock, bot_id=222)  # a new token, same database
    assert await first.handle(start(7))
    assert await first.handle(start(7)) is None  # the same bot's replay: no second effect
    sent = len(channel.sent)
    replies = await second.handle(start(7))  # the new bot's own update 7: a new message
    assert replies and "Menu utama" in replies[-1].text
    assert len(channel.sent) > sent
    assert await second.handle(start(7)) is None


async def test_rows_from_before_the_upgrade_become_the_starting_bots(app, settings, db, channel, clock):
    async with db.uow() as uow:  # what 0021 leaves: ids handled before they were kept per bot
        uow.session.add(ProcessedUpdate(channel="telegram", bot_id=0, update_id=41))
        await uow.commit()
    async with db.uow() as uow:
        assert await uow.updates.adopt_unscoped("telegram", 555) == 1
        assert await uow.updates.adopt_unscoped("telegram", 555) == 0  # once is enough
        assert await uow.updates.highest("telegram", 555) == 41
        await uow.commit()
    bot = App(settings, db, build_router(), channel, clock, bot_id=555)
    assert await bot.handle(start(41)) is None  # replayed across the upgrade: still a replay
    assert await bot.handle(start(42))


@contextlib.asynccontextmanager
async def sandbox(db_path: Path) -> AsyncIterator[str]:
    """`sapa sandbox` in this process on a kept database; yields its URL once it listens.

    A message sent before the bot's first poll waits in the emulator's queue, as on Telegram.
    """
    import aiohttp

    port = free_local_port()
    url = f"sqlite+aiosqlite:///{db_path}"
    settings = load_settings(database_url=url, bot_token=None, quiet_hours="off", _env_file=None)
    stop = asyncio.Event()
    task = asyncio.create_task(run_sandbox(settings, listen=f"127.0.0.1:{port}", stop=stop))
    base = f"http://127.0.0.1:{port}"

    async def listening() -> bool:
        if task.done():
            return True
        try:
            async with aiohttp.ClientSession() as http, http.get(f"{base}/control/stats") as resp:
                return resp.status == 200
        except aiohttp.ClientError:
            return False

    try:
        await wait_until_async(listening, 120, "the sandbox to listen")
        assert not task.done(), task.exception()
        yield base
    finally:
        stop.set()
        await asyncio.wait_for(task, 60)


async def wait_until_async(check, seconds: float, what: str) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + seconds
    while not await check():
        assert loop.time() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.1)


async def say_and_wait(base: str, user_id: int, text: str) -> dict:
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.post(f"{base}/control/message", json={"user_id": user_id, "text": text,
                                                             "first_name": "Rina"}) as resp:
            assert resp.status == 200, await resp.text()
            update_id = (await resp.json())["update_id"]

        async def answered() -> bool:
            async with http.get(f"{base}/control/sent", params={"chat_id": str(user_id)}) as resp:
                body = await resp.json()
            return any("Menu utama" in (m.get("text") or "") for m in body["messages"])

        await wait_until_async(answered, 120, "the bot's answer")
    return {"update_id": update_id}


async def test_a_restarted_sandbox_answers(tmp_path: Path):
    path = tmp_path / "sapa.db"
    async with sandbox(path) as base:
        first = await say_and_wait(base, 7001, "/start")
    async with sandbox(path) as base:  # ./run.sh again on the kept sapa.db
        again = await say_and_wait(base, 7001, "/start")
    assert again["update_id"] > first["update_id"]  # the emulator went on counting
    db = open_database(f"sqlite+aiosqlite:///{path}")
    try:
        async with db.uow() as uow:
            assert await uow.updates.highest("telegram", 123456) == again["update_id"]
    finally:
        await db.dispose()

