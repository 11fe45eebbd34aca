"""Agencies (OPD) from a spreadsheet: create or update by code, bad rows reported by line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db.models import Agency
from db.uow import UnitOfWork
from services import spreadsheet
from services.agencies.fields import SHORT_MAX, clean_code, clean_keywords, clean_name
from services.imports.kinds import Context, Kind
from services.spreadsheet import LOST_DIGITS, BadCell, ImportReport, Row, Table, cell

REQUIRED = ("code", "name")
OPTIONAL = ("short_name", "keywords", "parent", "head_telegram_id")


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, Row]]]:
    return spreadsheet.read_rows(path, REQUIRED)


@dataclass
class _Parsed:
    line: int
    code: str
    values: dict[str, object]  # only the columns the file has
    parent: str | None


def _parse(line: int, row: Row, header: list[str]) -> _Parsed:
    with cell("code"):
        code = clean_code(row.get("code", ""))
    with cell("name"):
        values: dict[str, object] = {"name": clean_name(row.get("name", ""))}
    if "short_name" in header:
        short = row.get("short_name", "").strip()
        with cell("short_name"):
            values["short_name"] = clean_name(short, limit=SHORT_MAX, code="opd.err.short_name") if short else None
    if "keywords" in header:
        with cell("keywords"):
            values["keywords"] = clean_keywords(row.get("keywords", ""))
    if "head_telegram_id" in header:
        head = row.get("head_telegram_id", "").strip()
        if head == LOST_DIGITS:
            raise BadCell("head_telegram_id", "imp.row.id_lost_digits")
        if head and not (head.isascii() and head.isdigit() and 0 < int(head) < 2**63):
            raise BadCell("head_telegram_id", "imp.row.telegram_id", value=head[:20])
        values["head_telegram_id"] = int(head) if head else None
    parent = row.get("parent", "").strip() if "parent" in header else None
    return _Parsed(line, code, values, parent.upper() if parent else ("" if parent == "" else None))


def _cycle(code: str, parents: dict[str, str | None]) -> bool:
    seen = {code}
    at = parents.get(code)
    while at:
        if at in seen:
            return True
        seen.add(at)
        at = parents.get(at)
    return False


async def import_rows(
    uow: UnitOfWork, header: list[str], rows: list[tuple[int, Row]], *, actor: str,
    actor_user_id: int | None = None, dry_run: bool = False, audit: bool = True,
) -> ImportReport:
    """Create or update agencies by code; bad rows are reported by line, good ones imported.

    Re-importing the same file changes nothing. A column the file does not have is left as
    it is; an empty cell in a column it has clears that value. `dry_run`: nothing written.
    """
    report = ImportReport()
    parsed: dict[str, _Parsed] = {}
    for line, row in rows:
        try:
            p = _parse(line, row, header)
        except BadCell as e:
            report.reject_cell(line, e)
            continue
        if p.code in parsed:
            report.reject(line, "code", "imp.row.code_repeated", code=p.code)
            continue
        parsed[p.code] = p
    existing = {a.code: a for a in await uow.agencies.all()}
    by_id = {a.id: a.code for a in existing.values()}
    parents = {c: by_id.get(a.parent_id) if a.parent_id else None for c, a in existing.items()}
    for code, p in list(parsed.items()):
        if p.parent is not None:
            parents[code] = p.parent or None
    refused: dict[str, str] = {}  # code → the message key of its refusal
    for code, p in parsed.items():  # judged on the whole file at once, so both ends of a cycle say so
        if p.parent and p.parent not in parsed and p.parent not in existing:
            refused[code] = "imp.row.unknown_parent"
        elif p.parent and (p.parent == code or _cycle(code, parents)):
            refused[code] = "imp.row.parent_cycle"
    while refused:  # a refused row may be another row's parent: that one cannot be imported either
        for code, key in refused.items():
            p = parsed.pop(code)
            report.reject(p.line, "parent", key, parent=(p.parent or "")[:32])
        refused = {c: "imp.row.parent_refused" for c, p in parsed.items()
                   if p.parent and p.parent not in parsed and p.parent not in existing}
    report.errors.sort()
    agencies: dict[str, Agency] = dict(existing)
    for code, p in parsed.items():
        if code not in agencies and not dry_run:
            agencies[code] = uow.agencies.add(Agency(**{"code": code, "active": True, "keywords": [], **p.values}))
    if not dry_run:
        await uow.flush()
    for code, p in parsed.items():
        if code not in existing:
            if not dry_run and p.parent:
                agencies[code].parent_id = agencies[p.parent].id
            report.created += 1
            continue
        a = agencies[code]
        values = dict(p.values)
        if p.parent is not None:  # a parent new in this file has no id in a dry run: -1 differs from any
            values["parent_id"] = (agencies[p.parent].id if p.parent in agencies else -1) if p.parent else None
        changed = {k: v for k, v in values.items() if getattr(a, k) != v}
        if not dry_run:
            for k, v in changed.items():
                setattr(a, k, v)
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    if dry_run or not audit:
        return report
    uow.audit.record(actor, "agencies.import", None, actor_user_id=actor_user_id, created=report.created,
                     updated=report.updated, unchanged=report.unchanged, errors=len(report.errors))
    return report


async def _run(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    return await import_rows(uow, table.header, table.rows, actor=ctx.actor, actor_user_id=ctx.actor_user_id,
                             dry_run=dry_run, audit=False)


KIND = Kind("agencies", REQUIRED, OPTIONAL, _run, None, ("opd", "agency", "agencies"),
            label="opd.import_kind", order=50)
