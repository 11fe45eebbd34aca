"""First-response times in working days: the durations, their median and 90th percentile, the trend.

A report's first response is the first status change by staff (an officer or BKPSDM: verifying,
answering, rejecting…); a note or a citizen's own action is not one. Its time is counted in
working days as the deadline counts them: the working days after the local filing day up to and
including the local response day (a response on the filing day is 0; filed on Friday and answered
on Monday is 1; public holidays and cuti bersama are skipped). A response is on time when it came
before the report's `response_due_at` (the end of the 3rd working day, SP4N-LAPOR!).

Percentiles: the median of the durations, and the 90th percentile by nearest rank (the smallest
duration that at least 90% of responses did not exceed) — an actual duration a report had, which
reads better to staff than an interpolated 2.7 days.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from db.repositories.complaints_stats import ResponseRow
from services.workdays import is_workday

WEEKLY_UP_TO_DAYS = 62  # a period up to two months is charted per week, longer ones per month


@lru_cache(maxsize=65536)  # a year of reports shares a few thousand (filed, answered) day pairs
def workdays_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end`; 0 when `end` is not after `start`."""
    n, day = 0, start
    while day < end:
        day += timedelta(days=1)
        n += is_workday(day)
    return n


def percentile(values: Sequence[float], p: float) -> float | None:
    """Nearest-rank percentile (0 < p ≤ 1) of `values`; None when there are none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(1, math.ceil(p * len(ordered))) - 1]


def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


@dataclass(frozen=True)
class ResponseTimes:
    responded: int  # reports with a first response
    waiting: int  # without one yet
    median: float | None  # working days
    p90: float | None
    on_time: int  # responded before the deadline
    measured: int  # responded, or still unanswered past the deadline: the share's denominator

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.measured if self.measured else None


@dataclass(frozen=True)
class TrendPoint:
    start: date  # the bucket's first local day (a Monday, or the 1st of a month)
    reports: int  # responded reports filed in the bucket
    median: float | None
    p90: float | None


@dataclass(frozen=True)
class Trend:
    unit: Literal["week", "month"]
    points: tuple[TrendPoint, ...]


def durations(rows: Sequence[ResponseRow], tz: ZoneInfo) -> list[tuple[date, int]]:
    """(local filing day, working days to the first response) of each responded report."""
    out = []
    for r in rows:
        if r.first_response_at is not None:
            filed = r.created_at.astimezone(tz).date()
            out.append((filed, workdays_between(filed, r.first_response_at.astimezone(tz).date())))
    return out


def response_times(rows: Sequence[ResponseRow], durs: Sequence[tuple[date, int]], now: datetime) -> ResponseTimes:
    """From the rows and their `durations()` (computed once: it is most of the CPU cost)."""
    days = [d for _, d in durs]
    on_time = sum(1 for r in rows if r.first_response_at is not None and r.first_response_at <= r.response_due_at)
    overdue = sum(1 for r in rows if r.first_response_at is None and r.response_due_at < now)
    return ResponseTimes(len(days), len(rows) - len(days), median(days), percentile(days, 0.9), on_time,
                         len(days) + overdue)


def trend(durs: Sequence[tuple[date, int]], start: date, end: date) -> Trend:
    """Median and P90 per week (short periods) or per month, every bucket of the period listed."""
    unit: Literal["week", "month"] = "week" if (end - start).days + 1 <= WEEKLY_UP_TO_DAYS else "month"
    buckets: dict[date, list[int]] = {b: [] for b in _buckets(unit, start, end)}
    for filed, d in durs:
        buckets.setdefault(_bucket(unit, filed), []).append(d)
    return Trend(unit, tuple(TrendPoint(b, len(v), median(v), percentile(v, 0.9))
                             for b, v in sorted(buckets.items())))


def _bucket(unit: str, day: date) -> date:
    return day - timedelta(days=day.weekday()) if unit == "week" else day.replace(day=1)


def _buckets(unit: str, start: date, end: date) -> list[date]:
    out, b = [], _bucket(unit, start)
    while b <= end:
        out.append(b)
        b = b + timedelta(days=7) if unit == "week" else date(b.year + b.month // 12, b.month % 12 + 1, 1)
    return out
