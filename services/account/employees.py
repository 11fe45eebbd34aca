"""Employee records: import from CSV/XLSX (linking a chat account to one: services/account/linking.py)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from db.models import Agency
from db.uow import UnitOfWork
from services import civil_service, spreadsheet
from services.account import nip as nips
from services.errors import InvalidInput
from services.imports.kinds import Context, Kind
from services.spreadsheet import LOST_DIGITS, BadCell, ImportReport, Table, cell

COLUMNS = ("nip", "name", "phone", "agency", "golongan", "jabatan", "employment")
# Optional: a column the file leaves out leaves the value as it is; an empty cell clears it.
# PPPK numbers carry no dates, so birth_date and tmt are how HR gives them.
OPTIONAL = ("jabatan_kind", "birth_date", "tmt")
_DATE = (re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?: 00:00:00)?"),  # ISO; .xlsx date cells
         re.compile(r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"))  # 20/12/1995, as typed in Indonesia
GOLONGAN = tuple(f"{r}/{s}" for r, letters in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
                 for s in letters)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) from a .csv or .xlsx file; the header is line 1."""
    return spreadsheet.read_rows(path, COLUMNS)[1]


def _check(row: dict[str, str], agencies: dict[str, Agency]) -> dict[str, object]:
    """The row's values; BadCell names the column that refuses it."""
    employment = (row.get("employment") or "").upper()
    if employment not in ("PNS", "PPPK"):
        raise BadCell("employment", "imp.row.employment", value=row.get("employment", "")[:20])
    if row.get("nip") == LOST_DIGITS:
        raise BadCell("nip", "imp.row.nip_lost_digits")
    try:
        nip = nips.validate(row.get("nip", ""), employment)
    except InvalidInput as e:
        if e.code == "nip.bad_length":  # the chat's wording speaks to the person typing; a file gets its own
            raise BadCell("nip", "imp.row.nip_length", got=e.params["length"]) from None
        raise BadCell("nip", e.code, **e.params) from None
    name = (row.get("name") or "").strip()
    if not name:
        raise BadCell("name", "imp.row.empty")
    agency = agencies.get((row.get("agency") or "").strip().lower())
    if agency is None:
        raise BadCell("agency", "imp.row.unknown_agency", value=row.get("agency", "")[:60])
    roman, _, step = (row.get("golongan") or "").strip().replace(" ", "").partition("/")
    golongan = f"{roman.upper()}/{step.lower()}" if step else roman.upper()
    if golongan and golongan not in GOLONGAN and employment == "PNS":
        raise BadCell("golongan", "cs.err.golongan", value=row.get("golongan", "")[:20])
    values: dict[str, object] = {
        "nip": nip, "name": name[:200], "phone": nips.normalise_phone(row.get("phone")) or None,
        "agency_id": agency.id, "golongan": golongan or None, "jabatan": (row.get("jabatan") or "")[:200] or None,
        "employment": employment,
    }
    _optional(row, values)
    return values


def _optional(row: dict[str, str], values: dict[str, object]) -> None:
    """Check the optional columns the file has into `values`; BadCell when one refuses the row."""
    if "jabatan_kind" in row:
        with cell("jabatan_kind"):
            kind = civil_service.jabatan_kind(row["jabatan_kind"])
        values["jabatan_kind"] = kind.value if kind else None
    for column in ("birth_date", "tmt"):
        if column in row:
            raw = (row[column] or "").strip()
            day = _date(raw)
            if raw and day is None:
                raise BadCell(column, "imp.row.date", value=raw[:20])
            if day is not None and day > date.today():
                raise BadCell(column, "imp.row.future")
            values[column] = day
    born, start = values.get("birth_date"), values.get("tmt")
    if isinstance(born, date) and isinstance(start, date) and start.year < born.year + 17:
        raise BadCell("tmt", "imp.row.tmt_after_birth")


def _date(raw: str) -> date | None:
    for pattern in _DATE:
        if m := pattern.fullmatch(raw):
            try:
                return date(int(m["y"]), int(m["m"]), int(m["d"]))
            except ValueError:
                return None
    return None


async def import_rows(
    uow: UnitOfWork, rows: list[tuple[int, dict[str, str]]], *, actor: str, actor_user_id: int | None = None,
    dry_run: bool = False, audit: bool = True,
) -> ImportReport:
    """Good rows are created or updated (by NIP); bad rows are reported by line and column.

    A row equal to what is stored is `unchanged` and not touched (its updated_at stays). With
    `dry_run` nothing is written: the report is the plan. `audit=False`: the caller (the import
    pipeline, which runs a big file 1,000 rows per transaction) writes one audit row for the file.
    """
    agencies: dict[str, Agency] = {}
    for a in await uow.agencies.all_active():
        agencies[a.code.lower()] = agencies[a.name.lower()] = a
        if a.short_name:
            agencies.setdefault(a.short_name.lower(), a)
    report = ImportReport()
    checked: dict[str, dict[str, object]] = {}
    for line, row in rows:
        try:
            values = _check(row, agencies)
        except BadCell as e:
            report.reject_cell(line, e)
            continue
        if values["nip"] in checked:
            report.reject(line, "nip", "imp.row.nip_repeated")
        else:
            checked[str(values["nip"])] = values
    existing = await uow.employees.by_nips(list(checked))
    new: list[dict[str, object]] = []
    for nip, values in checked.items():
        if emp := existing.get(nip):
            changed = {k: v for k, v in values.items() if getattr(emp, k) != v}
            if not changed:
                report.unchanged += 1
                continue
            if not dry_run:
                for k, v in changed.items():
                    setattr(emp, k, v)
            report.updated += 1
        else:
            new.append(values)
            report.created += 1
    if not dry_run:
        await uow.employees.add_many(new)
    report.errors.sort()
    if audit and not dry_run:
        uow.audit.record(actor, "employees.import", None, actor_user_id=actor_user_id, created=report.created,
                         updated=report.updated, unchanged=report.unchanged, errors=len(report.errors))
    return report


async def _run(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    return await import_rows(uow, table.rows, actor=ctx.actor, actor_user_id=ctx.actor_user_id, dry_run=dry_run,
                             audit=False)  # the pipeline audits once per file


KIND = Kind("employees", COLUMNS, OPTIONAL, _run, "nip", ("pegawai", "employee", "employees", "asn"),
            label="akn.import_kind", order=10)
