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
from services.errors import InvalidInput
from services.spreadsheet import LOST_DIGITS, BadCell, ImportReport, Row, column_of

REQUIRED = ("nip", "year", "period", "stage")
OPTIONAL = ("result_rating", "behaviour_rating", "predikat", "deadline", "missing")
MISSING_MAX, MISSING_LEN = 20, 200
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# English reasons for `FILE:LINE: reason`, as the employee and agency imports write them.
REASONS = {
    "skp.err.year": "year must be four digits (2000–2100), got {value!r}",
    "skp.err.period": "period must be the year, YEAR-S1/S2 or YEAR-Q1..Q4, got {value!r}",
    "skp.err.period_year": "period {value!r} is not in year {year}",
    "skp.err.stage": "stage must be perencanaan, pelaksanaan, penilaian or tindak_lanjut, got {value!r}",
    "skp.err.rating": "rating must be below/as_expected/above (di bawah / sesuai / di atas ekspektasi, 1–3), "
                      "got {value!r}",
    "skp.err.predikat": "unknown predikat {value!r}",
    "skp.err.deadline": "deadline must be a date (YYYY-MM-DD or DD/MM/YYYY), got {value!r}",
}


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
        raise ValueError(f"missing: at most {MISSING_MAX} items separated by ';'")
    if any(len(i) > MISSING_LEN for i in items):
        raise ValueError(f"missing: each item at most {MISSING_LEN} characters")
    return items


def _parse(row: Row, header: list[str], tz: ZoneInfo) -> _Parsed:
    raw_nip = row.get("nip", "").strip()
    if raw_nip == LOST_DIGITS:
        raise BadCell("nip", "NIP stored as a number lost its last digits; format the NIP column as Text")
    nip = nips.clean(raw_nip)
    if len(nip) != 18 or nip != raw_nip.replace(" ", ""):
        raise BadCell("nip", f"NIP must be 18 digits, got {len(nip)} digit(s)")
    year = rules.year_of(row.get("year", ""))
    values: dict[str, Any] = {"stage": rules.stage(row.get("stage", ""))}
    for column in ("result_rating", "behaviour_rating"):
        if column in header:
            try:
                values[column] = rules.rating(row.get(column, ""))
            except InvalidInput as e:
                raise BadCell(column, _reason(e)) from None
    if "predikat" in header:
        values["predikat"] = rules.predikat_word(row.get("predikat", ""))
    if "deadline" in header:
        day = rules.deadline_day(row.get("deadline", ""))
        values["deadline"] = rules.end_of_day(day, tz) if day else None
    if "missing" in header:
        values["missing"] = _clean_missing(row.get("missing", ""))
    return _Parsed(nip, year, rules.period(year, row.get("period", "")), values)


def _settle_predikat(values: dict[str, Any], stated: cs.Predikat | None) -> None:
    """The matrix decides; a stated predikat is only a check. ValueError when they disagree."""
    result, behaviour = values.get("result_rating"), values.get("behaviour_rating")
    if result and behaviour:
        derived = cs.predikat(cs.Rating(result), cs.Rating(behaviour))
        if stated is not None and stated != derived:
            raise ValueError(f"predikat {stated.value!r} contradicts the matrix: result {result} × behaviour "
                             f"{behaviour} gives {derived.value!r}; row not stored")
        values["predikat"] = derived.value
    elif stated is not None:
        raise ValueError("predikat needs both result_rating and behaviour_rating to be checked against the matrix")
    else:
        values["predikat"] = None


def _reason(e: InvalidInput) -> str:
    return REASONS.get(e.code, e.code).format(**e.params)


_COLUMN = {"skp.err.year": "year", "skp.err.period": "period", "skp.err.period_year": "period",
           "skp.err.stage": "stage", "skp.err.predikat": "predikat", "skp.err.deadline": "deadline"}


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
            report.reject(line, str(e), e.column)
        except InvalidInput as e:
            report.reject(line, _reason(e), _COLUMN.get(e.code))
        except ValueError as e:
            report.reject(line, str(e), column_of(str(e), header))
    employees = await uow.employees.by_nips(sorted({p.nip for _, p in parsed}))
    existing = await uow.appraisals.by_keys(sorted({e.id for e in employees.values()}))
    seen: set[tuple[str, str]] = set()
    for line, p in parsed:
        emp = employees.get(p.nip)
        if emp is None:
            report.reject(line, f"unknown NIP {nips.mask(p.nip)}: import the employee first", "nip")
            continue
        if (p.nip, p.period) in seen:
            report.reject(line, f"period {p.period} of NIP {nips.mask(p.nip)} repeated in this file", "period")
            continue
        seen.add((p.nip, p.period))
        row = existing.get((emp.id, p.period))
        current = {"result_rating": row.result_rating, "behaviour_rating": row.behaviour_rating,
                   "predikat": row.predikat, "deadline": row.deadline, "missing": list(row.missing or [])
                   } if row else {"result_rating": None, "behaviour_rating": None, "predikat": None,
                                  "deadline": None, "missing": []}
        values = {**current, **p.values}
        stated = p.values.get("predikat") if "predikat" in p.values else None
        try:
            _settle_predikat(values, stated)
        except ValueError as e:
            report.reject(line, str(e), "predikat")
            continue
        values = {k: (v.value if isinstance(v, cs.Rating | rules.Stage) else v) for k, v in values.items()}
        if row is None:
            if not dry_run:
                uow.appraisals.add(Appraisal(employee_id=emp.id, year=p.year, period=p.period, **values))
            report.created += 1
        elif all(getattr(row, k) == v for k, v in values.items()):
            report.unchanged += 1
        else:
            if not dry_run:
                for k, v in values.items():
                    if getattr(row, k) != v:
                        setattr(row, k, v)
            report.updated += 1
    report.errors.sort()
    if audit and not dry_run:
            uow.audit.record(actor, "appraisals.import", None, actor_user_id=actor_user_id, created=report.created,
                         updated=report.updated, unchanged=report.unchanged, errors=len(report.errors))
    return report
