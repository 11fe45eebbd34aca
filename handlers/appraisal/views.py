"""The words of /skp: the current period card, the history, one period's detail."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.appraisal.callbacks import SkpPeriod
from handlers.dates import day_time
from handlers.i18n import t
from handlers.kit import Button
from handlers.menu import Menu
from handlers.render import escape
from services.appraisal import STAGES, Overview, PeriodView
from services.civil_service import Rating

STAGE_MARK = {"done": "✅", "now": "▶️", "later": "▫️"}


def period_label(loc: str, v: PeriodView) -> str:
    if not v.part:
        return t(loc, "skp.period.annual", year=v.year)
    kind = "skp.period.semester" if v.part.startswith("S") else "skp.period.quarter"
    return t(loc, kind, year=v.year, n=v.part[1:])


def _rating(loc: str, r: Rating | None) -> str:
    return t(loc, f"cs.rating.{r.value}") if r else t(loc, "skp.not_rated")


def deadline_line(loc: str, v: PeriodView, now: datetime, tz: ZoneInfo) -> str:
    if v.deadline is None:
        return t(loc, "skp.no_deadline")
    local = v.deadline.astimezone(tz)
    when = day_time(loc, v.deadline, tz)
    n = v.workdays_left or 0
    if v.overdue:
        left = t(loc, "skp.left.late", n=max(1, -n))
    elif local.date() == now.astimezone(tz).date():
        left = t(loc, "skp.left.today")
    else:
        left = t(loc, "skp.left.days", n=n)
    return t(loc, "skp.deadline", when=when, left=left)


def current_card(loc: str, v: PeriodView, now: datetime, tz: ZoneInfo) -> str:
    lines = [t(loc, "skp.current", period=period_label(loc, v), stage=t(loc, f"skp.stage.{v.stage.value}"),
               n=v.stage.position + 1, total=len(STAGES))]
    for s in STAGES:
        mark = STAGE_MARK["done" if s in v.done_stages else "now" if s is v.stage else "later"]
        lines.append(f"{mark} {t(loc, f'skp.stage.{s.value}')}")
    lines.append("")
    if v.missing:
        lines.append(t(loc, "skp.missing_title"))
        lines += [f"• {escape(item)}" for item in v.missing]
    else:
        lines.append(t(loc, "skp.nothing_missing"))
    lines.append(deadline_line(loc, v, now, tz))
    return "\n".join(lines)


def history_line(loc: str, v: PeriodView) -> str:
    assert v.predikat is not None
    line = t(loc, "skp.history_line", period=period_label(loc, v), predikat=t(loc, f"cs.predikat.{v.predikat.value}"),
             result=_rating(loc, v.result_rating), behaviour=_rating(loc, v.behaviour_rating))
    if v.credit_percent is not None:
        line += "\n   " + t(loc, "skp.credit", percent=v.credit_percent)
    return line


def overview(loc: str, o: Overview, now: datetime, tz: ZoneInfo) -> tuple[str, list[list[Button]]]:
    parts = [t(loc, "skp.title", name=escape(o.name))]
    parts.append(current_card(loc, o.current, now, tz) if o.current else t(loc, "skp.no_current"))
    history = [t(loc, "skp.history_title")]
    history += [history_line(loc, v) for v in o.history] or [t(loc, "skp.history_empty")]
    parts.append("\n".join(history))
    rows = [[Button(f"{period_label(loc, v)} · {t(loc, f'cs.predikat.{v.predikat.value}')}",
                    SkpPeriod(v.id).pack())] for v in o.history[:10] if v.predikat]
    rows.append([Button(t(loc, "menu.back"), Menu().pack())])
    return "\n\n".join(parts), rows


def detail(loc: str, v: PeriodView, now: datetime, tz: ZoneInfo) -> str:
    lines = [t(loc, "skp.detail", period=period_label(loc, v), stage=t(loc, f"skp.stage.{v.stage.value}"),
               result=_rating(loc, v.result_rating), behaviour=_rating(loc, v.behaviour_rating),
               predikat=t(loc, f"cs.predikat.{v.predikat.value}") if v.predikat else t(loc, "skp.not_rated"))]
    if v.credit_percent is not None:
        lines.append(t(loc, "skp.credit", percent=v.credit_percent))
    if v.missing:
        lines.append(t(loc, "skp.missing_title"))
        lines += [f"• {escape(item)}" for item in v.missing]
    if not v.final:
        lines.append(deadline_line(loc, v, now, tz))
    return "\n".join(lines)
