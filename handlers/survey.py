"""The IKM survey as a citizen meets it (`/survei`, or a counter's QR code) and as staff read it (`/ikm`).

The nine answers travel in the durable conversation state and are stored in one go at the
end. Each survey gets a short id (`sid`) carried in its buttons, so a button from an older
survey, or from a question already answered, is recognised and answered clearly.
"""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal

from babel.dates import format_date

from handlers.kit import Attachment, Button, Kind
from handlers.menu import show_menu
from handlers.render import button, escape
from handlers.router import Chat, Router, StaleButton
from services.errors import DomainError
from services.roles import STAFF
from services.survey import ikm, qr, reports
from services.survey import responses as survey_responses
from services.survey import units as survey_units

router = Router()
PAGE = 8  # units per page in the chooser
REPORT_PAGE = 20  # units per page of the IKM report
ASKING, COMMENT = "survey.q", "survey.comment"
TOTAL = ikm.N_ELEMENTS


def bot_username(chat: Chat) -> str:
    """The bot's @username for deep links: from getMe at start-up, or SAPA_BOT_USERNAME."""
    return chat.settings.bot_username or "sapa_bot"


def _fail(chat: Chat, e: DomainError, buttons: list[list[Button]] | None = None, *, edit: bool = False) -> None:
    # Parameters can be what the person typed (a unit code) or HR data: escape them all.
    chat.reply(chat.t(e.code, **{k: escape(v) for k, v in e.params.items()}), buttons, edit=edit)


def _menu_row(chat: Chat) -> list[Button]:
    return [Button(chat.t("menu.back"), "menu")]


# --- choosing a unit -----------------------------------------------------------------------

@router.command("survei", "survey", "skm")
async def survey_command(chat: Chat) -> None:
    code = chat.incoming.args.strip()
    if code:
        await _start_code(chat, code)
        return
    await _choose(chat, 0, edit=False)


@router.intent("survey", ["survei", "survey", "isi survei", "survei kepuasan", "survei kepuasan masyarakat"])
async def survey_intent(chat: Chat) -> None:
    await _choose(chat, 0, edit=False)


@router.callback("svy")
async def survey_menu(chat: Chat) -> None:
    page = chat.arg_int(0, default=0)
    await _choose(chat, page, edit=True)


@router.deep_link("survei")
async def survey_deep_link(chat: Chat) -> None:
    """`/start survei_<UNITCODE>` from a counter's QR code."""
    _, _, code = chat.incoming.args.partition("_")
    if not code.strip():
        await _choose(chat, 0, edit=False)
        return
    await _start_code(chat, code)


async def _choose(chat: Chat, page: int, *, edit: bool) -> None:
    if chat.state in (ASKING, COMMENT):
        chat.clear()  # choosing again abandons the survey in progress
    units = await survey_units.list_units(chat.uow)
    if not units:
        chat.reply(chat.t("survey.no_units"), [_menu_row(chat)], edit=edit)
        return
    pages = (len(units) + PAGE - 1) // PAGE
    page = min(page, pages - 1)
    rows = [[button(u.name, "svu", u.id)] for u in units[page * PAGE:(page + 1) * PAGE]]
    nav = []
    if page > 0:
        nav.append(button(chat.t("survey.btn.prev_page"), "svy", page - 1))
    if page < pages - 1:
        nav.append(button(chat.t("survey.btn.next_page"), "svy", page + 1))
    rows += [nav] if nav else []
    rows.append(_menu_row(chat))
    chat.reply(chat.t("survey.choose_unit"), rows, edit=edit)


@router.callback("svu")
async def survey_unit(chat: Chat) -> None:
    unit_id = chat.arg_int(0)
    try:
        unit = await survey_responses.start_by_id(chat.uow, chat.person, unit_id, now=chat.now, tz=chat.settings.tz)
    except DomainError as e:
        _fail(chat, e, [[button(chat.t("survey.btn.other_unit"), "svy")], _menu_row(chat)], edit=True)
        return
    _begin(chat, unit, edit=True)


async def _start_code(chat: Chat, code: str) -> None:
    try:
        unit = await survey_responses.start(chat.uow, chat.person, code, now=chat.now, tz=chat.settings.tz)
    except DomainError as e:
        _fail(chat, e, [[button(chat.t("survey.btn.other_unit"), "svy")], _menu_row(chat)])
        return
    _begin(chat, unit, edit=False)


def _begin(chat: Chat, unit: survey_units.UnitView, *, edit: bool) -> None:
    chat.clear()
    chat.goto(ASKING, sv_sid=secrets.token_hex(3), sv_unit=unit.id, sv_name=unit.name,
              sv_agency=unit.agency_name, sv_ans=[])
    _ask(chat, edit=edit)


# --- the questionnaire ---------------------------------------------------------------------

def _answers(chat: Chat) -> list[int]:
    return [int(a) for a in chat.data.get("sv_ans", [])]


def _ask(chat: Chat, *, edit: bool, prefix: str = "") -> None:
    """Show the current step: the next question, or the comment prompt after the ninth."""
    sid, answers = str(chat.data["sv_sid"]), _answers(chat)
    unit = escape(chat.data.get("sv_name", ""))
    n = len(answers)
    # With answers given, cancelling asks first: one stray tap should not throw them away.
    cancel = button(chat.t("btn.cancel"), "svx", sid) if n else Button(chat.t("btn.cancel"), "cancel")
    if n >= TOTAL:
        chat.goto(COMMENT)
        text = chat.t("survey.ask_comment", unit=unit, limit=survey_responses.COMMENT_LIMIT)
        rows = [[button(chat.t("survey.btn.skip"), "svs", sid)],
                [button(chat.t("survey.btn.back"), "svb", sid, n), cancel]]
        chat.reply(prefix + text, rows, edit=edit)
        return
    chat.goto(ASKING)
    element = ikm.ELEMENTS[n]
    text = chat.t("survey.question", n=n + 1, total=TOTAL, element=chat.t(f"survey.el.{element}"),
                  question=chat.t(f"survey.q.{element}"))
    if n == 0:
        text = chat.t("survey.intro", unit=unit, agency=escape(chat.data.get("sv_agency", ""))) + "\n\n" + text
    rows = [[button(f"{v} · {chat.t(f'survey.a.{element}.{v}')}", "sva", sid, n, v)] for v in range(1, 5)]
    rows.append([button(chat.t("survey.btn.back"), "svb", sid, n), cancel] if n else [cancel])
    chat.reply(prefix + text, rows, edit=edit)


def _current(chat: Chat, sid: str) -> bool:
    """Is this button from the survey in progress?"""
    return chat.state in (ASKING, COMMENT) and str(chat.data.get("sv_sid")) == sid


def _stale(chat: Chat) -> None:
    chat.toast = chat.t("survey.stale_toast")
    chat.reply(chat.t("survey.stale"), [[button(chat.t("survey.btn.new"), "svy")], _menu_row(chat)])


def _int_args(chat: Chat, count: int) -> list[int] | None:
    try:
        return [chat.arg_int(1 + i) for i in range(count)]
    except StaleButton:  # answered below with the survey's own "no longer active"
        return None


@router.callback("sva")
async def answer(chat: Chat) -> None:
    nums = _int_args(chat, 2)
    if not chat.args or nums is None or not _current(chat, chat.args[0]):
        _stale(chat)
        return
    question, value = nums
    answers = _answers(chat)
    if question != len(answers):  # an earlier question pressed again, or a double tap
        chat.toast = chat.t("survey.answered_toast")
        _ask(chat, edit=True)
        return
    try:
        survey_responses.check_answer(value)
    except DomainError as e:
        chat.toast = chat.t(e.code)
        _ask(chat, edit=True)
        return
    chat.goto(ASKING, sv_ans=[*answers, value])
    _ask(chat, edit=True)


@router.callback("svb")
async def back(chat: Chat) -> None:
    nums = _int_args(chat, 1)
    if not chat.args or nums is None or not _current(chat, chat.args[0]):
        _stale(chat)
        return
    answers = _answers(chat)
    if nums[0] != len(answers) or not answers:
        chat.toast = chat.t("survey.answered_toast")
        _ask(chat, edit=True)
        return
    chat.goto(ASKING, sv_ans=answers[:-1])
    _ask(chat, edit=True)


@router.callback("svx")
async def cancel_asked(chat: Chat) -> None:
    if not chat.args or not _current(chat, chat.args[0]):
        _stale(chat)
        return
    n = len(_answers(chat))
    if not n:
        _discard(chat)
        return
    sid = chat.args[0]
    chat.reply(chat.t("survey.cancel_confirm", n=n, unit=escape(chat.data.get("sv_name", ""))),
               [[button(chat.t("survey.btn.discard", n=n), "svxy", sid)],
                [button(chat.t("survey.btn.continue"), "svk", sid)]], edit=True)


@router.callback("svxy")
async def cancel_confirmed(chat: Chat) -> None:
    if not chat.args or not _current(chat, chat.args[0]):
        _stale(chat)
        return
    _discard(chat)


@router.callback("svk")
async def cancel_withdrawn(chat: Chat) -> None:
    if not chat.args or not _current(chat, chat.args[0]):
        _stale(chat)
        return
    _ask(chat, edit=True)  # back to the very question (or the comment) they were on


def _discard(chat: Chat) -> None:
    chat.clear()
    show_menu(chat, edit=True, lead=chat.t("survey.cancelled"))


async def _lost(chat: Chat) -> bool:
    """A survey state without its data (should not happen): start over rather than crash."""
    if "sv_sid" in chat.data and "sv_unit" in chat.data:
        return False
    chat.clear()
    await _choose(chat, 0, edit=False)
    return True


@router.state(ASKING)
async def typed_while_asking(chat: Chat) -> None:
    if await _lost(chat):
        return
    _ask(chat, edit=False, prefix=chat.t("survey.use_buttons") + "\n\n")


@router.callback("svs")
async def skip_comment(chat: Chat) -> None:
    if not chat.args or not _current(chat, chat.args[0]):
        _stale(chat)
        return
    if chat.state != COMMENT:  # went back to a question since this prompt was shown
        chat.toast = chat.t("survey.answered_toast")
        _ask(chat, edit=True)
        return
    await _submit(chat, None, edit=True)


@router.state(COMMENT)
async def typed_comment(chat: Chat) -> None:
    if await _lost(chat):
        return
    inc = chat.incoming
    if inc.kind is not Kind.TEXT:
        _ask(chat, edit=False, prefix=chat.t("survey.comment_text_only") + "\n\n")
        return
    try:
        comment = survey_responses.check_comment(inc.text)
    except DomainError as e:
        _ask(chat, edit=False, prefix=chat.t(e.code, **e.params) + "\n\n")
        return
    if comment is None:
        _ask(chat, edit=False, prefix=chat.t("survey.comment_empty") + "\n\n")
        return
    await _submit(chat, comment, edit=False)


async def _submit(chat: Chat, comment: str | None, *, edit: bool) -> None:
    unit_id, answers = int(chat.data["sv_unit"]), _answers(chat)
    try:
        done = await survey_responses.submit(chat.uow, chat.person, unit_id, answers, comment, now=chat.now,
                                   tz=chat.settings.tz)
    except DomainError as e:
        chat.clear()
        _fail(chat, e, [[button(chat.t("survey.btn.other_unit"), "svy")], _menu_row(chat)], edit=edit)
        return
    chat.clear()
    chat.reply(chat.t("survey.thanks", unit=escape(done.unit.name)), [_menu_row(chat)], edit=edit)


# --- IKM for staff -------------------------------------------------------------------------

def _num(chat: Chat, value: Decimal) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if chat.locale == "id" else text


def _today(chat: Chat) -> date:
    return survey_responses.local_day(chat.now, chat.settings.tz)


def _date(chat: Chat, day: date) -> str:
    """A calendar day as the person reads one ("1 Nov 2026"); survey days are already local days."""
    return format_date(day, "d MMM y", locale=chat.locale)


def _period_label(chat: Chat, period: reports.Period) -> str:
    if period.year is not None:
        return chat.t("ikm.period_year", year=period.year)
    return chat.t("ikm.period_range", start=_date(chat, period.start), end=_date(chat, period.end))


@router.command("ikm")
async def ikm_command(chat: Chat) -> None:
    try:
        period = reports.parse_period(chat.incoming.args, _today(chat))
    except DomainError as e:
        _fail(chat, e)
        return
    await _report(chat, period, edit=False)


@router.callback("ikm")
async def ikm_page(chat: Chat) -> None:
    """`ikm[:<period token>[:<page>]]`, from the menu or the report's own buttons."""
    token = chat.args[0] if chat.args else ""
    page = chat.arg_int(1, default=0)
    try:
        period = reports.Period.from_token(token) if token else reports.Period.of_year(_today(chat).year)
    except DomainError:
        period = reports.Period.of_year(_today(chat).year)
    await _report(chat, period, edit=True, page=page)


async def _report(chat: Chat, period: reports.Period, *, edit: bool, page: int = 0) -> None:
    every = await reports.ikm_report(chat.uow, chat.person, period)
    pages = max(1, (len(every) + REPORT_PAGE - 1) // REPORT_PAGE)
    page = min(page, pages - 1)
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
                            label=chat.t(f"survey.grade.{g.letter}"), count=r.responses))
    unsurveyed = sum(1 for r in every if r.result is None)
    if unsurveyed:
        lines.append(chat.t("ikm.unsurveyed", count=unsurveyed))
    # Names, not codes, on the buttons: one a row, as unit names are long.
    buttons = [[button(f"📊 {r.unit.name}", "ikm:u", r.unit.id, period.token)] for r in rows]
    numbers = [button(f"{'• ' if p == page else ''}{p + 1}", "ikm", period.token, p) for p in range(pages)]
    if pages > 1:
        buttons += [numbers[i:i + 8] for i in range(0, pages, 8)]  # Telegram shows at most 8 in a row
    if period.year is not None:
        nav = []
        if period.year > 2000:
            nav.append(button(f"◀ {period.year - 1}", "ikm", reports.Period.of_year(period.year - 1).token))
        if period.year < _today(chat).year:
            nav.append(button(f"{period.year + 1} ▶", "ikm", reports.Period.of_year(period.year + 1).token))
        buttons.append(nav)
    buttons.append(_menu_row(chat))
    chat.reply("\n\n".join(lines), buttons, edit=edit)


@router.callback("ikm:u")
async def ikm_unit(chat: Chat) -> None:
    unit_id, token = chat.arg_int(0), chat.arg_str(1)
    try:
        period = reports.Period.from_token(token)
    except DomainError:
        period = reports.Period.of_year(_today(chat).year)
    d = await reports.unit_detail(chat.uow, chat.person, unit_id, period)
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
                            label=chat.t(f"survey.grade.{result.grade.letter}"), count=result.responses))
    if d.comments:
        lines.append(chat.t("ikm.detail_comments") + "\n" + "\n".join(
            f"• {_date(chat, day)}: {escape(text)}" for day, text in d.comments))
    chat.reply("\n\n".join(lines), [
        [button(chat.t("ikm.btn.qr"), "ikm:qr", unit.id), button(chat.t("ikm.btn.units"), "ikm", period.token)],
        _menu_row(chat),
    ], edit=True)


@router.callback("ikm:qr")
async def ikm_qr(chat: Chat) -> None:
    unit_id = chat.arg_int(0)
    username = bot_username(chat)
    unit, png = await survey_units.unit_qr(chat.uow, chat.person, unit_id, username)
    link = qr.survey_link(username, unit.code)
    chat.reply(chat.t("ikm.qr_caption", unit=escape(unit.name), code=escape(unit.code), link=escape(link)),
               attachment=Attachment(kind="document", content=png, filename=survey_units.qr_filename(unit)))


router.menu_item("survey.menu", "svy", order=30)
router.menu_item("ikm.menu", "ikm", roles=STAFF, order=78)
router.help("survey.help")
router.help("survey.help_staff", STAFF)
