"""The buttons every person has. Their data are the plain words they always were ("menu",
"help", "cancel", "lang:en"), so buttons already in chats, and other features' plain
`Button(text, "menu")`, keep working."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback

Locale = Literal["id", "en"]


class Menu(Callback, prefix="menu"):
    pass


class Help(Callback, prefix="help"):
    pass


class Cancel(Callback, prefix="cancel"):
    pass


class Language(Callback, prefix="lang"):
    code: Locale | None = None  # None: open the picker
