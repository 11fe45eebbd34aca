"""What the survey shows outside the questionnaire: the unit chooser, refusals, the way back."""

from __future__ import annotations

from handlers.chat import Chat
from handlers.kit import Button
from handlers.menu import Menu
from handlers.survey.callbacks import PickUnit, SurveyMenu
from services.errors import DomainError
from services.survey import units as survey_units

PAGE = 8  # units per page in the chooser


def menu_row(chat: Chat) -> list[Button]:
    return [Button(chat.t("menu.back"), Menu().pack())]


def refuse(chat: Chat, e: DomainError, *, edit: bool = False) -> None:
    """A refusal (unknown unit, already today…) with the way to another unit or the menu."""
    # Parameters can be what the person typed (a unit code): escape them all.
    chat.reply(chat.error_text(e),
               [[Button(chat.t("survey.btn.other_unit"), SurveyMenu().pack())], menu_row(chat)], edit=edit)


async def units_page(chat: Chat, page: int, *, edit: bool) -> None:
    """The units to choose from, PAGE at a time."""
    units = await survey_units.list_units(chat.uow)
    if not units:
        chat.reply(chat.t("survey.no_units"), [menu_row(chat)], edit=edit)
        return
    pages = (len(units) + PAGE - 1) // PAGE
    page = max(0, min(page, pages - 1))  # a forged "svy:-1" is the first page
    rows = [[Button(u.name, PickUnit(u.id).pack())] for u in units[page * PAGE:(page + 1) * PAGE]]
    nav = []
    if page > 0:
        nav.append(Button(chat.t("survey.btn.prev_page"), SurveyMenu(page - 1).pack()))
    if page < pages - 1:
        nav.append(Button(chat.t("survey.btn.next_page"), SurveyMenu(page + 1).pack()))
    rows += [nav] if nav else []
    rows.append(menu_row(chat))
    chat.reply(chat.t("survey.choose_unit"), rows, edit=edit)
