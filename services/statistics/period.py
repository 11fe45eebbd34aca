"""A reporting period: local calendar days, both ends included; typed or carried by a button.

Shared by every report over days (`/statistik`, `/ikm`): a bad period is refused with
`stx.err.bad_period`; a caller with words of its own catches the DomainError and says it its way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from services.errors import InvalidInput

BAD = "stx.err.bad_period"


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
            raise InvalidInput(BAD)
        return _period(_day(m.group(1), "%Y%m%d"), _day(m.group(2), "%Y%m%d"))


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
    raise InvalidInput(BAD)


def _day(text: str, fmt: str) -> date:
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        raise InvalidInput(BAD) from None


def _period(start: date, end: date) -> Period:
    if not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100) or start > end:
        raise InvalidInput(BAD)
    return Period(start, end)
