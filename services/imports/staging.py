"""A file HR sent in the chat, from its arrival to its confirmation (HR and superadmins only).

Decided: the bytes are never stored. The dry run downloads the file, and so does the
confirmation, by the same Telegram file_id; the confirmation's bytes must hash to what the dry
run read (`digest`), else nothing is imported. A staged row lives until the import is done or
cancelled, or `KEEP` has passed (a job removes it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from db.models import StagedImport
from db.uow import UnitOfWork
from services.errors import InvalidInput, NotFound
from services.imports.kinds import Kinds
from services.roles import Role, require_role
from services.spreadsheet import MAX_BYTES, SUFFIXES
from services.users import Person

KEEP = timedelta(hours=24)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
NAME_MAX = 200


@dataclass(frozen=True)
class Staged:
    id: int
    kind: str | None
    file_id: str
    file_name: str
    digest: str | None
    summary: dict[str, int]


def _view(row: StagedImport) -> Staged:
    return Staged(row.id, row.kind, row.file_id, row.file_name, row.digest, dict(row.summary or {}))


def check_file(name: str | None, size: int | None) -> str:
    """Refused before anything is downloaded: too big for getFile, or not a CSV/XLSX by its name."""
    clean = " ".join(_CONTROL.sub("", name or "").split()) or "file"
    if size is not None and size > MAX_BYTES:
        raise InvalidInput("import.too_big", mb=MAX_BYTES // (1024 * 1024))
    suffix = Path(clean).suffix.lower()
    if len(clean) > NAME_MAX:  # shortened, keeping what says the kind of file
        clean = clean[:NAME_MAX - len(suffix) - 1] + "…" + clean[len(clean) - len(suffix):]
    if suffix == ".xls":
        raise InvalidInput("import.old_excel")
    if suffix not in SUFFIXES:
        raise InvalidInput("import.not_spreadsheet")
    return clean


async def stage(uow: UnitOfWork, actor: Person, file_id: str, name: str | None, size: int | None,
                kind: str | None, *, now: datetime) -> Staged:
    require_role(actor.role, Role.HR)
    clean = check_file(name, size)
    row = uow.imports.add({"user_id": actor.id, "kind": kind, "file_id": file_id[:256], "file_name": clean,
                           "file_size": size or 0, "status": "reading", "summary": {}, "created_at": now})
    await uow.flush()
    return _view(row)


async def _mine(uow: UnitOfWork, actor: Person, staged_id: int, statuses: tuple[str, ...], now: datetime,
                ) -> StagedImport:
    require_role(actor.role, Role.HR)
    row = await uow.imports.get(staged_id, lock=True)
    if row is None or row.user_id != actor.id or row.status not in statuses or row.created_at < now - KEEP:
        raise NotFound("import.expired")
    return row


async def choose_kind(uow: UnitOfWork, actor: Person, staged_id: int, kind: str, *, kinds: Kinds,
                      now: datetime) -> Staged:
    """HR names the kind of a file whose header fitted none: one of `kinds` (the features')."""
    row = await _mine(uow, actor, staged_id, ("asking",), now)
    if kind not in kinds:  # button data no button of ours carried
        raise NotFound("import.expired")
    row.kind, row.status = kind, "reading"
    return _view(row)


async def asking(uow: UnitOfWork, staged_id: int) -> None:
    row = await uow.imports.get(staged_id, lock=True)
    if row is not None and row.status == "reading":
        row.status = "asking"


async def planned(uow: UnitOfWork, staged_id: int, kind: str, digest: str, summary: dict[str, int]) -> bool:
    """The dry run's result kept for the confirmation; False when Batal came first (nothing kept)."""
    row = await uow.imports.get(staged_id, lock=True)
    if row is None or row.status != "reading":
        return False
    row.kind, row.digest, row.summary, row.status = kind, digest, summary, "planned"
    return True


async def confirm(uow: UnitOfWork, actor: Person, staged_id: int, *, now: datetime) -> Staged:
    """The dry run's plan confirmed: the row is taken (a second press finds it gone)."""
    row = await _mine(uow, actor, staged_id, ("planned",), now)
    row.status = "applying"
    return _view(row)


async def cancel(uow: UnitOfWork, actor: Person, staged_id: int, *, now: datetime) -> None:
    await _mine(uow, actor, staged_id, ("planned", "asking"), now)
    await uow.imports.remove(staged_id)


async def stop(uow: UnitOfWork, actor: Person, staged_id: int, *, now: datetime) -> Staged:
    """Batal on a running dry run or import. The work, not this, ends it: it looks between two chunks
    of rows or batches, so it can say what it had done by then."""
    row = await _mine(uow, actor, staged_id, ("reading", "applying", "stopping"), now)
    row.status = "stopping"
    return _view(row)


async def stopping(uow: UnitOfWork, staged_id: int) -> bool:
    """Whether the work on this row should stop: Batal was pressed, or the row is gone (purged)."""
    row = await uow.imports.get(staged_id)
    return row is None or row.status == "stopping"


async def drop(uow: UnitOfWork, staged_id: int) -> None:
    """Done or failed: the staged row goes."""
    await uow.imports.remove(staged_id)


async def purge(uow: UnitOfWork, now: datetime) -> int:
    """The rows left behind (never confirmed, or a restart during an import)."""
    return await uow.imports.remove_older_than(now - KEEP)
