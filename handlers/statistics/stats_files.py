"""The statistics as files: four PNG charts sent as photos, and the XLSX exports as documents."""

from __future__ import annotations

import asyncio

from handlers.features import bot
from handlers.kit import Attachment, Button
from handlers.menu import Menu
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.statistics.callbacks import StatsCharts, StatsExport, StatsView
from handlers.statistics.stats_text import period_label
from services.statistics import charts, exports, scope
from services.statistics.summary import summary

router = Router()


def _back(chat: Chat, token: str, agency: int) -> list[list[Button]]:
    return [[Button(chat.t("stx.btn.summary"), StatsView(token, agency).pack())],
            [Button(chat.t("menu.back"), Menu().pack())]]


@router.callback(StatsCharts)
async def stats_charts(chat: Chat, cb: StatsCharts) -> None:
    period = scope.from_token(cb.period)
    s = await summary(chat.uow, chat.person, period, cb.agency or None, now=chat.now, tz=chat.settings.tz,
                      sections=bot().stats)
    built = charts.build(s, chat.t, chat.locale)
    drawn = [c for c in built if not c.empty]
    # Drawing takes CPU for a few hundred milliseconds a chart: off the event loop.
    pngs = await asyncio.to_thread(lambda: [charts.render(c) for c in drawn])
    for c, png in zip(drawn, pngs, strict=True):
        caption = escape(c.title)
        if c.left_out:
            caption += "\n" + chat.t("stx.chart.left_out", count=c.left_out)
        chat.reply(caption, attachment=Attachment(kind="photo", content=png, filename=f"statistik-{c.key}.png"))
    empty = [c.title for c in built if c.empty]
    text = chat.t("stx.charts_done", period=period_label(chat, period), count=len(drawn))
    if empty:
        text += "\n" + chat.t("stx.charts_empty", charts=", ".join(escape(e) for e in empty))
    chat.reply(text, _back(chat, period.token, s.scope.agency_id or 0))


@router.callback(StatsExport)
async def stats_export(chat: Chat, cb: StatsExport) -> None:
    period = scope.from_token(cb.period)
    e = await exports.export(chat.uow, chat.person, cb.what, period, cb.agency or None, t=chat.t, tz=chat.settings.tz,
                             now=chat.now, sections=bot().stats)
    caption = chat.t(e.caption, period=period_label(chat, period), rows=e.rows)
    if e.truncated:
        caption += "\n" + chat.t("stx.export_truncated", rows=e.rows)
    chat.reply(caption, attachment=Attachment(kind="document", content=e.content, filename=e.filename))
    chat.reply(chat.t("stx.export_next"), _back(chat, period.token, cb.agency))
