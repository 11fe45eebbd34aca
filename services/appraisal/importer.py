"""Loading SKP rows from BKPSDM's spreadsheet: `nip,year,period,stage,result_rating,
behaviour_rating,predikat,deadline,missing` (CSV or XLSX, the shared reader).

Rows are keyed by (NIP, period); re-importing updates them and an identical file changes
nothing. A column the file leaves out is left as it is; an empty cell clears its value.
The predikat always follows the matrix (civil_service.predikat) once both ratings are known:
a predikat cell is checked against it, and a row that contradicts it is reported, not stored.
Reasons never carry a whole NIP (they end up in terminals and logs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from db.models import Appraisal
from db.uow import UnitOfWork
from services import civil_service as cs
from services import spreadsheet
from services.account import nip as nips
from services.appraisal import rules
from services.imports.kinds import Context, Kind
from services.spreadsheet import LOST_DIGITS, BadCell, ImportReport, Row, Table, cell

REQUIRED = ("nip", "year", "period", "stage")
OPTIONAL = ("result_rating", "behaviour_rating", "predikat", "deadline", "missing")
MISSING_MAX, MISSING_LEN = 20, 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")



def read_rows(path: Path) -> tuple[list[str], list[tuple[int, Row]]]:
    return spreadsheet.read_rows(path, REQUIRED)


@dataclass
class _Parsed:
    nip: str
    year: int
    period: str
    values: dict[str, Any]  # only the columns the file has


def _clean_missing(raw: str) -> list[str]:
    items = [" ".join(_CONTROL.sub(" ", part).split()) for part in re.split(r"[;\n]", raw or "")]
    items = list(dict.fromkeys(i for i in items if i))
    if len(items) > MISSING_MAX:
        raise BadCell("missing", "imp.row.missing_items", max=MISSING_MAX)
    if any(len(i) > MISSING_LEN for i in items):
        raise BadCell("missing", "imp.row.missing_item_length", max=MISSING_LEN)
    return items


def _parse(row: Row, header: list[str], tz: ZoneInfo) -> _Parsed:
    raw_nip = row.get("nip", "").strip()
    if raw_nip == LOST_DIGITS:
        raise BadCell("nip", "imp.row.nip_lost_digits")
    nip = nips.clean(raw_nip)
    if len(nip) != 18 or nip != raw_nip.replace(" ", ""):
        raise BadCell("nip", "imp.row.nip_length", got=len(nip))
    with cell("year"):
        year = rules.year_of(row.get("year", ""))
    with cell("stage"):
        values: dict[str, Any] = {"stage": rules.stage(row.get("stage", ""))}
    for column in ("result_rating", "behaviour_rating"):
        if column in header:
            with cell(column):
                values[column] = rules.rating(row.get(column, ""))
    if "predikat" in header:
        with cell("predikat"):
            values["predikat"] = rules.predikat_word(row.get("predikat", ""))
    if "deadline" in header:
        with cell("deadline"):
            day = rules.deadline_day(row.get("deadline", ""))
        values["deadline"] = rules.end_of_day(day, tz) if day else None
    if "missing" in header:
        values["missing"] = _clean_missing(row.get("missing", ""))
    with cell("period"):
        period = rules.period(year, row.get("period", ""))
    return _Parsed(nip, year, period, values)


def _settle_predikat(values: dict[str, Any], stated: cs.Predikat | None) -> None:
    """The matrix decides; a stated predikat is only a check. BadCell when they disagree."""
    result, behaviour = values.get("result_rating"), values.get("behaviour_rating")
    if result and behaviour:
        derived = cs.predikat(cs.Rating(result), cs.Rating(behaviour))
        if stated is not None and stated != derived:
            raise BadCell("predikat", "imp.row.predikat_contradicts", stated=stated.value, result=result,
                          behaviour=behaviour, derived=derived.value)
        values["predikat"] = derived.value
    elif stated is not None:
        raise BadCell("predikat", "imp.row.predikat_needs_ratings")
    else:
        values["predikat"] = None


async def import_rows(
    uow: UnitOfWork, header: list[str], rows: list[tuple[int, Row]], *, tz: ZoneInfo, actor: str,
    actor_user_id: int | None = None, dry_run: bool = False, audit: bool = True,
) -> ImportReport:
    """Good rows are created or updated by (NIP, period); bad rows are reported by line and column.

    `dry_run`: nothing written, the report is the plan; `audit=False`: the caller audits the file."""
    report = ImportReport()
    parsed: list[tuple[int, _Parsed]] = []
    for line, row in rows:
        try:
            parsed.append((line, _parse(row, header, tz)))
        except BadCell as e:
            report.reject_cell(line, e)
    employees = await uow.employees.by_nips(sorted({p.nip for _, p in parsed}))
    existing = await uow.appraisals.by_keys(sorted({e.id for e in employees.values()}))
    seen: set[tuple[str, str]] = set()
    for line, p in parsed:
        emp = employees.get(p.nip)
        if emp is None:
            report.reject(line, "nip", "imp.row.unknown_nip", nip=nips.mask(p.nip))
            continue
        if (p.nip, p.period) in seen:
            report.reject(line, "period", "imp.row.period_repeated", period=p.period, nip=nips.mask(p.nip))
            continue
        seen.add((p.nip, p.period))
        stored = existing.get((emp.id, p.period))
        current = {"result_rating": stored.result_rating, "behaviour_rating": stored.behaviour_rating,
                   "predikat": stored.predikat, "deadline": stored.deadline, "missing": list(stored.missing or [])
                   } if stored else {"result_rating": None, "behaviour_rating": None, "predikat": None,
                                  "deadline": None, "missing": []}
        values = {**current, **p.values}
        stated = p.values.get("predikat") if "predikat" in p.values else None
        try:
            _settle_predikat(values, stated)
        except BadCell as e:
            report.reject_cell(line, e)
            continue
        values = {k: (v.value if isinstance(v, cs.Rating | rules.Stage) else v) for k, v in values.items()}
        if stored is None:
            if not dry_run:
                uow.appraisals.add(Appraisal(employee_id=emp.id, year=p.year, period=p.period, **values))
            report.created += 1
        elif all(getattr(stored, k) == v for k, v in values.items()):
            report.unchanged += 1
        else:
            if not dry_run:
                for k, v in values.items():
                    if getattr(stored, k) != v:
                        setattr(stored, k, v)
            report.updated += 1
    report.errors.sort()
    if audit and not dry_run:
            uow.audit.record(actor, "appraisals.import", None, actor_user_id=actor_user_id, created=report.created,
                         updated=report.updated, unchanged=report.unchanged, errors=len(report.errors))
    return report


async def _run(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    return await import_rows(uow, table.header, table.rows, tz=ctx.tz, actor=ctx.actor,
                             actor_user_id=ctx.actor_user_id, dry_run=dry_run, audit=False)


KIND = Kind("appraisals", REQUIRED, OPTIONAL, _run, "nip", ("skp", "appraisal", "appraisals"),
            label="skp.import_kind", order=20)
