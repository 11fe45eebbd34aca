"""The IKM section of `/statistik`: the index per service unit over the period, a chart, the answers' export.

The IKM is per service unit over the period's local days. Survey answers are anonymous by
design: the export has no respondent column at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from db.uow import UnitOfWork
from services.statistics.charts import MAX_BARS, Chart, Series, short
from services.statistics.section import Export, Section, Translate, Window, Words
from services.survey import ikm
from services.survey.ikm import ELEMENTS
from services.xlsx import Column, Sheet

UNITS_SHOWN = 8  # the text lists this many units; the chart and the export have them all
GRADE_COLOURS = {"A": "#1b5e20", "B": "#43a047", "C": "#fb8c00", "D": "#e53935"}
GRADE_LINES = (65.0, 76.61, 88.31)  # where C, B and A begin (PermenPANRB 14/2017)


@dataclass(frozen=True)
class UnitScore:
    code: str
    name: str
    agency: str
    responses: int
    index: float | None  # None: no answers in the period
    grade: str | None  # A–D


async def compute(uow: UnitOfWork, w: Window) -> tuple[UnitScore, ...]:
    units = await uow.survey.units(agency_id=w.scope.agency_id)
    totals = await uow.survey.totals([u.id for u, _ in units], w.period.start, w.period.end)
    out = []
    for unit, agency in units:
        count, sums = totals.get(unit.id, (0, []))
        r = ikm.from_totals(sums, count) if count else None
        out.append(UnitScore(unit.code, unit.name, agency.short_name or agency.name, count,
                             float(r.index) if r else None, r.grade.letter if r else None))
    # Surveyed units first, best index first: the chart reads top-down like a ranking.
    return tuple(sorted(out, key=lambda u: (u.index is None, -(u.index or 0), u.code)))


def text(words: Words, units: tuple[UnitScore, ...]) -> Sequence[str]:
    t = words.t
    scored = [u for u in units if u.index is not None]
    lines = [t("stx.unit_row", unit=words.escape(u.name), index=words.num(u.index, 2), grade=u.grade,
               label=t(f"ikm.grade.{u.grade}"), count=u.responses) for u in scored[:UNITS_SHOWN]]
    if len(scored) > UNITS_SHOWN:
        lines.append(t("stx.units_more", count=len(scored) - UNITS_SHOWN))
    unsurveyed = len(units) - len(scored)
    if unsurveyed:
        lines.append(t("stx.units_unsurveyed", count=unsurveyed))
    return (t("stx.ikm") + "\n" + ("\n".join(lines) or t("stx.none")),)


def charts(words: Words, units: tuple[UnitScore, ...], subtitle: str) -> Sequence[Chart]:
    t = words.t
    every = [u for u in units if u.index is not None]
    scored = every[:MAX_BARS]
    return (Chart(
        "ikm", "hbar", t("stx.chart.ikm"), subtitle, t("stx.chart.ikm_axis"),
        tuple(short(u.name) for u in scored),
        (Series("IKM", tuple(u.index for u in scored), "#1e88e5",
                texts=tuple(f"{words.num(u.index or 0, 2)} ({u.grade})" for u in scored),
                colours=tuple(GRADE_COLOURS[u.grade or "D"] for u in scored)),),
        limits=(25.0, 100.0), guides=tuple((v, g) for v, g in zip(GRADE_LINES, "CBA", strict=True)),
        left_out=max(0, len(every) - MAX_BARS)),)


async def sheet(uow: UnitOfWork, w: Window, t: Translate, limit: int) -> tuple[Sheet, int]:
    rows = await uow.survey.survey_rows(w.period.start, w.period.end, w.scope.agency_id, limit)
    columns = [Column(t("stx.x.date"), "date"), Column(t("stx.x.unit_code")), Column(t("stx.x.unit")),
               Column(t("stx.x.agency")),
               *(Column(f"U{i + 1} {t(f'survey.el.{el}')}", "int") for i, el in enumerate(ELEMENTS)),
               Column(t("stx.x.score"), "float"), Column(t("stx.x.comment"), width=60)]
    out = [[r.local_date, code, name, agency, *r.answers, round(sum(r.answers) / len(r.answers) * 25, 2), r.comment]
           for r, code, name, agency in rows]
    return Sheet(t("stx.x.survey_sheet"), columns, out), len(out)


SECTION = Section("ikm", compute, text, charts, exports=(Export("survey", "survei", sheet, "stx.btn.export_survey", "stx.exported.survey"),), order=20)
