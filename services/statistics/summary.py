"""The statistics of a period and an agency: every registered section's data, in order.

`summary()` knows no feature: it computes each `Section` the features registered (see
`services.statistics.section`) over the same window and keeps those that have something to
show. The text, the charts and the exports render the sections it holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services.statistics.scope import Period, Scope, scope, utc_window
from services.statistics.section import Section, Window
from services.users import Person


@dataclass(frozen=True)
class Summary:
    period: Period
    scope: Scope
    sections: tuple[tuple[Section, Any], ...]  # (section, its data) of those with data, in order

    def __getitem__(self, key: str) -> Any:
        """The data of section `key`; KeyError when it was left out."""
        for section, data in self.sections:
            if section.key == key:
                return data
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return any(section.key == key for section, _ in self.sections)


async def window(uow: UnitOfWork, person: Person, period: Period, agency_id: int | None, *, now: datetime,
                 tz: ZoneInfo) -> Window:
    """The agency the person may see (refused otherwise) and the period's UTC window."""
    sc = await scope(uow, person, agency_id)
    since, until = utc_window(period, tz)
    return Window(person, period, sc, since, until, now, tz)


async def summary(uow: UnitOfWork, person: Person, period: Period, agency_id: int | None, *, now: datetime,
                  tz: ZoneInfo, sections: Sequence[Section]) -> Summary:
    """Everything `/statistik` shows for the period, in the agency the person may see."""
    w = await window(uow, person, period, agency_id, now=now, tz=tz)
    computed = [(s, await s.compute(uow, w)) for s in sections]
    return Summary(period, w.scope, tuple((s, data) for s, data in computed if data is not None))
