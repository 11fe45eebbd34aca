"""The JP section of `/statistik`: the share of civil servants whose JP reach their yearly target.

JP coverage counts the JP for the year of the period's last day (trainings that ended from
1 January up to that day) against the target (PNS 20, PPPK 24, PP 17/2020).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from db.uow import UnitOfWork
from services import civil_service as cs
from services.statistics.charts import MAX_BARS, Chart, Series, short
from services.statistics.scope import Period, utc_window
from services.statistics.section import Section, Window, Words


@dataclass(frozen=True)
class JpCoverage:
    agency_id: int | None
    label: str | None
    employees: int
    reached: int

    @property
    def share(self) -> float:
        return self.reached / self.employees if self.employees else 0.0


@dataclass(frozen=True)
class JpStats:
    year: int
    agencies: tuple[JpCoverage, ...]  # lowest coverage first

    @property
    def employees(self) -> int:
        return sum(j.employees for j in self.agencies)

    @property
    def reached(self) -> int:
        return sum(j.reached for j in self.agencies)


async def compute(uow: UnitOfWork, w: Window) -> JpStats:
    year = w.period.end.year
    since, _ = utc_window(Period(date(year, 1, 1), w.period.end), w.tz)
    targets = {e.value: cs.jp_target(e.value).target for e in cs.Employment}
    coverage = await uow.trainings.jp_coverage(since, w.until, w.scope.agency_id, targets,
                                               cs.jp_target(cs.Employment.PNS).target)
    labels = await uow.statistics.agency_labels()
    jp = sorted((JpCoverage(a, labels.get(a, ("", None))[1] if a else None, n, k) for a, n, k in coverage if n),
                key=lambda j: (j.share, j.label or ""))
    return JpStats(year, tuple(jp))


def text(words: Words, s: JpStats) -> Sequence[str]:
    share = s.reached / s.employees if s.employees else None
    return (words.t("stx.jp", year=s.year, share=words.pct(share), reached=s.reached, employees=s.employees),)


def charts(words: Words, s: JpStats, subtitle: str) -> Sequence[Chart]:
    t = words.t
    jp = s.agencies[:MAX_BARS]
    return (Chart(
        "jp", "hbar", t("stx.chart.jp", year=s.year), subtitle, t("stx.chart.jp_axis"),
        tuple(short(j.label or t("stx.no_agency")) for j in jp),
        (Series("JP", tuple(j.share * 100 for j in jp), "#1e88e5",
                texts=tuple(f"{words.pct(j.share)} ({j.reached}/{j.employees})" for j in jp)),),
        limits=(0.0, 100.0), left_out=max(0, len(s.agencies) - MAX_BARS)),)


SECTION = Section("jp", compute, text, charts, order=30)
