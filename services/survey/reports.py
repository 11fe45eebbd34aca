"""Survey reports: IKM per unit over a period of local days, and a unit's newest comments."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from db.uow import UnitOfWork
from services.errors import InvalidInput
from services.survey import ikm
from services.survey.units import UnitView, visible_unit, visible_units
from services.users import Person

RECENT_COMMENTS = 5


@dataclass(frozen=True)
class Period:
    """Local calendar days, both ends included."""

    start: date
    end: date

    @property
    def token(self) -> str:
        """Compact form for callback data: `20260101-20261231`."""
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    @property
    def year(self) -> int | None:
        """The year when the period is exactly one calendar year."""
        whole = self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)
        return self.start.year if whole else None

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def from_token(cls, token: str) -> Period:
        m = re.fullmatch(r"(\d{8})-(\d{8})", token)
        if not m:
            raise InvalidInput("survey.bad_period")
        return _period(_day(m.group(1), "%Y%m%d"), _day(m.group(2), "%Y%m%d"))


@dataclass(frozen=True)
class UnitIkm:
    unit: UnitView
    period: Period
    result: ikm.IkmResult | None  # None: no responses in the period

    @property
    def responses(self) -> int:
        return self.result.responses if self.result else 0


@dataclass(frozen=True)
class UnitDetail:
    ikm: UnitIkm
    comments: list[tuple[date, str]]  # newest first, anonymous


def parse_period(text: str, today: date) -> Period:
    """`` (this year), `2025`, `2025-03`, or `2025-01-01 2025-06-30` (also with `..`)."""
    words = text.replace("..", " ").split()
    if not words:
        return Period.of_year(today.year)
    if len(words) == 1 and re.fullmatch(r"\d{4}", words[0]):
        return _period(_day(words[0] + "0101", "%Y%m%d"), _day(words[0] + "1231", "%Y%m%d"))
    if len(words) == 1 and re.fullmatch(r"\d{4}-\d{2}", words[0]):
        first = _day(words[0] + "-01", "%Y-%m-%d")
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return _period(first, date.fromordinal(nxt.toordinal() - 1))
    if len(words) == 2:
        return _period(_day(words[0], "%Y-%m-%d"), _day(words[1], "%Y-%m-%d"))
    raise InvalidInput("survey.bad_period")


def _day(text: str, fmt: str) -> date:
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        raise InvalidInput("survey.bad_period") from None


def _period(start: date, end: date) -> Period:
    if not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100) or start > end:
        raise InvalidInput("survey.bad_period")
    return Period(start, end)


async def ikm_report(uow: UnitOfWork, person: Person, period: Period) -> list[UnitIkm]:
    """IKM, grade and response count per visible unit for the period."""
    units = await visible_units(uow, person)
    totals = await uow.survey.totals([u.id for u in units], period.start, period.end)
    out = []
    for unit in units:
        count, sums = totals.get(unit.id, (0, []))
        out.append(UnitIkm(unit, period, ikm.from_totals(sums, count) if count else None))
    return out


async def unit_detail(uow: UnitOfWork, person: Person, unit_id: int, period: Period) -> UnitDetail:
    """One unit's element means, IKM and newest anonymous comments for the period."""
    unit = await visible_unit(uow, person, unit_id)
    totals = await uow.survey.totals([unit.id], period.start, period.end)
    count, sums = totals.get(unit.id, (0, []))
    comments = await uow.survey.comments(unit.id, period.start, period.end, RECENT_COMMENTS)
    return UnitDetail(UnitIkm(unit, period, ikm.from_totals(sums, count) if count else None), comments)


