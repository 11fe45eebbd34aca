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
import multiprocessing
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db.engine import Database
from db.uow import UnitOfWork
from services.account import nip as nips
from services.account.codes import actor_label
from services.errors import InvalidInput, NotFound
from services.imports.kinds import KINDS, Context, Kind, detect
from services.roles import Role, require_role
from services.spreadsheet import ImportReport, Row, Table, check_columns, read_table
from services.users import Person

BATCH = 1000
Progress = Callable[[int, int], Awaitable[None]]  # (rows done, rows in the file)


@dataclass(frozen=True)
class Parsed:
    kind: Kind | None  # None: the header fits no kind (or several): ask
    table: Table
    digest: str  # SHA-256 of the bytes: the file confirmed is the file the dry run read


def parse(content: bytes, name: str, kind_name: str | None = None) -> Parsed:
    """CPU-bound (a 20,000-row XLSX takes seconds): call it through `asyncio.to_thread`."""
    table = read_table(content, name, ())
    kind = KINDS.get(kind_name) if kind_name else detect(table.header)
    if kind is not None:
        check_columns(table.header, kind.required, kind.known)
        if not table.rows:
            raise InvalidInput("import.no_rows")
    return Parsed(kind, table, hashlib.sha256(content).hexdigest())


_POOL: list[ProcessPoolExecutor] = []
OFF_PROCESS_BYTES = 256 * 1024  # above this a file is parsed in a worker process


def _parse_plain(content: bytes, name: str, kind_name: str | None) -> tuple[str | None, Table, str]:
    p = parse(content, name, kind_name)
    return (p.kind.name if p.kind else None), p.table, p.digest


async def parse_off_loop(content: bytes, name: str, kind_name: str | None = None) -> Parsed:
    """`parse` where it cannot stall the bot: a small file in a thread, a big one in a worker process.

    openpyxl is pure Python: a 20,000-row sheet is seconds of CPU holding the GIL, and in a thread
    the event loop then gets only slices of it, so every other chat's reply waits. A process has
    its own GIL (spawned, not forked: the bot has threads)."""
    if len(content) < OFF_PROCESS_BYTES:
        return await asyncio.to_thread(parse, content, name, kind_name)
    if not _POOL:
        _POOL.append(ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")))
    loop = asyncio.get_running_loop()
    kind, table, digest = await loop.run_in_executor(_POOL[0], _parse_plain, content, name, kind_name)
    return Parsed(KINDS[kind] if kind else None, table, digest)


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
              now: datetime, file_name: str = "", progress: Progress | None = None) -> ImportReport:
    """The plan (dry_run) or the import; HR and superadmins only (or a trusted operator label).

    Audited once per file, in the last batch's transaction: who, what kind, which file, the counts.
    An import that changed nothing (a file imported again) writes nothing at all, audit included."""
    label, user_id = actor_label(actor)
    person = actor if isinstance(actor, Person) else None
    ctx = Context(label, user_id, person, tz, now)
    total = ImportReport()
    parts = batches(kind, table.rows)
    done = 0
    for i, rows in enumerate(parts):
        async with db.uow() as uow:
            report = await kind.run(uow, Table(table.header, rows), ctx, dry_run)
            total.add(report)
            if not dry_run:
                if i == len(parts) - 1 and (total.created or total.updated):  # a no-op import leaves no trace
                    uow.audit.record(label, f"{kind.name}.import", file_name[:100] or None, actor_user_id=user_id,
                                     rows=len(table.rows), created=total.created, updated=total.updated,
                                     unchanged=total.unchanged, errors=len(total.errors))
                await uow.commit()
        done += len(rows)
        if progress is not None:
            await progress(done, len(table.rows))
        await asyncio.sleep(0)  # other chats' updates run between two batches
    total.errors.sort()
    return total


async def person_of(uow: UnitOfWork, external_id: int) -> Person:
    """The operator's account for the CLI's `--as` (results are recorded in a person's name)."""
    from services.users import _person

    u = await uow.users.by_external("telegram", external_id)
    if u is None:
        raise NotFound("error.forbidden")
    person = _person(u)
    require_role(person.role, Role.HR)
    return person
