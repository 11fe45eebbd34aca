"""HR manages the agencies (OPD) in the chat: the list, an agency's card, deactivating it.

Everything is reachable by buttons (menu "OPD"); `/opd CODE a, b, c` still replaces keywords in
one message. The service refuses anyone but HR and superadmins, so a forged button gets nowhere.
"""

from __future__ import annotations

from handlers.agencies import views
from handlers.agencies.callbacks import Activate, AddAgency, AgencyButtons, AgencyList, Deactivate, OpenAgency
from handlers.agencies.steps import in_agency_flow
from handlers.kit import Button, Kind
from handlers.menu import Menu
from handlers.render import escape
from handlers.router import Chat, Router
from services.agencies import manage
from services.roles import ADMINS

router = Router()
PAGE = 10


@router.command("opd", "agencies")
async def opd(chat: Chat) -> None:
    """`/opd` lists the agencies; `/opd CODE a, b, c` replaces one agency's keywords."""
    code, _, words = chat.incoming.args.strip().partition(" ")
    if code and words.strip():
        saved = await manage.set_keywords_by_code(chat.uow, chat.person, code, words)
        chat.reply(chat.t("opd.keywords_saved", code=escape(code.upper()), keywords=escape(", ".join(saved))))
        return
    await _list(chat, 1)


@router.callback(AgencyList)
async def listing(chat: Chat, cb: AgencyList) -> None:
    await _list(chat, cb.page)


async def _list(chat: Chat, page: int) -> None:
    if in_agency_flow(chat):  # a half-typed name must not land on another agency
        chat.clear()
    rows = await manage.list_agencies(chat.uow, chat.person)
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE: page * PAGE]
    lines = [chat.t("opd.title", count=len(rows), page=page, pages=pages)]
    lines += [views.item(chat, a) for a in shown] or [chat.t("opd.empty")]
    buttons = [[Button(a.code + ("" if a.active else " ⏸"), OpenAgency(a.id).pack()) for a in shown[i:i + 2]]
               for i in range(0, len(shown), 2)]
    nav = ([Button("◀️", AgencyList(page - 1).pack())] if page > 1 else []) + (
        [Button("▶️", AgencyList(page + 1).pack())] if page < pages else [])
    if nav:
        buttons.append(nav)
    buttons.append([Button(chat.t("opd.btn.add"), AddAgency().pack()), Button(chat.t("menu.back"), Menu().pack())])
    chat.reply("\n\n".join(lines), buttons, edit=chat.incoming.kind is Kind.CALLBACK)


@router.callback(OpenAgency)
async def open_agency(chat: Chat, cb: OpenAgency) -> None:
    chat.clear()  # also the way out of a rename or keywords step
    views.card(chat, await manage.card(chat.uow, chat.person, cb.agency_id))


async def _set_active(chat: Chat, agency_id: int, active: bool) -> None:
    a = await manage.set_active(chat.uow, chat.person, agency_id, active)
    views.card(chat, a, chat.t("opd.activated" if active else "opd.deactivated", code=escape(a.code)))


@router.callback(Deactivate)
async def deactivate(chat: Chat, cb: Deactivate) -> None:
    await _set_active(chat, cb.agency_id, False)


@router.callback(Activate)
async def activate(chat: Chat, cb: Activate) -> None:
    await _set_active(chat, cb.agency_id, True)


router.menu_item("opd.menu", AgencyList(1), roles=ADMINS, order=75)
router.help("opd.help", ADMINS)
router.restrict(AgencyButtons, commands=("opd", "agencies"), roles=ADMINS)
