"""The statistics as a short text in the viewer's language (numbers with the locale's decimal comma)."""

from __future__ import annotations

from datetime import date, timedelta

from babel.dates import format_date

from handlers.chat import Chat
from handlers.render import escape
from services.statistics.scope import Period
from services.statistics.section import Words
from services.statistics.summary import Summary
from services.statistics.system import Stats as SystemStats


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
    words = Words(t, chat.locale)
    for section, data in s.sections:  # each feature's paragraphs, in the sections' order
        parts += section.text(words, data)
    if system is not None:
        roles = " · ".join(f"{t(f'role.{k}')} {n}" for k, n in sorted(system.users_by_role.items())) or "–"
        outbox = " · ".join(f"{t(f'outbox.{k}')} {n}" for k, n in sorted(system.outbox_by_status.items())) or "–"
        parts.append(t("stx.system", roles=roles, outbox=outbox, unreachable=system.unreachable))
    parts.append(t("stx.hint"))
    return "\n\n".join(parts)
