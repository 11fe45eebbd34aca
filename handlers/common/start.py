"""The flows every person has: menu, help, language, cancel, and answers to the unexpected."""

from __future__ import annotations

from handlers.kit import Button, Kind
from handlers.menu import menu_buttons, show_menu, stale_button
from handlers.render import button, escape
from handlers.router import Chat, Router
from services import users
from services.roles import ADMINS, Role

router = Router()
LANGUAGES = {"id": "🇮🇩 Bahasa Indonesia", "en": "🇬🇧 English"}


@router.command("start", "mulai", "menu")
async def start(chat: Chat) -> None:
    payload = chat.incoming.args
    if payload and chat.incoming.command == "start":
        assert chat.router is not None
        handler = chat.router.deep_links.get(payload.split("_", 1)[0].lower())
        if handler:
            await handler(chat)
            return
    chat.clear()
    name = escape(chat.person.name or chat.incoming.display_name)
    lead = [chat.t("start.welcome", name=name, instance=escape(chat.settings.instance_name))]
    assert chat.router is not None
    for line in chat.router.welcome_lines:
        if said := await line(chat):
            lead.append(said)
    show_menu(chat, lead="\n\n".join(lead))


@router.callback("menu")
async def menu(chat: Chat) -> None:
    chat.clear()
    show_menu(chat, edit=True)


@router.command("bantuan", "help")
@router.callback("help")
async def help_(chat: Chat) -> None:
    lines = [chat.t("help.intro"), chat.t("help.common")]
    assert chat.router is not None
    for roles, key in chat.router.help_entries:
        if roles is None or chat.person.role in roles or chat.person.role == Role.SUPERADMIN:
            lines.append(chat.t(key))
    chat.reply("\n\n".join(lines), [[Button(chat.t("menu.back"), "menu")]])




@router.command("bahasa", "language", "lang")
async def language(chat: Chat) -> None:
    choice = chat.incoming.args.strip().lower()[:2]
    if choice in LANGUAGES:
        await _set_language(chat, choice)
        return
    chat.reply(chat.t("lang.choose"), _language_rows(chat))


def _language_rows(chat: Chat) -> list[list[Button]]:
    # A way back for someone who opened the picker and wants to keep their language.
    return [[button(label, "lang", c)] for c, label in LANGUAGES.items()] + [[Button(chat.t("btn.back"), "menu")]]


@router.callback("lang")
async def language_chosen(chat: Chat) -> None:
    code = chat.args[0] if chat.args else ""
    if code not in LANGUAGES:
        chat.reply(chat.t("lang.choose"), _language_rows(chat), edit=True)
        return
    await _set_language(chat, code)


async def _set_language(chat: Chat, code: str) -> None:
    chat.person = await users.set_locale(chat.uow, chat.person, code)
    show_menu(chat, edit=True, lead=chat.t("lang.set", language=LANGUAGES[code]))


@router.command("batal", "cancel")
@router.callback("cancel")
async def cancel(chat: Chat) -> None:
    had_flow = chat.state is not None
    chat.clear()
    chat.reply(chat.t("cancel.done" if had_flow else "cancel.nothing"), remove_keyboard=True)
    show_menu(chat)


async def unknown(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind is Kind.COMMAND:
        chat.reply(chat.t("unknown.command", command=escape(inc.command or "")), menu_buttons(chat))
    elif inc.kind is Kind.TEXT:
        chat.reply(chat.t("unknown.text"), menu_buttons(chat))
    else:
        chat.reply(chat.t("unknown.kind"), menu_buttons(chat))


router.fallback = unknown
router.on_stale_button = stale_button


@router.intent("menu", ["menu", "mulai", "start", "halo", "hai", "hello", "hi", "assalamualaikum"])
async def greet(chat: Chat) -> None:
    show_menu(chat)


@router.intent("help", ["bantuan", "tolong", "help", "cara pakai", "panduan"])
async def help_intent(chat: Chat) -> None:
    await help_(chat)


router.help("help.admin", ADMINS)
router.menu_item("menu.btn.language", "lang", order=90)
router.menu_item("menu.btn.help", "help", order=95)
