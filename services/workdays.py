"""Working days: Monday to Friday, minus Indonesian public holidays and cuti bersama."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays


@cache
def _holidays(year: int) -> frozenset[date]:
    # "government" adds cuti bersama: offices are closed, so no complaint clock runs.
    days = holidays.country_holidays("ID", years=year, categories=("public", "government"))
    return frozenset(days)


def is_workday(day: date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def add_workdays(start: date, days: int) -> date:
    """The `days`-th working day after `start` (the start day itself never counts)."""
    day = start
    left = days
    while left > 0:
        day += timedelta(days=1)
        if is_workday(day):
            left -= 1
    return day


def due_at(now: datetime, days: int, tz: ZoneInfo) -> datetime:
    """The end (23:59:59 local) of the `days`-th working day after `now`'s local date, in UTC."""
    local_day = now.astimezone(tz).date()
    end = datetime.combine(add_workdays(local_day, days), time(23, 59, 59), tzinfo=tz)
    return end.astimezone(UTC)
