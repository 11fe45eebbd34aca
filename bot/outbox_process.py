"""The outbox sender as a process of its own, over a Telegram engine (`python -m bot.outbox`)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Any

from bot.database import open_database
from bot.delivery import Pause
from bot.outbox import OutboxSender, reply_reserve

log = logging.getLogger("bot.outbox")  # the sender's log: one logger for the operator to follow


async def run_sender_process(
    database_url: str, api_url: str, token: str, rate: float, in_flight: int, *,
    engine: str = "aiogram", default_locale: str = "id",
) -> None:
    """The sender alone, over a Telegram engine, until SIGTERM/SIGINT (or cancelled)."""
    from bot.engines.base import make_engine
    from handlers import build_router
    from handlers.notices import render_notice

    build_router()  # importing the feature modules registers their notice templates
    db = open_database(database_url)
    bot = make_engine(engine, token, api_url)
    sender = OutboxSender(db, bot.channel, render_notice, rate=rate, in_flight=in_flight, pause=Pause(),
                          default_locale=default_locale, reserve=reply_reserve(rate))
    task = asyncio.create_task(_start_and_run(bot, sender))
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, task.cancel)
    try:
        await task
    except asyncio.CancelledError:
        pass
    finally:
        await bot.close()
        await db.dispose()


async def _start_and_run(bot: Any, sender: OutboxSender) -> None:
    while True:  # the Bot API server may not be up yet: wait for it rather than exit
        try:
            await bot.start()
            break
        except Exception as e:
            log.warning("outbox: Bot API not reachable (%s); retrying in 5 s", e)
            await asyncio.sleep(5)
    await sender.run()


def main() -> None:
    from services.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as e:
        raise SystemExit(str(e)) from None
    if not settings.token:
        raise SystemExit("SAPA_BOT_TOKEN is not set: the sender needs the bot's token")
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(run_sender_process(
        settings.database_url, settings.bot_api_url, settings.token, settings.send_rate, settings.send_in_flight,
        engine=settings.engine, default_locale=settings.default_locale))
