"""`sapa import trainings FILE`: trainings from CSV/XLSX, keyed by their code.

Times are local (the deployment's zone), `YYYY-MM-DD HH:MM`. A column the file leaves out is
left as it is; bad rows are reported by line and the good ones imported; re-importing the same
file changes nothing. A raised quota gives the new seats to the waiting list at once. A training
the file calls off (`status` cancelled) has its reminders still queued cancelled; one it moves or
renames has them follow (services.training.reminders), in the import's transaction.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from db.models.training import Training
from db.uow import UnitOfWork
from services import civil_service as cs
from services import spreadsheet
from services.imports.kinds import Context, Kind
from services.spreadsheet import BadCell, ImportReport, Row, Table, cell
from services.training import calling_off, reminders
from services.training.signup import fill_seats

REQUIRED = ("code", "title", "organiser", "starts_at", "ends_at", "jp", "quota", "registration_closes_at")
OPTIONAL = ("topic", "place", "online_url", "min_golongan", "max_golongan", "jabatan_kinds", "agencies",
            "employment", "status")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{1,31}")
_SPLIT = re.compile(r"[,;|]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_URL = re.compile(r"https?://[^\s<>\"']{3,490}")


def read_rows(path: Path) -> tuple[list[str], list[tuple[int, Row]]]:
    return spreadsheet.read_rows(path, REQUIRED)


def _text(row: Row, col: str, lo: int, hi: int) -> str:
    value = " ".join(_CONTROL.sub(" ", row.get(col, "")).split())
    if not lo <= len(value) <= hi:
        raise BadCell(col, "imp.row.text_length", min=lo, max=hi) if lo else BadCell(col, "imp.row.text_max", max=hi)
    return value


def _when(row: Row, col: str, tz: ZoneInfo) -> datetime:
    raw = row.get(col, "").strip()
    try:
        local = datetime.fromisoformat(raw.replace("T", " "))
        if local.tzinfo is None:
            local = local.replace(tzinfo=tz)
        return local.astimezone(ZoneInfo("UTC"))
    except (ValueError, OverflowError):  # 0001-01-01 00:00 local is before the first UTC day
        raise BadCell(col, "imp.row.local_time", value=raw[:40]) from None


def _number(row: Row, col: str, lo: int, hi: int) -> int:
    raw = row.get(col, "").strip()
    if not (raw.isascii() and raw.isdigit() and lo <= int(raw) <= hi):
        raise BadCell(col, "imp.row.whole_number", min=lo, max=hi, value=raw[:20])
    return int(raw)


def _parse(row: Row, header: list[str], tz: ZoneInfo, agencies: dict[str, int]) -> tuple[str, dict[str, Any]]:
    code = row.get("code", "").strip().upper()
    if not _CODE.fullmatch(code):
        raise BadCell("code", "imp.row.code")
    v: dict[str, Any] = {
        "title": _text(row, "title", 2, 200), "organiser": _text(row, "organiser", 2, 200),
        "starts_at": _when(row, "starts_at", tz), "ends_at": _when(row, "ends_at", tz),
        "registration_closes_at": _when(row, "registration_closes_at", tz),
        "jp": _number(row, "jp", 1, 200), "quota": _number(row, "quota", 1, 10000),
    }
    if v["ends_at"] <= v["starts_at"]:
        raise BadCell("ends_at", "imp.row.ends_before_start")
    if v["registration_closes_at"] > v["starts_at"]:
        raise BadCell("registration_closes_at", "imp.row.closes_after_start")
    if "topic" in header:
        v["topic"] = _text(row, "topic", 0, 300)
    if "place" in header:
        v["place"] = _text(row, "place", 0, 300) or None
    if "online_url" in header:
        url = row.get("online_url", "").strip()
        if url and not _URL.fullmatch(url):
            raise BadCell("online_url", "imp.row.url")
        v["online_url"] = url or None
    for col in ("min_golongan", "max_golongan"):
        if col in header:
            with cell(col):
                v[col] = cs.golongan(row.get(col))
    if v.get("min_golongan") and v.get("max_golongan") and cs.rank(v["min_golongan"]) > cs.rank(v["max_golongan"]):
        raise BadCell("min_golongan", "imp.row.golongan_order")
    if "jabatan_kinds" in header:
        with cell("jabatan_kinds"):
            kinds = [cs.jabatan_kind(k) for k in _SPLIT.split(row.get("jabatan_kinds", ""))]
        v["jabatan_kinds"] = list(dict.fromkeys(k.value for k in kinds if k))
    if "agencies" in header:
        ids = []
        for c in (c.strip().upper() for c in _SPLIT.split(row.get("agencies", ""))):
            if c and c not in agencies:
                raise BadCell("agencies", "imp.row.unknown_agency_code", value=c[:32])
            if c:
                ids.append(agencies[c])
        v["agency_ids"] = list(dict.fromkeys(ids))
    if "employment" in header:
        emp = row.get("employment", "").strip().upper()
        if emp not in ("", "PNS", "PPPK"):
            raise BadCell("employment", "imp.row.employment_or_empty", value=emp[:20])
        v["employment"] = emp or None
    if "status" in header:
        status = row.get("status", "").strip().lower() or "open"
        if status not in ("open", "cancelled"):
            raise BadCell("status", "imp.row.training_status", value=status[:20])
        v["status"] = status
    if not (v.get("place") or v.get("online_url")) and {"place", "online_url"} & set(header):
        raise BadCell("place", "imp.row.place_needed")
    return code, v


async def import_rows(uow: UnitOfWork, header: list[str], rows: list[tuple[int, Row]], *, actor: str, tz: ZoneInfo,
                      now: datetime, actor_user_id: int | None = None, dry_run: bool = False,
                      audit: bool = True) -> ImportReport:
    """`dry_run`: nothing written (not even a lock taken), the report is the plan."""
    report = ImportReport()
    agencies = await uow.trainings.agency_ids_by_code()
    parsed: dict[str, tuple[int, dict[str, Any]]] = {}
    for line, row in rows:
        try:
            code, values = _parse(row, header, tz, agencies)
        except BadCell as e:
            report.reject_cell(line, e)
            continue
        if code in parsed:
            report.reject(line, "code", "imp.row.code_repeated", code=code)
            continue
        parsed[code] = (line, values)
    existing = await uow.trainings.by_codes(list(parsed))
    for code, (line, values) in parsed.items():
        t = existing.get(code)
        if t is None:
            if not (values.get("place") or values.get("online_url")):  # a file with neither column
                report.reject(line, "place", "imp.row.place_needed")
                continue
            if not dry_run:
                uow.trainings.add(Training(code=code, **{"topic": "", "jabatan_kinds": [], "agency_ids": [], **values}))
            report.created += 1
            continue
        changed = {k: val for k, val in values.items() if getattr(t, k) != val}
        if not changed:
            report.unchanged += 1
            continue
        report.updated += 1
        if dry_run:
            continue
        locked = await uow.trainings.get(t.id, lock=True)  # seats may change hands: same lock as sign-up
        assert locked is not None
        for k, val in changed.items():
            setattr(locked, k, val)
        if "quota" in changed or "registration_closes_at" in changed:
            await uow.flush()
            await fill_seats(uow, locked, now, tz=tz.key)
        if changed.get("status") == "cancelled":
            # Called off: the people told and the reminders cancelled as from the chat, with its own
            # audit entry (the file's counts say only "updated").
            await uow.flush()
            await calling_off.followed(uow, locked, actor=actor, actor_user_id=actor_user_id, reason="", now=now,
                                       tz=tz.key)
        elif any(k in reminders.SHOWN for k in changed):
            await reminders.follow_training(uow, locked, tz.key)
    report.errors.sort()
    if dry_run:
        return report
    if audit:
        uow.audit.record(actor, "trainings.import", None, actor_user_id=actor_user_id, created=report.created,
                         updated=report.updated, unchanged=report.unchanged, errors=len(report.errors))
    await uow.flush()
    return report


async def _run(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    return await import_rows(uow, table.header, table.rows, actor=ctx.actor, tz=ctx.tz, now=ctx.now,
                             actor_user_id=ctx.actor_user_id, dry_run=dry_run, audit=False)


KIND = Kind("trainings", REQUIRED, OPTIONAL, _run, None, ("pelatihan", "training", "trainings"),
            label="tra.import_kind", order=30)
