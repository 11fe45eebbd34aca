"""Who may see which statistics, and over which days.

- HR and superadmins: every agency, or one they pick.
- An officer: their own agency only (the desk's officers follow their own numbers); asking for
  another agency, even with forged button data, is refused.
- Citizens and civil servants: not allowed.

A period is local calendar days (`services.statistics.period`); the presets are this month, last month,
this year and last year; `/statistik 2026-03` or `/statistik 2026-01-01 2026-03-31` picks others.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services.errors import DomainError, Forbidden, NotFound
from services.roles import Role, require_role
from services.statistics.period import Period, parse_period
from services.users import Person

Preset = Literal["month", "last_month", "year", "last_year"]
PRESETS: tuple[Preset, ...] = ("month", "last_month", "year", "last_year")
MAX_DAYS = 366 * 3  # a custom period longer than this is refused (the charts would be unreadable)

__all__ = ["PRESETS", "Period", "Scope", "parse", "preset", "scope", "utc_window"]


def preset(name: str, today: date) -> Period:
    first = today.replace(day=1)
    if name == "month":
        return Period(first, _month_end(first))
    if name == "last_month":
        prev = (first - timedelta(days=1)).replace(day=1)
        return Period(prev, _month_end(prev))
    if name == "year":
        return Period.of_year(today.year)
    if name == "last_year":
        return Period.of_year(today.year - 1)
    raise DomainError("stx.err.bad_period")


def _month_end(first: date) -> date:
    nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def parse(text: str, today: date) -> Period:
    """What a person typed after /statistik: empty (this month), a year, a month, or two dates."""
    if not text.strip():
        return preset("month", today)
    try:
        period = parse_period(text, today)
    except DomainError:
        raise DomainError("stx.err.bad_period") from None
    return _checked(period)


def from_token(token: str) -> Period:
    """A period from button data; forged or out of range: refused."""
    try:
        return _checked(Period.from_token(token))
    except DomainError:
        raise DomainError("stx.err.bad_period") from None


def _checked(period: Period) -> Period:
    if (period.end - period.start).days + 1 > MAX_DAYS:
        raise DomainError("stx.err.period_long", days=MAX_DAYS)
    return period


def utc_window(period: Period, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """[first local midnight, the midnight after the last day) in UTC."""
    start = datetime.combine(period.start, time(0), tzinfo=tz).astimezone(UTC)
    until = datetime.combine(period.end + timedelta(days=1), time(0), tzinfo=tz).astimezone(UTC)
    return start, until


@dataclass(frozen=True)
class Scope:
    agency_id: int | None  # None: every agency
    agency_label: str | None  # its short name; None: every agency
    can_pick: bool  # HR and superadmins may change the agency


async def scope(uow: UnitOfWork, person: Person, agency_id: int | None) -> Scope:
    """The agency the person may see statistics of; `agency_id` None or 0: their default."""
    require_role(person.role, Role.OFFICER, Role.HR)
    if person.role == Role.OFFICER:
        if person.agency_id is None:
            raise DomainError("stx.err.officer_without_agency")
        if agency_id not in (None, 0, person.agency_id):
            raise Forbidden("error.forbidden")
        agency_id = person.agency_id
    if not agency_id:
        return Scope(None, None, True)
    labels = await uow.statistics.agency_labels([agency_id])
    if agency_id not in labels:
        raise NotFound("stx.err.unknown_agency")
    return Scope(agency_id, labels[agency_id][1], person.role != Role.OFFICER)


async def pickable_agencies(uow: UnitOfWork, person: Person) -> list[tuple[int, str]]:
    """(id, short name) of the active agencies HR and superadmins may pick from."""
    require_role(person.role, Role.HR)
    return [(a.id, a.short_name or a.name) for a in await uow.agencies.all_active()]
