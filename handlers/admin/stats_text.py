"""The statistics as a short text in the viewer's language (numbers with the locale's decimal comma)."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from handlers.chat import Chat
from handlers.render import escape
from services.admin.stats import Stats as SystemStats
from services.statistics.scope import Period
from services.statistics.summary import Summary

UNITS_SHOWN = 8  # the text lists this many units; the chart and the export have them all


def num(chat: Chat, value: float | None, digits: int = 1) -> str:
    if value is None:
        return "–"
    return format_decimal(round(value, digits), format="#,##0." + "#" * digits, locale=chat.locale)


def pct(chat: Chat, value: float | None) -> str:
    return "–" if value is None else format_percent(value, format="#,##0%", locale=chat.locale)


def period_label(chat: Chat, p: Period) -> str:
    if p.year is not None:
        return chat.t("stx.period_year", year=p.year)
    nxt = date(p.start.year + p.start.month // 12, p.start.month % 12 + 1, 1)
    if p.start.day == 1 and p.end == nxt - timedelta(days=1):
        return format_date(p.start, "LLLL y", locale=chat.locale)
    return f"{format_date(p.start, 'd MMM y', locale=chat.locale)} – {format_date(p.end, 'd MMM y', locale=chat.locale)}"


def summary_text(chat: Chat, s: Summary, system: SystemStats | None = None) -> str:
    t = chat.t
    agency = escape(s.scope.agency_label) if s.scope.agency_label else t("stx.all_agencies")
    parts = [t("stx.head", period=period_label(chat, s.period), agency=agency)]
    kinds = " · ".join(f"{t(f'stx.kind.{k}')} {n}" for k, n in s.by_kind.items())
    statuses = " · ".join(f"{t(f'cx.status.{k}')} {n}" for k, n in s.by_status.items()) or "–"
    parts.append(t("stx.reports", count=s.received, kinds=kinds, statuses=statuses))
    r = s.response
    parts.append(t("stx.response", median=num(chat, r.median), p90=num(chat, r.p90), responded=r.responded,
                   waiting=r.waiting, share=pct(chat, r.on_time_share), on_time=r.on_time, measured=r.measured,
                   reopen=pct(chat, s.reopen_rate), reopened=s.reopened, answered=s.answered,
                   rating=num(chat, s.mean_rating), ratings=s.ratings))
    scored = [u for u in s.units if u.index is not None]
    lines = [t("stx.unit_row", unit=escape(u.name), index=num(chat, u.index, 2), grade=u.grade,
               label=t(f"ikm.grade.{u.grade}"), count=u.responses) for u in scored[:UNITS_SHOWN]]
    if len(scored) > UNITS_SHOWN:
        lines.append(t("stx.units_more", count=len(scored) - UNITS_SHOWN))
    unsurveyed = len(s.units) - len(scored)
    if unsurveyed:
        lines.append(t("stx.units_unsurveyed", count=unsurveyed))
    parts.append(t("stx.ikm") + "\n" + ("\n".join(lines) or t("stx.none")))
    share = s.jp_reached / s.jp_employees if s.jp_employees else None
    parts.append(t("stx.jp", year=s.jp_year, share=pct(chat, share), reached=s.jp_reached, employees=s.jp_employees))
    if s.broadcasts is not None:
        b = s.broadcasts
        parts.append(t("stx.broadcasts", count=b.broadcasts, delivered=b.delivered, recipients=b.recipients,
                       share=pct(chat, b.delivered_share), failed=b.failed, unreachable=b.unreachable))
    if system is not None:
        roles = " · ".join(f"{t(f'role.{k}')} {n}" for k, n in sorted(system.users_by_role.items())) or "–"
        outbox = " · ".join(f"{t(f'outbox.{k}')} {n}" for k, n in sorted(system.outbox_by_status.items())) or "–"
        parts.append(t("stx.system", roles=roles, outbox=outbox, unreachable=system.unreachable))
    parts.append(t("stx.hint"))
    return "\n\n".join(parts)
