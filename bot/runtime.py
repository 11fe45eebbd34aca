"""Assemble the running bot: database, engine, app, outbox sender, scheduler; then serve."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from bot.core import App
from bot.database import open_database
from bot.delivery import Pause
from bot.engines.base import Engine, make_engine
from bot.metrics import MeteredChannel, Metrics, new_metrics
from bot.outbox import OutboxSender, reply_reserve
from bot.progress import ProgressEditor
from bot.scheduler import SchedulerHandle, build_jobs, start_scheduler
from bot.warmup import start_warmup
from db.engine import Database
from db.migrate import migrate
from handlers import build_router
from handlers.channel import Channel
from handlers.features import bot
from handlers.i18n import LOCALES, t
from handlers.notices import render_notice
from services.settings import Settings

if TYPE_CHECKING:  # aiohttp's server side loads only for a webhook or the ops endpoints (polling needs neither)
    from aiohttp import web

    from bot.channels.whatsapp.side import WhatsAppSide

log = logging.getLogger(__name__)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    engine: Engine
    app: App
    sender: OutboxSender
    username: str
    metrics: Metrics
    progress: ProgressEditor
    whatsapp: WhatsAppSide | None = None  # citizens on WhatsApp, when SAPA_WHATSAPP_* are set
    wa_sender: OutboxSender | None = None  # their pushes, at WhatsApp's pace


async def open_runtime(settings: Settings, engine_name: str | None = None) -> Runtime:
    await migrate(settings.database_url)
    db = open_database(settings.database_url)
    engine = make_engine(engine_name or settings.engine, settings.token or "", settings.bot_api_url)
    username = await engine.start()
    async with db.uow() as uow:  # rows from before update ids were kept per bot become this bot's
        await uow.updates.adopt_unscoped(engine.channel.name, engine.bot_id)
        await uow.commit()
    pause = Pause()
    metrics = new_metrics()
    app_settings = settings.model_copy(update={"bot_username": username})
    router = build_router()
    whatsapp: WhatsAppSide | None = None
    telegram: Channel = engine.channel
    if settings.whatsapp_enabled:
        from bot.channels.whatsapp.files import WithWhatsAppFiles
        from bot.channels.whatsapp.side import whatsapp_side

        whatsapp = whatsapp_side(app_settings, db, router, metrics=metrics)
        telegram = WithWhatsAppFiles(engine.channel, whatsapp.channel)  # staff see citizens' WhatsApp photos
        whatsapp.channel.other_files = engine.channel.download  # and citizens a broadcast's photo
    channel = MeteredChannel(telegram, metrics)
    sender = OutboxSender(db, channel, render_notice, rate=settings.send_rate,
                          in_flight=settings.send_in_flight, pause=pause,
                          default_locale=settings.default_locale, reserve=reply_reserve(settings.send_rate),
                          # With WhatsApp on, each channel's sender claims its own people's rows.
                          only_channel=engine.channel.name if whatsapp is not None else None)
    app = App(app_settings, db, router, channel,
              pause=pause, after_commit=sender.wake, metrics=metrics, bot_id=engine.bot_id)
    progress = ProgressEditor(db, channel, pause, rate=settings.send_rate, quiet=settings.quiet, tz=settings.tz,
                              default_locale=settings.default_locale)
    rt = Runtime(settings, db, engine, app, sender, username, metrics, progress)
    if whatsapp is not None:
        from bot.channels.whatsapp.side import whatsapp_outbox

        rt.whatsapp = whatsapp
        rt.wa_sender = whatsapp_outbox(whatsapp, settings)
        whatsapp.app.after_commit = rt.wa_sender.wake
    return rt


async def _publish_commands(rt: Runtime) -> None:
    for locale in LOCALES:
        commands = [(c, t(locale, f"cmd.{c}")) for c in bot().commands]
        try:
            await rt.engine.set_commands(commands, None if locale == rt.settings.default_locale else locale)
        except Exception as e:  # a cosmetic call must not stop the bot
            log.warning("setMyCommands(%s) failed: %s", locale, e)


async def serve(settings: Settings, *, mode: str, engine_name: str | None = None,
                stop: asyncio.Event | None = None, worker_index: int = 0) -> None:
    """Run until SIGINT/SIGTERM (or `stop` is set): updates, outbox, scheduler."""
    stop = stop or _stop_on_signals()
    rt = await open_runtime(settings, engine_name)
    log.info("SAPA @%s on %s (%s, %s)", rt.username, settings.bot_api_url, engine_name or settings.engine, mode)
    if worker_index == 0:
        await _publish_commands(rt)
    scheduler = await start_scheduler(rt.db, settings, build_jobs(settings))
    tasks = [asyncio.create_task(_send_while_leading(scheduler, rt.sender, rt.progress, rt.wa_sender), name="outbox")]
    runner: web.AppRunner | None = None
    ops: web.AppRunner | None = None
    try:
        if settings.ops_listen:
            from bot.jobrun import job_table
            from bot.ops import ops_app, start_ops
            from services.clock import utc_now

            jobs = build_jobs(settings)
            ops = await start_ops(settings.ops_listen, ops_app(
                rt.db, rt.metrics, lambda: scheduler.leading, lambda: job_table(rt.db, settings, jobs, utc_now())))
        if mode == "webhook":
            runner = await _start_webhook(rt, register=worker_index == 0)
        else:
            await rt.engine.delete_webhook()
            if rt.whatsapp is not None:  # WhatsApp only calls webhooks: its own server, on the webhook's address
                runner = await _start_whatsapp_only(rt)
            tasks.append(asyncio.create_task(rt.engine.poll(rt.app.handle, settings.polling_concurrency),
                                             name="polling"))
        start_warmup()  # after the first poll is under way: the first chart must not wait for font scanning
        waiter = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait([waiter, *tasks], return_when=asyncio.FIRST_COMPLETED)
        for task in done:
            if task is not waiter and (error := task.exception()) is not None:
                raise error
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
        for r in (runner, ops):
            if r:
                await r.cleanup()
        await scheduler.stop()
        await rt.engine.close()
        if rt.whatsapp is not None:
            await rt.whatsapp.close()
        await rt.db.dispose()


async def _send_while_leading(scheduler: SchedulerHandle, sender: OutboxSender, progress: ProgressEditor,
                              wa_sender: OutboxSender | None = None) -> None:
    # Telegram's ~30 msg/s is per bot, not per process: of several `sapa webhook` processes on
    # PostgreSQL only the scheduler's leader sends, so SAPA_SEND_RATE is the bot's whole rate.
    # (SKIP LOCKED claiming keeps a brief overlap during a leadership hand-over harmless.)
    await scheduler.wait_leading()
    await asyncio.gather(sender.run(), progress.run(),  # one editor of broadcast progress: the leader
                         *([wa_sender.run()] if wa_sender else []))


async def _start_webhook(rt: Runtime, *, register: bool = True) -> web.AppRunner:
    s = rt.settings
    if not s.webhook_url:
        raise SystemExit("SAPA_WEBHOOK_URL is required for `sapa webhook` (the public https URL Telegram calls)")
    if not s.secret:
        raise SystemExit("SAPA_WEBHOOK_SECRET is required for `sapa webhook` (1-256 chars of A-Za-z0-9_-)")
    from aiohttp import web

    from bot.webhook import webhook_app

    path = urlparse(s.webhook_url).path or "/"
    web_app = webhook_app(path, s.secret, rt.app.handle)
    if rt.whatsapp is not None:  # `/wa/hook` beside Telegram's path, on the same server
        rt.whatsapp.add_routes(web_app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    host, _, port = s.webhook_listen.rpartition(":")
    await web.TCPSite(runner, host, int(port), reuse_port=s.webhook_reuse_port or None).start()
    if register:  # of several workers, one tells Telegram where to call
        await rt.engine.set_webhook(s.webhook_url, s.secret, s.webhook_max_connections)
    log.info("webhook listening on %s, path %s", s.webhook_listen, path)
    return runner


async def _start_whatsapp_only(rt: Runtime) -> web.AppRunner:
    from aiohttp import web

    assert rt.whatsapp is not None
    web_app = web.Application(client_max_size=2**20)
    rt.whatsapp.add_routes(web_app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    host, _, port = rt.settings.webhook_listen.rpartition(":")
    await web.TCPSite(runner, host, int(port)).start()
    log.info("WhatsApp webhook listening on %s, path /wa/hook", rt.settings.webhook_listen)
    return runner


def _stop_on_signals() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    return stop
