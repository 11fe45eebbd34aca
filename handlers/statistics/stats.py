"""`/statistik`: the period's numbers for staff, a period picker and (HR) an agency picker.

Officers get it too, for their own agency only (the desk's officers follow their own response
times); HR and superadmins see every agency or pick one. `/statistik 2026-03` or
`/statistik 2026-01-01 2026-03-31` opens any other period.
"""

from __future__ import annotations

from datetime import date

from handlers.features import bot
from handlers.kit import Button
from handlers.menu import Menu
from handlers.router import Chat, Router
from handlers.statistics.callbacks import Stats, StatsAgencies, StatsCharts, StatsExport, StatsView
from handlers.statistics.stats_text import summary_text
from services.roles import ADMINS, STAFF
from services.statistics import exports, scope
from services.statistics import system as admin_stats
from services.statistics.scope import Period
from services.statistics.summary import summary

router = Router()
AGENCIES_PAGE = 10


def today(chat: Chat) -> date:
    return chat.now.astimezone(chat.settings.tz).date()


@router.command("statistik", "stats")
async def stats(chat: Chat) -> None:
    # The role first: a citizen hears "not allowed", not a remark about the period they typed.
    await scope.scope(chat.uow, chat.person, None)
    await show(chat, scope.parse(chat.incoming.args, today(chat)), 0, edit=False)


@router.callback(Stats)
async def stats_button(chat: Chat, cb: Stats) -> None:
    await show(chat, scope.preset("month", today(chat)), 0, edit=True)


@router.callback(StatsView)
async def stats_view(chat: Chat, cb: StatsView) -> None:
    await show(chat, scope.from_token(cb.period), cb.agency, edit=True)


async def show(chat: Chat, period: Period, agency: int, *, edit: bool) -> None:
    s = await summary(chat.uow, chat.person, period, agency or None, now=chat.now, tz=chat.settings.tz,
                      sections=bot().stats)
    admin = chat.person.role in ADMINS
    system = await admin_stats.stats(chat.uow, chat.person) if admin else None
    agency = s.scope.agency_id or 0
    chat.reply(summary_text(chat, s, system), buttons(chat, period, agency, can_pick=s.scope.can_pick), edit=edit)


def buttons(chat: Chat, period: Period, agency: int, *, can_pick: bool) -> list[list[Button]]:
    day = today(chat)
    presets = [(name, scope.preset(name, day)) for name in scope.PRESETS]
    picks = [Button(("• " if p == period else "") + chat.t(f"stx.preset.{name}"), StatsView(p.token, agency).pack())
             for name, p in presets]
    rows = [picks[:2], picks[2:]]
    if can_pick:
        rows.append([Button(chat.t("stx.btn.agency"), StatsAgencies(period.token).pack())])
    rows.append([Button(chat.t("stx.btn.charts"), StatsCharts(period.token, agency).pack())])
    rows.append([Button(chat.t(e.button), StatsExport(e.what, period.token, agency).pack())
                 for e in exports.offers(bot().stats)])
    rows.append([Button(chat.t("menu.back"), Menu().pack())])
    return rows


@router.callback(StatsAgencies)
async def stats_agencies(chat: Chat, cb: StatsAgencies) -> None:
    period = scope.from_token(cb.period)
    every = await scope.pickable_agencies(chat.uow, chat.person)
    pages = max(1, -(-len(every) // AGENCIES_PAGE))
    page = max(0, min(cb.page, pages - 1))  # a forged page number is the nearest real one
    shown = every[page * AGENCIES_PAGE:(page + 1) * AGENCIES_PAGE]
    rows = [[Button(chat.t("stx.all_agencies"), StatsView(period.token, 0).pack())]]
    rows += [[Button(name[:60], StatsView(period.token, aid).pack())] for aid, name in shown]
    nav = []
    if page > 0:
        nav.append(Button("◀", StatsAgencies(period.token, page - 1).pack()))
    if page < pages - 1:
        nav.append(Button("▶", StatsAgencies(period.token, page + 1).pack()))
    if nav:
        rows.append(nav)
    rows.append([Button(chat.t("btn.back"), StatsView(period.token, 0).pack())])
    chat.reply(chat.t("stx.pick_agency", page=page + 1, pages=pages), rows, edit=True)


router.menu_item("menu.btn.stats", Stats(), roles=STAFF, order=80)
router.help("stx.help", STAFF)
router.restrict(Stats, commands=("statistik", "stats"), roles=STAFF)  # forged statistics buttons: refused, audited
