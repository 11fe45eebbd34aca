"""`sapa import KIND FILE [--dry-run]`: a subcommand for each kind the features register (their
manifests' `imports`), its help the kind's columns.

The same pipeline as the chat: the file is read and every row checked; `--dry-run` prints the plan
(new / updated / unchanged / rejected, each rejection as `FILE:LINE: COLUMN: reason`, the reason in the
deployment's default language) and writes nothing; without it the plan is applied, 1,000 rows per
transaction, and audited once.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli_errors import refuse
from services.errors import DomainError

if TYPE_CHECKING:  # `sapa --help` must not pay for pydantic-settings
    from services.imports.kinds import Kind, Kinds
    from services.settings import Settings


def kinds_for(argv: list[str]) -> Kinds | None:
    """The features' import kinds when the command is `import`, else None: assembling the bot loads
    the database code, which `sapa --help` and the other commands' parsing must not."""
    if argv[:1] != ["import"]:
        return None
    from handlers.features import bot

    return bot().imports


def columns(kind: Kind) -> str:
    """`a,b[,c,d]`: the required columns, then the optional ones in brackets."""
    optional = f"[,{','.join(kind.optional)}]" if kind.optional else ""
    by_person = " (recorded in the name of the HR account --as)" if kind.by_person else ""
    return ",".join(kind.required) + optional + by_person


def add_parsers(sub: Any, kinds: Kinds | None) -> None:
    imp = sub.add_parser("import", help="import data from a spreadsheet (--dry-run: show the plan only)")
    imp_sub = imp.add_subparsers(required=True, metavar="WHAT")
    for kind in (kinds or {}).values():
        p = imp_sub.add_parser(kind.name, help=columns(kind))
        p.add_argument("file", type=Path)
        p.add_argument("--dry-run", action="store_true", help="print what would change; write nothing")
        if kind.by_person:
            p.add_argument("--as", dest="as_user", type=int, required=True, metavar="TELEGRAM_ID",
                           help="the HR (or superadmin) account the rows are recorded by")
        p.set_defaults(func=_import, kind=kind.name)


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from bot.database import open_database
    from db.migrate import migrate
    from handlers.features import bot
    from handlers.i18n import t
    from services.clock import utc_now
    from services.imports import pipeline

    path: Path = args.file
    if not await asyncio.to_thread(path.is_file):
        print(f"sapa: no such file: {path}", file=sys.stderr)
        return 2
    try:
        content = await asyncio.to_thread(path.read_bytes)
        parsed = await pipeline.read(bot().imports, content, path.name, args.kind, max_rows=settings.import_max_rows)
        assert parsed is not None  # nothing stops it
    except DomainError as e:
        return refuse(settings, e, path)
    await migrate(settings.database_url)
    db = open_database(settings.database_url)
    try:
        actor: Any = "cli"
        if getattr(args, "as_user", None) is not None:
            async with db.uow() as uow:
                actor = await pipeline.person_of(uow, args.as_user)
        assert parsed.kind is not None
        report = await pipeline.run(db, actor, parsed.kind, parsed.table, dry_run=args.dry_run, tz=settings.tz,
                                    now=utc_now(), file_name=path.name)
    except DomainError as e:
        return refuse(settings, e, path)
    finally:
        await db.dispose()
    for rejected in report.errors:  # plain text: nothing to escape in a terminal
        column = f"{rejected.column}: " if rejected.column else ""
        print(f"{path}:{rejected.line}: {column}{t(settings.default_locale, rejected.key, **rejected.params)}",
              file=sys.stderr)
    if args.dry_run:
        print(f"dry run: {report.created} new, {report.updated} updated, {report.unchanged} unchanged, "
              f"{len(report.errors)} rejected; nothing written")
    else:
        unchanged = f", unchanged {report.unchanged}" if report.unchanged else ""
        print(f"imported {report.created} new, updated {report.updated}{unchanged}, rejected {len(report.errors)}")
    return 1 if report.errors else 0
