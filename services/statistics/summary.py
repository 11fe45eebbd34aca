"""The statistics of a period and an agency: one DTO behind the text summary and the four charts.

Reports count by their filing day (local). The reopen rate is the share of answered reports
that the reporter reopened at least once; the mean rating is over the rated reports. The IKM is
per service unit over the same local days; JP coverage is the share of civil servants whose JP
for the year of the period's last day (trainings that ended from 1 January up to that day) reach
their target (PNS 20, PPPK 24, PP 17/2020).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services import civil_service as cs
from services.complaints.rules import ComplaintKind, Status
from services.statistics.broadcasts import BroadcastDelivery, DeliveryProvider
from services.statistics.responses import ResponseTimes, Trend, durations, response_times, trend
from services.statistics.scope import Period, Scope, scope, utc_window
from services.survey import ikm
from services.users import Person

# The chart stacks five groups of the nine statuses: more colours would not read on a phone.
STATUS_GROUPS: dict[str, tuple[Status, ...]] = {
    "new": (Status.DITERIMA, Status.DIVERIFIKASI),
    "working": (Status.DIDISPOSISIKAN, Status.DIPROSES),
    "answered": (Status.DIJAWAB, Status.SELESAI),
    "closed": (Status.DITUTUP,),
    "rejected": (Status.DITOLAK, Status.DIGABUNG),
}
GROUP_OF = {s.value: g for g, statuses in STATUS_GROUPS.items() for s in statuses}
UNROUTED = 0  # the agency key of reports no agency holds yet


@dataclass(frozen=True)
class AgencyReports:
    agency_id: int  # UNROUTED: not yet routed
    label: str | None  # short name; None for UNROUTED (the handler names it)
    by_group: dict[str, int]  # STATUS_GROUPS key → count

    @property
    def total(self) -> int:
        return sum(self.by_group.values())


@dataclass(frozen=True)
class UnitScore:
    code: str
    name: str
    agency: str
    responses: int
    index: float | None  # None: no answers in the period
    grade: str | None  # A–D


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
class Summary:
    period: Period
    scope: Scope
    received: int
    by_kind: dict[str, int]  # every kind, in ComplaintKind order
    by_status: dict[str, int]  # the statuses that occur, in Status order
    per_agency: tuple[AgencyReports, ...]  # chart 1, most reports first
    response: ResponseTimes
    trend: Trend  # chart 2
    answered: int
    reopened: int
    ratings: int
    rating_sum: int
    units: tuple[UnitScore, ...]  # chart 3
    jp: tuple[JpCoverage, ...]  # chart 4, lowest coverage first
    jp_year: int
    broadcasts: BroadcastDelivery | None = None  # rendered only when given

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.answered if self.answered else None

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None

    @property
    def jp_employees(self) -> int:
        return sum(j.employees for j in self.jp)

    @property
    def jp_reached(self) -> int:
        return sum(j.reached for j in self.jp)


async def summary(uow: UnitOfWork, person: Person, period: Period, agency_id: int | None, *, now: datetime,
                  tz: ZoneInfo, delivery: DeliveryProvider | None = None) -> Summary:
    """Everything `/statistik` shows for the period, in the agency the person may see."""
    sc = await scope(uow, person, agency_id)
    since, until = utc_window(period, tz)
    counts = await uow.statistics.report_counts(since, until, sc.agency_id)
    labels = await uow.statistics.agency_labels()
    kinds: Counter[str] = Counter()
    statuses: Counter[str] = Counter()
    groups: dict[int, Counter[str]] = {}
    for agency, kind, status, n in counts:
        kinds[kind] += n
        statuses[status] += n
        groups.setdefault(agency or UNROUTED, Counter())[GROUP_OF.get(status, "working")] += n
    per_agency = sorted((AgencyReports(a, labels.get(a, ("", None))[1] if a else None,
                                       {g: c.get(g, 0) for g in STATUS_GROUPS}) for a, c in groups.items()),
                        key=lambda r: (-r.total, r.label or ""))
    rows = await uow.statistics.first_responses(since, until, sc.agency_id)
    durs = durations(rows, tz)
    out = await uow.statistics.outcomes(since, until, sc.agency_id)
    jp_year = period.end.year
    jp_since, _ = utc_window(Period(date(jp_year, 1, 1), period.end), tz)
    targets = {e.value: cs.jp_target(e.value).target for e in cs.Employment}
    coverage = await uow.statistics.jp_coverage(jp_since, until, sc.agency_id, targets,
                                                cs.jp_target(cs.Employment.PNS).target)
    jp = sorted((JpCoverage(a, labels.get(a, ("", None))[1] if a else None, n, k) for a, n, k in coverage if n),
                key=lambda j: (j.share, j.label or ""))
    return Summary(
        period=period, scope=sc, received=sum(kinds.values()),
        by_kind={k.value: kinds.get(k.value, 0) for k in ComplaintKind},
        by_status={s.value: statuses[s.value] for s in Status if statuses.get(s.value)},
        per_agency=tuple(per_agency), response=response_times(rows, durs, now),
        trend=trend(durs, period.start, period.end), answered=out.answered, reopened=out.reopened,
        ratings=out.ratings, rating_sum=out.rating_sum, units=tuple(await _units(uow, sc, period)),
        jp=tuple(jp), jp_year=jp_year,
        broadcasts=await delivery(uow, person, since, until) if delivery is not None else None)


async def _units(uow: UnitOfWork, sc: Scope, period: Period) -> list[UnitScore]:
    units = await uow.survey.units(agency_id=sc.agency_id)
    totals = await uow.survey.totals([u.id for u, _ in units], period.start, period.end)
    out = []
    for unit, agency in units:
        count, sums = totals.get(unit.id, (0, []))
        r = ikm.from_totals(sums, count) if count else None
        out.append(UnitScore(unit.code, unit.name, agency.short_name or agency.name, count,
                             float(r.index) if r else None, r.grade.letter if r else None))
    # Surveyed units first, best index first: the chart reads top-down like a ranking.
    return sorted(out, key=lambda u: (u.index is None, -(u.index or 0), u.code))
