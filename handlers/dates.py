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


def day_time(loc: str, dt: datetime, tz: tzinfo) -> str:
    """'Kamis, 26 November 2026, 23.59 WITA': a deadline or a training's start, one format for both
    (a day named in full reads the same in an SKP deadline and a training date)."""
    local = dt.astimezone(tz)
    return f"{format_datetime(local, 'EEEE, d MMMM y, HH.mm', locale=loc)} {local.tzname()}"


def span(loc: str, start: datetime, end: datetime, tz: tzinfo) -> str:
    """'Senin, 7 Desember 2026, 08.00–16.00 WITA'; over several days
    'Senin, 7 Desember 2026, 08.00 – Rabu, 9 Desember 2026, 16.00 WITA'."""
    a, b = start.astimezone(tz), end.astimezone(tz)
    first = format_datetime(a, "EEEE, d MMMM y, HH.mm", locale=loc)
    if a.date() == b.date():
        return f"{first}–{format_datetime(b, 'HH.mm', locale=loc)} {b.tzname()}"
    return f"{first} – {day_time(loc, b, tz)}"
