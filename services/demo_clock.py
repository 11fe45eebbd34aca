"""Dates for demo data: the demo government's working days at round local times.

Demo trainings and vacancies are read by people trying the bot; a training on a Sunday or on
25 December, or a vacancy closing at the minute the sandbox was seeded, looks like a bug. The
demo government is Kota Banjarbaru, so its days are WITA days.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from services.workdays import is_workday

DEMO_TZ = ZoneInfo("Asia/Makassar")  # WITA


def today(now: datetime) -> date:
    return now.astimezone(DEMO_TZ).date()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """`hour:minute` local on `day`, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=DEMO_TZ).astimezone(UTC)


def all_workdays(first: date, span: int) -> bool:
    return all(is_workday(first + timedelta(days=i)) for i in range(span))


def workdays_from(day: date, span: int = 1) -> date:
    """The first date from `day` on that starts `span` consecutive working days."""
    while not all_workdays(day, span):
        day += timedelta(days=1)
    return day


def workdays_until(day: date, span: int = 1) -> date:
    """The last date up to `day` that starts `span` consecutive working days."""
    while not all_workdays(day, span):
        day -= timedelta(days=1)
    return day


def workday_before(day: date, n: int = 1) -> date:
    """The `n`-th working day before `day`."""
    while n > 0:
        day -= timedelta(days=1)
        n -= is_workday(day)
    return day


def closing(day: date) -> datetime:
    """The end of a working day, as a deadline reads: 23.59 local."""
    return at(day, 23, 59)
