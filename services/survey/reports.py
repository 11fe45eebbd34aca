"""Survey reports: IKM per unit over a period of local days, and a unit's newest comments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from db.uow import UnitOfWork
from services.errors import DomainError, InvalidInput
from services.statistics import period
from services.statistics.period import Period as Period  # re-exported: the /ikm report's callers name it here
from services.survey import ikm
from services.survey.units import UnitView, visible_unit, visible_units
from services.users import Person

RECENT_COMMENTS = 5


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
    try:
        return period.parse_period(text, today)
    except DomainError:
        raise InvalidInput("survey.bad_period") from None


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


