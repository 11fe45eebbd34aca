"""`sapa` — run, webhook, sandbox, migrate, import, jobs, admin, qr."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from bot.cli_errors import refuse
from bot.loop import run
from services.errors import DomainError

if TYPE_CHECKING:  # SQLAlchemy and pydantic load once a command runs, not for `sapa --help`
    from db.uow import UnitOfWork
    from services.imports.kinds import Kinds
    from services.settings import Settings

NO_TOKEN = """\
SAPA_BOT_TOKEN is not set.
  • To connect a real bot: open Telegram, talk to @BotFather, send /newbot, and put the token
    it gives you in .env as SAPA_BOT_TOKEN=123456:ABC… (or export it), then run `sapa run`.
  • To try SAPA without Telegram: `sapa sandbox` opens a local web chat at http://127.0.0.1:8080"""


def main(argv: list[str] | None = None) -> int:
    from bot.cli_imports import kinds_for

    args = _parser(kinds_for(sys.argv[1:] if argv is None else argv)).parse_args(argv)
    from services.settings import SettingsError, load_settings

    try:
        settings = load_settings(**({"engine": args.engine} if getattr(args, "engine", None) else {}))
    except SettingsError as e:
        print(f"sapa: configuration error: {e}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("aiogram.event").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger("apscheduler.executors.default").setLevel(logging.WARNING)  # a line per run
    try:
        return run(args.func(settings, args), settings.event_loop) or 0
    except KeyboardInterrupt:
        return 130
    except SystemExit as e:
        if isinstance(e.code, str):
            print(f"sapa: {e.code}", file=sys.stderr)
            return 2
        raise


def _parser(imports: Kinds | None = None) -> argparse.ArgumentParser:
    """`imports`: the kinds `sapa import` offers (`handlers.features.bot().imports`); None leaves
    them out, so building the parser loads no feature code (`kinds_for` gives them for `sapa import`)."""
    p = argparse.ArgumentParser(prog="sapa", description="SAPA — Sistem Aspirasi dan Pelayanan ASN")
    sub = p.add_subparsers(required=True, metavar="COMMAND")

    run = sub.add_parser("run", help="long polling against SAPA_BOT_API_URL")
    run.add_argument("--engine", choices=("aiogram", "ptb"))
    run.set_defaults(func=_serve, mode="polling")

    hook = sub.add_parser("webhook", help="serve Telegram's webhook (SAPA_WEBHOOK_*)")
    hook.add_argument("--engine", choices=("aiogram", "ptb"))
    hook.add_argument("--workers", type=int, default=1, metavar="N",
                      help="N processes (PostgreSQL only): worker i listens on SAPA_WEBHOOK_LISTEN's port + i")
    hook.add_argument("--reuse-port", action="store_true",
                      help="with --workers: all on SAPA_WEBHOOK_LISTEN through SO_REUSEPORT (no balancer)")
    hook.add_argument("--worker-index", type=int, default=0, help=argparse.SUPPRESS)
    hook.set_defaults(func=_serve, mode="webhook")

    sandbox = sub.add_parser("sandbox", help="local web chat with a bundled Bot API emulator")
    sandbox.add_argument("--listen", help="host:port of the web chat (default SAPA_SANDBOX_LISTEN)")
    sandbox.set_defaults(func=_sandbox)

    sub.add_parser("migrate", help="upgrade the database schema").set_defaults(func=_migrate)

    from bot.cli_imports import add_parsers

    add_parsers(sub, imports)  # import KIND: the kinds the features register
    from bot import cli_jobs

    cli_jobs.add_parsers(sub)  # jobs [run NAME]

    adm = sub.add_parser("admin", help="manage staff roles")
    adm_sub = adm.add_subparsers(required=True, metavar="ACTION")
    add = adm_sub.add_parser("add", help="grant a role to a Telegram user id")
    add.add_argument("telegram_id", type=int)
    add.add_argument("--role", required=True, choices=("hr", "officer", "superadmin"))
    add.add_argument("--agency", help="agency code (officers)")
    add.set_defaults(func=_admin_add)
    code = adm_sub.add_parser("code", help="a one-time activation code for an employee (printed once)")
    code.add_argument("nip")
    code.add_argument("--hours", type=int, default=72, help="valid for this many hours (default 72)")
    code.set_defaults(func=_admin_code)
    rel = adm_sub.add_parser("release", help="free an employee record linked to a Telegram account")
    rel.add_argument("nip")
    rel.set_defaults(func=_admin_release)

    from bot import cli_whatsapp

    cli_whatsapp.add_parsers(sub)  # whatsapp templates

    qr = sub.add_parser("qr", help="QR code PNG for a service unit's survey")
    qr.add_argument("unit")
    qr.add_argument("-o", "--output", type=Path, required=True)
    qr.add_argument("--bot", help="bot username (default: asked from the Bot API, else SAPA_BOT_USERNAME)")
    qr.add_argument("--whatsapp", help="also a wa.me QR for this number (default SAPA_WHATSAPP_NUMBER)")
    qr.set_defaults(func=_qr)
    return p


async def _serve(settings: Settings, args: argparse.Namespace) -> int:
    if not settings.token:
        print(NO_TOKEN, file=sys.stderr)
        return 2
    if getattr(args, "workers", 1) > 1:
        from bot.workers import run_workers

        return await run_workers(settings, args.workers, engine=args.engine, reuse_port=args.reuse_port)
    from bot.runtime import serve

    await serve(settings, mode=args.mode, engine_name=args.engine, worker_index=getattr(args, "worker_index", 0))
    return 0


async def _sandbox(settings: Settings, args: argparse.Namespace) -> int:
    from bot.sandbox.run import run_sandbox

    await run_sandbox(settings, listen=args.listen or settings.sandbox_listen)
    return 0


async def _migrate(settings: Settings, _args: argparse.Namespace) -> int:
    from db.migrate import migrate

    await migrate(settings.database_url)
    print("database is at the latest schema")
    return 0


T = TypeVar("T")


async def _with_uow(settings: Settings, work: Callable[[UnitOfWork], Awaitable[T]], *, commit: bool) -> T:
    """One unit of work on the migrated database; DomainError goes to the caller."""
    from bot.database import open_database
    from db.migrate import migrate

    await migrate(settings.database_url)
    db = open_database(settings.database_url)
    try:
        async with db.uow() as uow:
            result = await work(uow)
            if commit:
                await uow.commit()
            return result
    finally:
        await db.dispose()


async def _admin_add(settings: Settings, args: argparse.Namespace) -> int:
    from services.clock import utc_now
    from services.reachability import REQUEUE_DAYS
    from services.staff.grant import grant_role

    try:
        g = await _with_uow(settings, lambda uow: grant_role(
            uow, actor="cli", external_id=args.telegram_id, role=args.role, agency_code=args.agency,
            now=utc_now()), commit=True)
    except DomainError as e:
        return refuse(settings, e)
    where = f" of {g.agency_code}" if g.agency_code else ""
    print(f"{g.external_id} is now {g.role}{where}")
    if not g.has_written:
        bot = f"https://t.me/{settings.bot_username}" if settings.bot_username else "the bot"
        print(f"They must open {bot} once and send /start: Telegram lets a bot write only to people who\n"
              "have written to it. Notices that could not reach them are sent again when they first write\n"
              f"(if still relevant: the report is open and the notice under {REQUEUE_DAYS} days old).")
    return 0


async def _admin_code(settings: Settings, args: argparse.Namespace) -> int:
    from datetime import timedelta

    from services.account.codes import issue_code
    from services.clock import utc_now

    try:
        issued = await _with_uow(settings, lambda uow: issue_code(
            uow, "cli", args.nip, utc_now(), valid_for=timedelta(hours=args.hours)), commit=True)
    except DomainError as e:
        return refuse(settings, e)
    until = issued.expires_at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M %Z")
    print(f"activation code for {issued.name} ({issued.nip_masked}): {issued.code}\n"
          f"valid until {until}, single use; they type it in /tautkan after their NIP")
    return 0


async def _admin_release(settings: Settings, args: argparse.Namespace) -> int:
    from services.account.linking import release

    try:
        r = await _with_uow(settings, lambda uow: release(uow, "cli", args.nip), commit=True)
    except DomainError as e:
        return refuse(settings, e)
    if r.external_id is None:
        print(f"{r.name} ({r.nip_masked}) was not linked to any Telegram account")
    else:
        print(f"released {r.name} ({r.nip_masked}) from Telegram account {r.external_id}")
    return 0


async def _qr(settings: Settings, args: argparse.Namespace) -> int:
    from services.survey.units import make_unit_qr

    username = args.bot or settings.bot_username or await _ask_username(settings)
    if not username:
        print("sapa: the bot's username is unknown: pass --bot NAME or set SAPA_BOT_USERNAME", file=sys.stderr)
        return 2
    try:
        name, png = await _with_uow(settings, lambda uow: make_unit_qr(uow, args.unit, username), commit=False)
    except DomainError as e:
        return refuse(settings, e, args.unit)
    args.output.write_bytes(png)
    print(f"{args.output}: QR for {name} → https://t.me/{username}?start=survei_{args.unit.upper()}")
    if number := (args.whatsapp or settings.whatsapp_number or "").replace(" ", "").removeprefix("+"):
        from bot.cli_whatsapp import survey_qr

        print(survey_qr(number, args.unit, name, args.output))
    return 0


async def _ask_username(settings: Settings) -> str | None:
    if not settings.token:
        return None
    from bot.engines.base import make_engine

    engine = make_engine(settings.engine, settings.token, settings.bot_api_url)
    try:
        return await engine.start()
    except Exception:
        return None
    finally:
        await engine.close()


if __name__ == "__main__":
    sys.exit(main())
