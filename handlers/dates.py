"""Dates and times as people read them: in the deployment's zone, in the person's language."""

from __future__ import annotations

from datetime import date, datetime, tzinfo

from babel.dates import format_date, format_datetime


def moment(loc: str, dt: datetime, tz: tzinfo) -> str:
    """'26 Nov 2026, 23.59 WITA'."""
    local = dt.astimezone(tz)
    return f"{format_datetime(local, 'd MMM y, HH.mm', locale=loc)} {local.tzname()}"


def short_day(loc: str, value: date | datetime, tz: tzinfo | None = None) -> str:
    """'26 Nov 2026' (a datetime is first moved into `tz`)."""
    d = value.astimezone(tz).date() if isinstance(value, datetime) else value
    return format_date(d, "d MMM y", locale=loc)


def long_day(loc: str, dt: datetime, tz: tzinfo) -> str:
    """'Kamis, 26 November 2026'."""
    return format_date(dt.astimezone(tz).date(), "EEEE, d MMMM y", locale=loc)
