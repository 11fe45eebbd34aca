"""Leaving a flow, and the answers to the unexpected: unknown input and stale buttons."""

from __future__ import annotations

from handlers.common.language import picker
from handlers.kit import Kind
from handlers.menu import Cancel, Language, menu_buttons, show_menu, stale_button
from handlers.render import escape
from handlers.router import Chat, Router

router = Router()


@router.command("batal", "cancel")
async def cancel(chat: Chat) -> None:
    had_flow = chat.state is not None
    chat.clear()
    chat.reply(chat.t("cancel.done" if had_flow else "cancel.nothing"), remove_keyboard=True)
    show_menu(chat)


@router.callback(Cancel)
async def cancel_button(chat: Chat, cb: Cancel) -> None:
    await cancel(chat)


async def unknown(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind is Kind.COMMAND:
        chat.reply(chat.t("unknown.command", command=escape(inc.command or "")), menu_buttons(chat))
    elif inc.kind is Kind.TEXT:
        chat.reply(chat.t("unknown.text"), menu_buttons(chat))
    else:
        chat.reply(chat.t("unknown.kind"), menu_buttons(chat))


async def stale(chat: Chat) -> None:
    """Every stale or forged button: the kit's answer; a language button that is no choice of
    ours (`lang:xx`) opens the picker again instead, so the person can still choose."""
    if Language.matches(chat.incoming.text):
        picker(chat)
        return
    await stale_button(chat)


router.fallback = unknown
router.on_stale_button = stale
