"""Start (with deep links and the features' welcome lines), the menu, help and the greetings."""

from __future__ import annotations

from handlers.kit import Button
from handlers.menu import Help, Menu, show_menu
from handlers.render import escape
from handlers.router import Chat, Router
from services.roles import ADMINS, Role

router = Router()


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


@router.callback(Menu)
async def menu(chat: Chat, cb: Menu) -> None:
    chat.clear()
    show_menu(chat, edit=True)


@router.command("bantuan", "help")
async def help_(chat: Chat) -> None:
    lines = [chat.t("help.intro"), chat.t("help.common")]
    assert chat.router is not None
    for roles, key in chat.router.help_entries:
        if roles is None or chat.person.role in roles or chat.person.role == Role.SUPERADMIN:
            lines.append(chat.t(key))
    chat.reply("\n\n".join(lines), [[Button(chat.t("menu.back"), Menu().pack())]])


@router.callback(Help)
async def help_button(chat: Chat, cb: Help) -> None:
    await help_(chat)


@router.intent("menu", ["menu", "mulai", "start", "halo", "hai", "hello", "hi", "assalamualaikum"])
async def greet(chat: Chat) -> None:
    show_menu(chat)


@router.intent("help", ["bantuan", "tolong", "help", "cara pakai", "panduan"])
async def help_intent(chat: Chat) -> None:
    await help_(chat)


router.help("help.admin", ADMINS)
router.menu_item("menu.btn.help", Help(), order=95)
