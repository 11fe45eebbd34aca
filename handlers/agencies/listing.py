"""HR manages the agencies (OPD) in the chat: list, add, rename, routing keywords, deactivate.

Everything is reachable by buttons (menu "OPD"); names and keywords are typed as a step.
`/opd CODE a, b, c` still replaces keywords in one message. The service refuses anyone but
HR and superadmins, so a forged button gets nowhere.
"""

from __future__ import annotations

from handlers.kit import Button, Kind
from handlers.render import button, escape
from handlers.router import Chat, Router
from services.agencies import manage
from services.agencies.manage import AgencyView
from services.errors import DomainError
from services.roles import ADMINS

router = Router()
PAGE = 10


def _cancel(chat: Chat, agency_id: int | None = None) -> list[list[Button]]:
    back = button(chat.t("btn.cancel"), "opd:a", agency_id) if agency_id else Button(chat.t("btn.cancel"), "cancel")
    return [[back]]


def _item(chat: Chat, a: AgencyView) -> str:
    key = "opd.item" if a.active else "opd.item_inactive"
    return chat.t(key, code=escape(a.code), name=escape(a.name), keywords=escape(", ".join(a.keywords) or "-"))


@router.command("opd", "agencies")
async def opd(chat: Chat) -> None:
    """`/opd` lists the agencies; `/opd CODE a, b, c` replaces one agency's keywords."""
    code, _, words = chat.incoming.args.strip().partition(" ")
    if code and words.strip():
        saved = await manage.set_keywords_by_code(chat.uow, chat.person, code, words)
        chat.reply(chat.t("opd.keywords_saved", code=escape(code.upper()), keywords=escape(", ".join(saved))))
        return
    await _list(chat, 1)


@router.callback("opd:l")
async def listing(chat: Chat) -> None:
    await _list(chat, chat.arg_int(0, default=1))


async def _list(chat: Chat, page: int) -> None:
    if chat.state and chat.state.startswith("opd."):  # a half-typed name must not land on another agency
        chat.clear()
    rows = await manage.list_agencies(chat.uow, chat.person)
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE: page * PAGE]
    lines = [chat.t("opd.title", count=len(rows), page=page, pages=pages)]
    lines += [_item(chat, a) for a in shown] or [chat.t("opd.empty")]
    buttons = [[button(f"{a.code}" + ("" if a.active else " ⏸"), "opd:a", a.id) for a in shown[i:i + 2]]
               for i in range(0, len(shown), 2)]
    nav = ([button("◀️", "opd:l", page - 1)] if page > 1 else []) + (
        [button("▶️", "opd:l", page + 1)] if page < pages else [])
    if nav:
        buttons.append(nav)
    buttons.append([Button(chat.t("opd.btn.add"), "opd:new"), Button(chat.t("menu.back"), "menu")])
    chat.reply("\n\n".join(lines), buttons, edit=chat.incoming.kind is Kind.CALLBACK)


def _card(chat: Chat, a: AgencyView, lead: str | None = None) -> None:
    text = chat.t(
        "opd.card", code=escape(a.code), name=escape(a.name), short=escape(a.short_name or "-"),
        parent=escape(a.parent_code or "-"), head=a.head_telegram_id or "-",
        keywords=escape(", ".join(a.keywords) or "-"),
        status=chat.t("opd.status.active" if a.active else "opd.status.inactive"), officers=a.officers or 0)
    if a.active and not a.officers:
        text += "\n\n" + chat.t("opd.no_officer", code=escape(a.code))
    toggle = ("opd.btn.deactivate", "opd:off") if a.active else ("opd.btn.activate", "opd:on")
    chat.reply(f"{lead}\n\n{text}" if lead else text, [
        [button(chat.t("opd.btn.rename"), "opd:rn", a.id), button(chat.t("opd.btn.keywords"), "opd:kw", a.id)],
        [button(chat.t(toggle[0]), toggle[1], a.id)],
        [button(chat.t("opd.btn.list"), "opd:l", 1)],
    ])


@router.callback("opd:a")
async def open_agency(chat: Chat) -> None:
    aid = chat.arg_int(0)
    chat.clear()
    _card(chat, await manage.card(chat.uow, chat.person, aid))


@router.callback("opd:rn")
async def ask_name(chat: Chat) -> None:
    aid = chat.arg_int(0)
    a = await manage.card(chat.uow, chat.person, aid)  # also the access check
    chat.goto("opd.name", aid=aid)
    chat.reply(chat.t("opd.ask_name", code=escape(a.code), name=escape(a.name)), _cancel(chat, aid))


@router.callback("opd:kw")
async def ask_keywords(chat: Chat) -> None:
    aid = chat.arg_int(0)
    a = await manage.card(chat.uow, chat.person, aid)
    chat.goto("opd.kw", aid=aid)
    chat.reply(chat.t("opd.ask_keywords", code=escape(a.code), keywords=escape(", ".join(a.keywords) or "-")),
               _cancel(chat, aid))


@router.callback("opd:off")
@router.callback("opd:on")
async def toggle(chat: Chat) -> None:
    aid = chat.arg_int(0)
    active = chat.incoming.text.startswith("opd:on")
    a = await manage.set_active(chat.uow, chat.person, aid, active)
    _card(chat, a, chat.t("opd.activated" if active else "opd.deactivated", code=escape(a.code)))


@router.callback("opd:new")
async def ask_code(chat: Chat) -> None:
    await manage.list_agencies(chat.uow, chat.person)  # the access check before asking anything
    chat.goto("opd.code")
    chat.reply(chat.t("opd.ask_code"), _cancel(chat))


async def _typed(chat: Chat) -> str | None:
    """The text of a typing step, or None after asking again (a photo, a sticker…)."""
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("opd.text_only"), _cancel(chat, chat.data.get("aid")))
        return None
    return chat.incoming.text


async def _retry(chat: Chat, e: DomainError, ask: str, **params: object) -> None:
    chat.reply(chat.t(e.code, **e.params) + "\n\n" + chat.t(ask, **params), _cancel(chat, chat.data.get("aid")))


@router.state("opd.code")
async def code_typed(chat: Chat) -> None:
    if (text := await _typed(chat)) is None:
        return
    try:
        code = await manage.check_new_code(chat.uow, chat.person, text)
    except DomainError as e:
        await _retry(chat, e, "opd.ask_code")
        return
    chat.goto("opd.new_name", code=code)
    chat.reply(chat.t("opd.ask_new_name", code=code), _cancel(chat))


@router.state("opd.new_name")
async def new_name_typed(chat: Chat) -> None:
    if (text := await _typed(chat)) is None:
        return
    code = str(chat.data.get("code", ""))
    try:
        a = await manage.create(chat.uow, chat.person, code, text)
    except DomainError as e:
        if e.code == "opd.err.code_taken":  # taken meanwhile: start again from the code
            chat.goto("opd.code")
            await _retry(chat, e, "opd.ask_code")
        else:
            await _retry(chat, e, "opd.ask_new_name", code=escape(code))
        return
    chat.clear()
    _card(chat, a, chat.t("opd.created", code=escape(a.code)))


@router.state("opd.name")
async def name_typed(chat: Chat) -> None:
    if (text := await _typed(chat)) is None:
        return
    aid = int(chat.data.get("aid", 0))
    try:
        a = await manage.rename(chat.uow, chat.person, aid, text)
    except DomainError as e:
        await _retry(chat, e, "opd.ask_name_again")
        return
    chat.clear()
    _card(chat, a, chat.t("opd.renamed"))


@router.state("opd.kw")
async def keywords_typed(chat: Chat) -> None:
    if (text := await _typed(chat)) is None:
        return
    aid = int(chat.data.get("aid", 0))
    try:
        await manage.set_keywords(chat.uow, chat.person, aid, text)
    except DomainError as e:
        await _retry(chat, e, "opd.ask_keywords_again")
        return
    chat.clear()
    _card(chat, await manage.card(chat.uow, chat.person, aid), chat.t("opd.keywords_done"))


router.menu_item("opd.menu", "opd:l:1", roles=ADMINS, order=75)
router.help("opd.help", ADMINS)
