"""Agencies (OPD) as data, managed by HR in the chat (the spreadsheet import is `importing`).

An agency has a code (PUPR), a name, an optional short name, routing keywords that match
citizens' reports to it, an optional parent agency (a puskesmas under Dinas Kesehatan) and
its head's Telegram id. Deactivating one takes it out of routing; nothing is deleted.
Every change is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from db.models import Agency
from db.uow import UnitOfWork
from services.agencies.fields import KEYWORDS_MAX, clean_code, clean_keywords, clean_name, safe_code
from services.errors import InvalidInput, NotFound
from services.roles import Role, require_role
from services.users import Person


@dataclass(frozen=True)
class AgencyChoice:
    """One agency as a picker offers it (where to send a report, whose vacancy)."""

    id: int
    code: str
    name: str

    @classmethod
    def of(cls, a: Agency) -> AgencyChoice:
        return cls(a.id, a.code, a.name)


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


def _audit(uow: UnitOfWork, person: Person, action: str, a: Agency, **details: Any) -> None:
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
