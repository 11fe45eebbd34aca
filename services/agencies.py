"""Agencies (OPD) as data: imported from a spreadsheet, managed by HR in the chat.

An agency has a code (PUPR), a name, an optional short name, routing keywords that match
citizens' reports to it, an optional parent agency (a puskesmas under Dinas Kesehatan) and
its head's Telegram id. Deactivating one takes it out of routing; nothing is deleted.
Every change is audited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from db.models import Agency
from db.uow import UnitOfWork
from services import spreadsheet
from services.errors import InvalidInput, NotFound
from services.roles import Role, require_role
from services.spreadsheet import LOST_DIGITS, ImportReport, Row
from services.users import Person

REQUIRED = ("code", "name")
OPTIONAL = ("short_name", "keywords", "parent", "head_telegram_id")
NAME_MAX, SHORT_MAX = 200, 64
KEYWORDS_MAX, KEYWORD_LEN = 40, (2, 50)
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{1,31}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RUN = re.compile(r"\s+")
_KEYWORD_SPLIT = re.compile(r"[,;|\n]")

# English reasons for `FILE:LINE: reason`, like the employee import's.
REASONS = {
    "opd.err.code": "code must be 2–32 capitals, digits, '-' or '_'",
    "opd.err.name": f"name must be 2–{NAME_MAX} characters",
    "opd.err.short_name": f"short name must be at most {SHORT_MAX} characters",
    "opd.err.keywords": f"keywords: at most {KEYWORDS_MAX}, each {KEYWORD_LEN[0]}–{KEYWORD_LEN[1]} characters",
}


@dataclass(frozen=True)
class AgencyView:
    id: int
    code: str
    name: str
    short_name: str | None
    keywords: tuple[str, ...]
    active: bool
    parent_code: str | None
    head_telegram_id: int | None
    officers: int | None = None  # counted for one agency's card only


# --- checking what was typed or imported

def clean_code(raw: str) -> str:
    code = (raw or "").strip().upper()
    if not _CODE.fullmatch(code):
        raise InvalidInput("opd.err.code")
    return code


def clean_name(raw: str, *, limit: int = NAME_MAX, code: str = "opd.err.name") -> str:
    name = _RUN.sub(" ", _CONTROL.sub(" ", raw or "")).strip()
    if not 2 <= len(name) <= limit:
        raise InvalidInput(code, max=limit)
    return name


def clean_keywords(raw: str) -> list[str]:
    """Comma-separated (also ';' or '|'), lower case, duplicates dropped, order kept."""
    words = [_RUN.sub(" ", _CONTROL.sub(" ", w)).strip().lower() for w in _KEYWORD_SPLIT.split(raw or "")]
    words = list(dict.fromkeys(w for w in words if w))
    lo, hi = KEYWORD_LEN
    if len(words) > KEYWORDS_MAX or any(not lo <= len(w) <= hi for w in words):
        raise InvalidInput("opd.err.keywords", max=KEYWORDS_MAX)
    return words


def safe_code(raw: str) -> str:
    """What may be echoed of a typed code: code-like characters only."""
    return re.sub(r"[^A-Z0-9_-]", "", (raw or "").upper())[:32] or "-"


# --- the spreadsheet import

def read_rows(path: Path) -> tuple[list[str], list[tuple[int, Row]]]:
    return spreadsheet.read_rows(path, REQUIRED)


@dataclass
class _Parsed:
    line: int
    code: str
    values: dict[str, object]  # only the columns the file has
    parent: str | None


def _parse(line: int, row: Row, header: list[str]) -> _Parsed:
    code = clean_code(row.get("code", ""))
    values: dict[str, object] = {"name": clean_name(row.get("name", ""))}
    if "short_name" in header:
        short = row.get("short_name", "").strip()
        values["short_name"] = clean_name(short, limit=SHORT_MAX, code="opd.err.short_name") if short else None
    if "keywords" in header:
        values["keywords"] = clean_keywords(row.get("keywords", ""))
    if "head_telegram_id" in header:
        head = row.get("head_telegram_id", "").strip()
        if head == LOST_DIGITS or (head and not (head.isdigit() and 0 < int(head) < 2**63)):
            raise ValueError(f"head_telegram_id must be a Telegram user id (digits), got {head!r}")
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
    actor_user_id: int | None = None,
) -> ImportReport:
    """Create or update agencies by code; bad rows are reported by line, good ones imported.

    Re-importing the same file changes nothing. A column the file does not have is left as
    it is; an empty cell in a column it has clears that value.
    """
    report = ImportReport()
    parsed: dict[str, _Parsed] = {}
    for line, row in rows:
        try:
            p = _parse(line, row, header)
        except InvalidInput as e:
            report.errors.append((line, REASONS.get(e.code, e.code)))
            continue
        except ValueError as e:
            report.errors.append((line, str(e)))
            continue
        if p.code in parsed:
            report.errors.append((line, f"code {p.code} repeated in this file"))
            continue
        parsed[p.code] = p
    existing = {a.code: a for a in await uow.agencies.all()}
    by_id = {a.id: a.code for a in existing.values()}
    parents = {c: by_id.get(a.parent_id) if a.parent_id else None for c, a in existing.items()}
    for code, p in list(parsed.items()):
        if p.parent is not None:
            parents[code] = p.parent or None
    refused: dict[str, str] = {}
    for code, p in parsed.items():  # judged on the whole file at once, so both ends of a cycle say so
        if p.parent and p.parent not in parsed and p.parent not in existing:
            refused[code] = f"unknown parent agency {p.parent!r}"
        elif p.parent and (p.parent == code or _cycle(code, parents)):
            refused[code] = f"parent {p.parent!r} would make a cycle"
    while refused:  # a refused row may be another row's parent: that one cannot be imported either
        for code, reason in refused.items():
            report.errors.append((parsed.pop(code).line, reason))
        refused = {c: f"parent {p.parent!r} was refused above" for c, p in parsed.items()
                   if p.parent and p.parent not in parsed and p.parent not in existing}
    report.errors.sort()
    agencies: dict[str, Agency] = dict(existing)
    for code, p in parsed.items():
        if code not in agencies:
            agencies[code] = uow.agencies.add(Agency(**{"code": code, "active": True, "keywords": [], **p.values}))
    await uow.flush()
    for code, p in parsed.items():
        a = agencies[code]
        values = dict(p.values)
        if p.parent is not None:
            values["parent_id"] = agencies[p.parent].id if p.parent else None
        if code not in existing:
            a.parent_id = values.get("parent_id")  # type: ignore[assignment]
            report.created += 1
            continue
        changed = {k: v for k, v in values.items() if getattr(a, k) != v}
        for k, v in changed.items():
            setattr(a, k, v)
        if changed:
            report.updated += 1
        else:
            report.unchanged += 1
    uow.audit.record(actor, "agencies.import", None, actor_user_id=actor_user_id, created=report.created,
                     updated=report.updated, unchanged=report.unchanged, errors=len(report.errors))
    return report


# --- HR in the chat

def _view(a: Agency, codes: dict[int, str], officers: int | None = None) -> AgencyView:
    return AgencyView(a.id, a.code, a.name, a.short_name, tuple(a.keywords or []), a.active,
                      codes.get(a.parent_id) if a.parent_id else None, a.head_telegram_id, officers)


async def list_agencies(uow: UnitOfWork, person: Person) -> list[AgencyView]:
    require_role(person.role, Role.HR)
    rows = await uow.agencies.all()
    codes = {a.id: a.code for a in rows}
    return [_view(a, codes) for a in rows]


async def _get(uow: UnitOfWork, person: Person, agency_id: int) -> Agency:
    require_role(person.role, Role.HR)
    a = await uow.agencies.get(agency_id)
    if a is None:
        raise NotFound("opd.err.not_found")
    return a


async def card(uow: UnitOfWork, person: Person, agency_id: int) -> AgencyView:
    a = await _get(uow, person, agency_id)
    parent = await uow.agencies.get(a.parent_id) if a.parent_id else None
    codes = {parent.id: parent.code} if parent else {}
    return _view(a, codes, await uow.agencies.officer_count(a.id))


def _audit(uow: UnitOfWork, person: Person, action: str, a: Agency, **details: object) -> None:
    uow.audit.record(f"user:{person.id}", action, a.code, actor_user_id=person.id, **details)


async def create(uow: UnitOfWork, person: Person, raw_code: str, raw_name: str) -> AgencyView:
    require_role(person.role, Role.HR)
    code, name = clean_code(raw_code), clean_name(raw_name)
    if await uow.agencies.by_code(code):
        raise InvalidInput("opd.err.code_taken", agency=code)
    a = uow.agencies.add(Agency(code=code, name=name, keywords=[], active=True))
    await uow.flush()
    _audit(uow, person, "agency.create", a, name=name)
    return _view(a, {}, 0)


async def check_new_code(uow: UnitOfWork, person: Person, raw_code: str) -> str:
    """Step one of adding an agency: a well-formed code nobody has."""
    require_role(person.role, Role.HR)
    code = clean_code(raw_code)
    if await uow.agencies.by_code(code):
        raise InvalidInput("opd.err.code_taken", agency=code)
    return code


async def rename(uow: UnitOfWork, person: Person, agency_id: int, raw_name: str) -> AgencyView:
    a = await _get(uow, person, agency_id)
    name = clean_name(raw_name)
    before, a.name = a.name, name
    _audit(uow, person, "agency.rename", a, name=name, previous=before)
    return await card(uow, person, agency_id)


async def set_keywords(uow: UnitOfWork, person: Person, agency_id: int, raw: str) -> tuple[str, ...]:
    a = await _get(uow, person, agency_id)
    words = clean_keywords(raw)
    if not words:
        raise InvalidInput("opd.err.keywords", max=KEYWORDS_MAX)
    a.keywords = words  # a new list, so the JSON column is written
    _audit(uow, person, "agency.keywords", a, keywords=words)
    return tuple(words)


async def set_keywords_by_code(uow: UnitOfWork, person: Person, raw_code: str, raw: str) -> tuple[str, ...]:
    """`/opd CODE a, b, c`: the typed shortcut."""
    require_role(person.role, Role.HR)
    a = await uow.agencies.by_code(raw_code.strip())
    if a is None:
        raise NotFound("opd.err.unknown_code", agency=safe_code(raw_code))
    return await set_keywords(uow, person, a.id, raw)


async def set_active(uow: UnitOfWork, person: Person, agency_id: int, active: bool) -> AgencyView:
    """Deactivated: no longer offered to citizens or routed to; its reports and officers stay."""
    a = await _get(uow, person, agency_id)
    if a.active != active:
        a.active = active
        _audit(uow, person, "agency.activate" if active else "agency.deactivate", a)
    return await card(uow, person, agency_id)
