"""Starting a survey: `/survei [UNIT]`, the counter's QR code (`/start survei_UNIT`), the unit chooser."""

from __future__ import annotations

from handlers.chat import Chat
from handlers.router import Router
from handlers.survey import views
from handlers.survey.callbacks import PickUnit, SurveyMenu
from handlers.survey.steps import begin, in_survey
from services.errors import DomainError
from services.survey import responses as survey_responses

router = Router("survey.start")


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


@router.callback(SurveyMenu)
async def survey_menu(chat: Chat, cb: SurveyMenu) -> None:
    await _choose(chat, cb.page, edit=True)


@router.deep_link("survei")
async def survey_deep_link(chat: Chat) -> None:
    """`/start survei_<UNITCODE>` from a counter's QR code."""
    _, _, code = chat.incoming.args.partition("_")
    if not code.strip():
        await _choose(chat, 0, edit=False)
        return
    await _start_code(chat, code)


async def _choose(chat: Chat, page: int, *, edit: bool) -> None:
    if in_survey(chat):
        chat.clear()  # choosing again abandons the survey in progress
    await views.units_page(chat, page, edit=edit)


@router.callback(PickUnit)
async def survey_unit(chat: Chat, cb: PickUnit) -> None:
    try:
        unit = await survey_responses.start_by_id(chat.uow, chat.person, cb.unit_id, now=chat.now,
                                                  tz=chat.settings.tz)
    except DomainError as e:
        views.refuse(chat, e, edit=True)
        return
    begin(chat, unit)


async def _start_code(chat: Chat, code: str) -> None:
    try:
        unit = await survey_responses.start(chat.uow, chat.person, code, now=chat.now, tz=chat.settings.tz)
    except DomainError as e:
        views.refuse(chat, e)
        return
    begin(chat, unit)
