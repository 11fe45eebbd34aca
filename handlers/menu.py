"""The menu and the answers every feature shares: a role's menu, a stale button, passing a message on.

Part of the kit, not of a feature: features import this, never each other. It also declares the
buttons every feature may show: `Menu`, `Help`, `Cancel` and `Language`. Their data are the plain
words they always were ("menu", "help", "cancel", "lang", "lang:en"), so buttons already sent in
chats keep working; a feature writes `Button(text, Cancel().pack())`, never `"cancel"`.
"""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback
from handlers.chat import Chat
from handlers.kit import Button
from services.roles import STAFF, Role

Locale = Literal["id", "en"]


class Menu(Callback, prefix="menu"):
    """Back to the role's menu (the common feature clears the open step)."""


class Help(Callback, prefix="help"):
    """The /bantuan text."""


class Cancel(Callback, prefix="cancel"):
    """Leave the open step, as /batal does."""


class Language(Callback, prefix="lang"):
    code: Locale | None = None  # None: open the picker


def menu_buttons(chat: Chat) -> list[list[Button]]:
    assert chat.router is not None
    # A superadmin sees every staff item, not the public's own (such as erasing one's data).
    items = [m for m in chat.router.menu if m.roles is None or chat.person.role in m.roles
             or (chat.person.role == Role.SUPERADMIN and any(r in STAFF for r in m.roles))]
    flat = [Button(chat.t(m.label), m.data) for m in items]
    return [flat[i:i + 2] for i in range(0, len(flat), 2)]


def show_menu(chat: Chat, *, edit: bool = False, lead: str | None = None) -> None:
    """The role's menu; `lead` is said first, in the same message (one send instead of two)."""
    # A citizen needs no label for who they are; for ASN and staff it says what the menu offers.
    if chat.person.role == Role.CITIZEN:
        text = chat.t("menu.title")
    else:
        text = chat.t("menu.title_role", role=chat.t(f"role.{chat.person.role}"))
    chat.reply(f"{lead}\n\n{text}" if lead else text, menu_buttons(chat), edit=edit)


async def stale_button(chat: Chat) -> None:
    """A button whose step is over: the pop-up says so; the chat is left as it is."""
    chat.toast = chat.t("stale.toast")


async def pass_on(chat: Chat) -> None:
    """Leave the open step and read this message as if no flow were open (kinds, intents)."""
    chat.clear()
    assert chat.router is not None
    handler = chat.router.resolve(chat)
    if handler is not None:
        await handler(chat)
