"""/staf: a superadmin picks a person (a forwarded message of theirs, or their Telegram id),
sees their role, grants one (an officer's agency from a list) or takes it back."""

from __future__ import annotations

from handlers.kit import Button, Kind
from handlers.menu import Menu
from handlers.router import Chat, Router
from handlers.staff import views
from handlers.staff.callbacks import (
    AgencyPage,
    AuditLog,
    Card,
    Grant,
    Home,
    Officer,
    PickPerson,
    Revoke,
    RevokeYes,
    StaffList,
)
from handlers.staff.steps import PickFlow
from services.errors import DomainError
from services.roles import Role
from services.staff import staff

router = Router()
AGENCY_PAGE = 8


def _admins(chat: Chat) -> list[int]:
    return chat.settings.admin_id_list


@router.command("staf", "staff")
async def home(chat: Chat) -> None:
    await staff.agencies(chat.uow, chat.person)  # the access check before showing anything
    if PickFlow.step(chat.state):
        chat.clear()
    chat.reply(chat.t("sf.home"), [
        [Button(chat.t("sf.btn.pick"), PickPerson().pack())],
        [Button(chat.t("sf.btn.list"), StaffList(1).pack()), Button(chat.t("sf.btn.audit"), AuditLog(1).pack())],
        [Button(chat.t("menu.back"), Menu().pack())],
    ], edit=chat.incoming.kind is Kind.CALLBACK)


@router.callback(Home)
async def home_button(chat: Chat, cb: Home) -> None:
    await home(chat)


@router.callback(PickPerson)
async def pick(chat: Chat, cb: PickPerson) -> None:
    await staff.agencies(chat.uow, chat.person)
    chat.clear()
    await PickFlow.start(chat)


@PickFlow.who.asks
def ask_who(chat: Chat) -> None:
    chat.reply(chat.t("sf.ask_who"), [[Button(chat.t("btn.cancel"), Home().pack())]])


def person_from(chat: Chat, again: str, cancel: str) -> int | None:
    """The Telegram id a forwarded message or the typed text names; None after saying why not."""
    inc = chat.incoming
    problem: str | None = None
    if inc.forwarded_user_id is not None:
        return inc.forwarded_user_id
    if inc.forward_origin == "hidden_user":
        problem = chat.t("sf.err.hidden")
    elif inc.forward_origin is not None:
        problem = chat.t("sf.err.not_a_person")
    elif inc.kind is not Kind.TEXT:
        problem = chat.t("sf.err.text_or_forward")
    else:
        try:
            return staff.parse_id(inc.text)
        except DomainError as e:
            problem = chat.error_text(e)
    chat.reply(f"{problem}\n\n{again}", [[Button(chat.t("btn.cancel"), cancel)]])
    return None


@router.step(PickFlow.who)
async def who_given(chat: Chat) -> None:
    external_id = person_from(chat, chat.t("sf.ask_who"), Home().pack())
    if external_id is None:
        return
    m = await staff.find(chat.uow, chat.person, external_id, admin_ids=_admins(chat))
    chat.clear()
    views.card(chat, m)


@router.callback(Card)
async def open_card(chat: Chat, cb: Card) -> None:
    m = await staff.find(chat.uow, chat.person, cb.external_id, admin_ids=_admins(chat))
    chat.clear()
    views.card(chat, m)


def _changed(chat: Chat, change: staff.Change, key: str) -> None:
    m = change.member
    lead = chat.t(key, who=views.who(m), before=views.role_name(chat.locale, change.before["role"] or "",
                                                                  change.before["agency"]),
                  after=views.role_name(chat.locale, m.role, m.agency_name))
    views.card(chat, m, lead)


@router.callback(Grant)
async def grant(chat: Chat, cb: Grant) -> None:
    if cb.role == Role.OFFICER.value:
        await _agencies(chat, cb.external_id, 1)
        return
    change = await staff.grant(chat.uow, chat.person, cb.external_id, cb.role, admin_ids=_admins(chat),
                               now=chat.now)
    _changed(chat, change, "sf.granted")


@router.callback(AgencyPage)
async def agency_page(chat: Chat, cb: AgencyPage) -> None:
    await _agencies(chat, cb.external_id, cb.page)


async def _agencies(chat: Chat, external_id: int, page: int) -> None:
    m = await staff.find(chat.uow, chat.person, external_id, admin_ids=_admins(chat))
    rows = await staff.agencies(chat.uow, chat.person)
    pages = max(1, -(-len(rows) // AGENCY_PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * AGENCY_PAGE: page * AGENCY_PAGE]
    buttons = [[Button(f"{a.code} · {_cut(a.short_name or a.name, 30)}", Officer(external_id, a.id).pack())]
               for a in shown]
    nav = ([Button("◀️", AgencyPage(external_id, page - 1).pack())] if page > 1 else []) + (
        [Button("▶️", AgencyPage(external_id, page + 1).pack())] if page < pages else [])
    if nav:
        buttons.append(nav)
    buttons.append(views.back_row(chat, m))
    text = chat.t("sf.pick_agency", who=views.who(m), page=page, pages=pages) if rows else chat.t("sf.no_agency")
    chat.reply(text, buttons, edit=True)


def _cut(text: str, n: int) -> str:
    return text if len(text) <= n else text[:n - 1].rstrip() + "…"


@router.callback(Officer)
async def officer(chat: Chat, cb: Officer) -> None:
    change = await staff.grant(chat.uow, chat.person, cb.external_id, Role.OFFICER, agency_id=cb.agency_id,
                               admin_ids=_admins(chat), now=chat.now)
    _changed(chat, change, "sf.granted")


@router.callback(Revoke)
async def revoke(chat: Chat, cb: Revoke) -> None:
    m = await staff.find(chat.uow, chat.person, cb.external_id, admin_ids=_admins(chat))
    if m.role not in (Role.OFFICER, Role.HR, Role.SUPERADMIN):
        raise DomainError("sf.err.not_staff")
    after = views.role_name(chat.locale, Role.ASN if m.linked else Role.CITIZEN)
    chat.reply(chat.t("sf.revoke_confirm", who=views.who(m), role=views.role_name(chat.locale, m.role, m.agency_name),
                      after=after),
               [[Button(chat.t("sf.btn.revoke_yes"), RevokeYes(m.external_id).pack())], views.back_row(chat, m)],
               edit=True)


@router.callback(RevokeYes)
async def revoke_yes(chat: Chat, cb: RevokeYes) -> None:
    change = await staff.revoke(chat.uow, chat.person, cb.external_id, admin_ids=_admins(chat), now=chat.now)
    _changed(chat, change, "sf.revoked")


router.menu_item("sf.menu", Home(), roles=(Role.SUPERADMIN,), order=85)
router.help("sf.help", (Role.SUPERADMIN,))
router.restrict(Home, commands=("staf", "staff"), roles=(Role.SUPERADMIN,))  # Home is "sf": every "sf:…" too
