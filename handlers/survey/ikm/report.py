"""`/ikm` for staff: the index per unit over a period, a unit's elements and comments, its QR code."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from babel.dates import format_date

from handlers.chat import Chat
from handlers.kit import Attachment, Button
from handlers.menu import Menu
from handlers.render import escape
from handlers.router import Router
from handlers.survey.ikm.callbacks import Report, UnitDetail, UnitQr
from services.errors import DomainError
from services.statistics.period import Period
from services.survey import ikm, qr, reports
from services.survey import responses as survey_responses
from services.survey import units as survey_units

router = Router("ikm")
REPORT_PAGE = 20  # units per page of the IKM report


def bot_username(chat: Chat) -> str:
    """The bot's @username for deep links: from getMe at start-up, or SAPA_BOT_USERNAME."""
    return chat.settings.bot_username or "sapa_bot"


def _menu_row(chat: Chat) -> list[Button]:
    return [Button(chat.t("menu.back"), Menu().pack())]


def _num(chat: Chat, value: Decimal) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if chat.locale == "id" else text


def _today(chat: Chat) -> date:
    return survey_responses.local_day(chat.now, chat.settings.tz)


def _date(chat: Chat, day: date) -> str:
    """A calendar day as the person reads one ("1 Nov 2026"); survey days are already local days."""
    return format_date(day, "d MMM y", locale=chat.locale)


def _period_label(chat: Chat, period: Period) -> str:
    if period.year is not None:
        return chat.t("ikm.period_year", year=period.year)
    return chat.t("ikm.period_range", start=_date(chat, period.start), end=_date(chat, period.end))


def _period(chat: Chat, token: str) -> Period:
    """The period a button carries; none, or one no longer valid: this year."""
    try:
        return Period.from_token(token) if token else Period.of_year(_today(chat).year)
    except DomainError:
        return Period.of_year(_today(chat).year)


@router.command("ikm")
async def ikm_command(chat: Chat) -> None:
    try:
        period = reports.parse_period(chat.incoming.args, _today(chat))
    except DomainError as e:
        # The period is what the person typed: escape every parameter.
        chat.reply(chat.error_text(e))
        return
    await _report(chat, period, edit=False)


@router.callback(Report)
async def ikm_page(chat: Chat, cb: Report) -> None:
    """From the menu or the report's own buttons."""
    await _report(chat, _period(chat, cb.period), edit=True, page=cb.page)


async def _report(chat: Chat, period: Period, *, edit: bool, page: int = 0) -> None:
    every = await reports.ikm_report(chat.uow, chat.person, period)
    pages = max(1, (len(every) + REPORT_PAGE - 1) // REPORT_PAGE)
    page = max(0, min(page, pages - 1))  # a forged "ikm:<period>:-1" is the first page
    rows = every[page * REPORT_PAGE:(page + 1) * REPORT_PAGE]  # Telegram allows ~100 buttons a message
    lines = [chat.t("ikm.title", period=_period_label(chat, period))]
    if not every:
        lines.append(chat.t("ikm.none"))
    for r in rows:
        names = dict(unit=escape(r.unit.name), code=escape(r.unit.code), agency=escape(r.unit.agency_name))
        if r.result is None:
            lines.append(chat.t("ikm.row_empty", **names))
            continue
        g = r.result.grade
        lines.append(chat.t("ikm.row", **names, index=_num(chat, r.result.index), grade=g.letter,
                            label=chat.t(f"ikm.grade.{g.letter}"), count=r.responses))
    unsurveyed = sum(1 for r in every if r.result is None)
    if unsurveyed:
        lines.append(chat.t("ikm.unsurveyed", count=unsurveyed))
    # Names, not codes, on the buttons: one a row, as unit names are long.
    buttons = [[Button(f"📊 {r.unit.name}", UnitDetail(r.unit.id, period.token).pack())] for r in rows]
    numbers = [Button(f"{'• ' if p == page else ''}{p + 1}", Report(period.token, p).pack()) for p in range(pages)]
    if pages > 1:
        buttons += [numbers[i:i + 8] for i in range(0, pages, 8)]  # Telegram shows at most 8 in a row
    if period.year is not None:
        nav = []
        if period.year > 2000:
            nav.append(Button(f"◀ {period.year - 1}", Report(Period.of_year(period.year - 1).token).pack()))
        if period.year < _today(chat).year:
            nav.append(Button(f"{period.year + 1} ▶", Report(Period.of_year(period.year + 1).token).pack()))
        buttons.append(nav)
    buttons.append(_menu_row(chat))
    chat.reply("\n\n".join(lines), buttons, edit=edit)


@router.callback(UnitDetail)
async def ikm_unit(chat: Chat, cb: UnitDetail) -> None:
    period = _period(chat, cb.period)
    d = await reports.unit_detail(chat.uow, chat.person, cb.unit_id, period)
    unit, result = d.ikm.unit, d.ikm.result
    lines = [chat.t("ikm.detail_head", unit=escape(unit.name), code=escape(unit.code),
                    agency=escape(unit.agency_name), period=_period_label(chat, period))]
    if result is None:
        lines.append(chat.t("ikm.detail_empty"))
    else:
        lines.append("\n".join(
            chat.t("ikm.detail_element", n=i + 1, element=chat.t(f"survey.el.{el}"), mean=_num(chat, result.mean(i)))
            for i, el in enumerate(ikm.ELEMENTS)))
        lines.append(chat.t("ikm.detail_total", index=_num(chat, result.index), grade=result.grade.letter,
                            label=chat.t(f"ikm.grade.{result.grade.letter}"), count=result.responses))
    if d.comments:
        lines.append(chat.t("ikm.detail_comments") + "\n" + "\n".join(
            f"• {_date(chat, day)}: {escape(text)}" for day, text in d.comments))
    chat.reply("\n\n".join(lines), [
        [Button(chat.t("ikm.btn.qr"), UnitQr(unit.id).pack()),
         Button(chat.t("ikm.btn.units"), Report(period.token).pack())],
        _menu_row(chat),
    ], edit=True)


@router.callback(UnitQr)
async def ikm_qr(chat: Chat, cb: UnitQr) -> None:
    username = bot_username(chat)
    unit, png = await survey_units.unit_qr(chat.uow, chat.person, cb.unit_id, username)
    link = qr.survey_link(username, unit.code)
    chat.reply(chat.t("ikm.qr_caption", unit=escape(unit.name), code=escape(unit.code), link=escape(link)),
               attachment=Attachment(kind="document", content=png, filename=survey_units.qr_filename(unit)))
