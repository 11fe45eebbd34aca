"""Read → check every row → plan (nothing written) → apply, for every kind of import.

A big file runs in batches of `BATCH` rows, each its own short transaction, so the bot keeps
answering other chats between them (on SQLite one connection is shared by everyone). A dry run
opens the same transactions but only reads. Applying re-plans each batch against what is stored
then, so what changed between the dry run and the confirmation is counted as it is, and a
second import of the same file finds every row unchanged and writes nothing at all.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from db.engine import Database
from db.uow import UnitOfWork
from services.account import nip as nips
from services.account.codes import actor_label
from services.errors import InvalidInput, NotFound
from services.imports import reading
from services.imports.kinds import Context, Kind, Kinds, detect
from services.roles import Role, require_role
from services.spreadsheet import DEFAULT_MAX_ROWS, ImportReport, Row, Stream, Table, check_columns, open_table
from services.users import Person

BATCH = 1000
Progress = Callable[[int, int], Awaitable[None]]  # (rows done, rows in all; 0: not known yet)
Stop = Callable[[], Awaitable[bool]]  # True: the person pressed Batal


@dataclass(frozen=True)
class Parsed:
    kind: Kind | None  # None: the header fits no kind (or several): ask
    table: Table
    digest: str  # SHA-256 of the bytes: the file confirmed is the file the dry run read


def parse(kinds: Kinds, content: bytes, name: str, kind_name: str | None = None, *,
          max_rows: int = DEFAULT_MAX_ROWS) -> Parsed:
    """The whole file at once, in this thread (tests, small files); the chat and the CLI use `read`.
    `kinds` is every kind the bot imports, by name (`handlers.features.bot().imports`)."""
    kind, stream = _open(kinds, content, name, kind_name, max_rows)
    table = Table(stream.header, list(stream.rows) if kind else [])
    if kind is not None and not table.rows:
        raise InvalidInput("import.no_rows")
    return Parsed(kind, table, hashlib.sha256(content).hexdigest())


def _open(kinds: Kinds, content: bytes, name: str, kind_name: str | None, max_rows: int,
          ) -> tuple[Kind | None, Stream]:
    stream = open_table(content, name, (), max_rows=max_rows)
    return kind_of(kinds, stream.header, kind_name), stream


def kind_of(kinds: Kinds, header: list[str], kind_name: str | None) -> Kind | None:
    """The kind HR named (its columns checked), else the one the header fits; None: ask."""
    kind = kinds.get(kind_name) if kind_name else detect(kinds, header)
    if kind is not None:
        check_columns(header, kind.required, kind.known)
    return kind


async def read(kinds: Kinds, content: bytes, name: str, kind_name: str | None = None, *,
               max_rows: int = DEFAULT_MAX_ROWS, progress: Progress | None = None,
               stop: Stop | None = None) -> Parsed | None:
    """`parse` where it cannot stall the bot (services/imports/reading.py), telling `progress` the rows
    read so far; None when `stop` said so between two chunks (nothing is kept)."""
    digest = await asyncio.to_thread(lambda: hashlib.sha256(content).hexdigest())
    async with reading.Reading(content, name, max_rows) as r:
        kind = kind_of(kinds, r.header, kind_name)
        if kind is None:  # HR is asked first: the rows are read once the kind is known
            return Parsed(None, Table(r.header, []), digest)
        rows: list[tuple[int, Row]] = []
        async for chunk in r.chunks():
            rows.extend(chunk)
            if progress is not None:
                await progress(len(rows), 0)
            if stop is not None and await stop():
                return None
    if not rows:
        raise InvalidInput("import.no_rows")
    return Parsed(kind, Table(r.header, rows), digest)


def batches(kind: Kind, rows: list[tuple[int, Row]]) -> list[list[tuple[int, Row]]]:
    """Rows in file order, cut every BATCH rows but never between two rows of one key (NIP)."""
    if kind.group is None:
        return [rows] if rows else []
    by_key: dict[str, list[tuple[int, Row]]] = {}
    for line, row in rows:
        by_key.setdefault(nips.clean(row.get(kind.group, "")) or f"?{line}", []).append((line, row))
    out: list[list[tuple[int, Row]]] = [[]]
    for group in by_key.values():
        if len(out[-1]) + len(group) > BATCH and out[-1]:
            out.append([])
        out[-1].extend(group)
    return out


async def run(db: Database, actor: Person | str, kind: Kind, table: Table, *, dry_run: bool, tz: ZoneInfo,
              now: datetime, file_name: str = "", progress: Progress | None = None,
              stop: Stop | None = None) -> ImportReport:
    """The plan (dry_run) or the import; HR and superadmins only (or a trusted operator label).

    Audited once per file, in the last batch's transaction: who, what kind, which file, the counts.
    An import that changed nothing (a file imported again) writes nothing at all, audit included.
    `stop` is asked before each batch: a stopped import keeps the batches already committed (its
    report says how many rows, `stopped`) and is audited as stopped."""
    label, user_id = actor_label(actor)
    person = actor if isinstance(actor, Person) else None
    ctx = Context(label, user_id, person, tz, now)
    total = ImportReport()
    parts = batches(kind, table.rows)

    def audit(uow: UnitOfWork, **extra: Any) -> None:
        uow.audit.record(label, f"{kind.name}.import", file_name[:100] or None, actor_user_id=user_id,
                         rows=len(table.rows), created=total.created, updated=total.updated,
                         unchanged=total.unchanged, errors=len(total.errors), **extra)

    for i, rows in enumerate(parts):
        if stop is not None and await stop():
            total.stopped = True
            break
        async with db.uow() as uow:
            report = await kind.run(uow, Table(table.header, rows), ctx, dry_run)
            total.add(report)
            if not dry_run:
                if i == len(parts) - 1 and (total.created or total.updated):  # a no-op import leaves no trace
                    audit(uow)
                await uow.commit()
        total.rows_done += len(rows)
        if progress is not None:
            await progress(total.rows_done, len(table.rows))
        await asyncio.sleep(0)  # other chats' updates run between two batches
    if total.stopped and not dry_run and (total.created or total.updated):
        async with db.uow() as uow:
            audit(uow, stopped_after=total.rows_done)
            await uow.commit()
    total.errors.sort()
    return total


async def person_of(uow: UnitOfWork, external_id: int) -> Person:
    """The operator's account for the CLI's `--as` (a `by_person` kind records its rows in a person's name)."""
    from services.users import person_from_row

    u = await uow.users.by_external("telegram", external_id)
    if u is None:
        raise NotFound("error.forbidden")
    person = person_from_row(u)
    require_role(person.role, Role.HR)
    return person
