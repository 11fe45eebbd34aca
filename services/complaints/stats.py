"""The reports' section of `/statistik`: counts, first-response times, outcomes; two charts.

Reports count by their filing day (local). The reopen rate is the share of answered reports
that the reporter reopened at least once; the mean rating is over the rated reports.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from babel.dates import format_date

from db.uow import UnitOfWork
from services.complaints import stats_export
from services.complaints.response_times import ResponseTimes, Trend, durations, response_times, trend
from services.complaints.rules import ComplaintKind, Status
from services.statistics.charts import MAX_BARS, Chart, Series, short
from services.statistics.section import Export, Section, Window, Words

# The chart stacks five groups of the nine statuses: more colours would not read on a phone.
STATUS_GROUPS: dict[str, tuple[Status, ...]] = {
    "new": (Status.DITERIMA, Status.DIVERIFIKASI),
    "working": (Status.DIDISPOSISIKAN, Status.DIPROSES),
    "answered": (Status.DIJAWAB, Status.SELESAI),
    "closed": (Status.DITUTUP,),
    "rejected": (Status.DITOLAK, Status.DIGABUNG),
}
GROUP_OF = {s.value: g for g, statuses in STATUS_GROUPS.items() for s in statuses}
GROUP_COLOURS = {"new": "#9e9e9e", "working": "#1e88e5", "answered": "#43a047", "closed": "#1b5e20",
                 "rejected": "#e53935"}
UNROUTED = 0  # the agency key of reports no agency holds yet


@dataclass(frozen=True)
class AgencyReports:
    agency_id: int  # UNROUTED: not yet routed
    label: str | None  # short name; None for UNROUTED (the renderer names it)
    by_group: dict[str, int]  # STATUS_GROUPS key → count

    @property
    def total(self) -> int:
        return sum(self.by_group.values())


@dataclass(frozen=True)
class ReportStats:
    received: int
    by_kind: dict[str, int]  # every kind, in ComplaintKind order
    by_status: dict[str, int]  # the statuses that occur, in Status order
    per_agency: tuple[AgencyReports, ...]  # the first chart, most reports first
    response: ResponseTimes
    trend: Trend  # the second chart
    answered: int
    reopened: int
    ratings: int
    rating_sum: int

    @property
    def reopen_rate(self) -> float | None:
        return self.reopened / self.answered if self.answered else None

    @property
    def mean_rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None


async def compute(uow: UnitOfWork, w: Window) -> ReportStats:
    agency_id = w.scope.agency_id
    counts = await uow.complaint_stats.report_counts(w.since, w.until, agency_id)
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
    rows = await uow.complaint_stats.first_responses(w.since, w.until, agency_id)
    durs = durations(rows, w.tz)
    out = await uow.complaint_stats.outcomes(w.since, w.until, agency_id)
    return ReportStats(
        received=sum(kinds.values()), by_kind={k.value: kinds.get(k.value, 0) for k in ComplaintKind},
        by_status={s.value: statuses[s.value] for s in Status if statuses.get(s.value)},
        per_agency=tuple(per_agency), response=response_times(rows, durs, w.now),
        trend=trend(durs, w.period.start, w.period.end), answered=out.answered, reopened=out.reopened,
        ratings=out.ratings, rating_sum=out.rating_sum)


def text(words: Words, s: ReportStats) -> Sequence[str]:
    t = words.t
    kinds = " · ".join(f"{t(f'stx.kind.{k}')} {n}" for k, n in s.by_kind.items())
    statuses = " · ".join(f"{t(f'cx.status.{k}')} {n}" for k, n in s.by_status.items()) or "–"
    r = s.response
    return (t("stx.reports", count=s.received, kinds=kinds, statuses=statuses),
            t("stx.response", median=words.num(r.median), p90=words.num(r.p90), responded=r.responded,
              waiting=r.waiting, share=words.pct(r.on_time_share), on_time=r.on_time, measured=r.measured,
              reopen=words.pct(s.reopen_rate), reopened=s.reopened, answered=s.answered,
              rating=words.num(s.mean_rating), ratings=s.ratings))


def charts(words: Words, s: ReportStats, subtitle: str) -> Sequence[Chart]:
    t = words.t
    agencies = s.per_agency[:MAX_BARS]
    last = list(STATUS_GROUPS)[-1]
    reports = Chart(
        "reports", "stacked", t("stx.chart.reports"), subtitle, t("stx.chart.reports_axis"),
        tuple(short(a.label or t("stx.unrouted")) for a in agencies),
        tuple(Series(t(f"stx.group.{g}"), tuple(float(a.by_group[g]) for a in agencies), GROUP_COLOURS[g],
                     texts=tuple(str(a.total) for a in agencies) if g == last else ())
              for g in STATUS_GROUPS),
        left_out=max(0, len(s.per_agency) - MAX_BARS))
    pts = s.trend.points if any(p.reports for p in s.trend.points) else ()
    fmt = "d MMM" if s.trend.unit == "week" else "MMM yy"
    response = Chart(
        "response", "line", t(f"stx.chart.response_{s.trend.unit}"), subtitle, t("stx.chart.response_axis"),
        tuple(format_date(p.start, fmt, locale=words.locale) for p in pts),
        (Series(t("stx.median"), tuple(p.median for p in pts), "#1e88e5"),
         Series(t("stx.p90"), tuple(p.p90 for p in pts), "#fb8c00")),
        guides=((3.0, t("stx.chart.deadline", days=3)),))
    return reports, response


EXPORT = Export("reports", "laporan", stats_export.sheet, "stx.btn.export_reports", "stx.exported.reports")
SECTION = Section("reports", compute, text, charts, exports=(EXPORT,), order=10)
