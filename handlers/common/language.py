"""The language picker: by command (`/bahasa en`) or buttons, with a way back that keeps the language."""

from __future__ import annotations

from handlers.kit import Button
from handlers.menu import Language, Locale, Menu, show_menu
from handlers.router import Chat, Router
from services import users

router = Router()
LANGUAGES: dict[Locale, str] = {"id": "🇮🇩 Bahasa Indonesia", "en": "🇬🇧 English"}


@router.command("bahasa", "language", "lang")
async def language(chat: Chat) -> None:
    choice = chat.incoming.args.strip().lower()[:2]
    if choice in LANGUAGES:
        await _set_language(chat, choice)
        return
    chat.reply(chat.t("lang.choose"), _language_rows(chat))


def picker(chat: Chat) -> None:
    """The picker in place of the pressed message: also the answer to a forged `lang:xx`."""
    chat.reply(chat.t("lang.choose"), _language_rows(chat), edit=True)


def _language_rows(chat: Chat) -> list[list[Button]]:
    # A way back for someone who opened the picker and wants to keep their language.
    return ([[Button(label, Language(code).pack())] for code, label in LANGUAGES.items()]
            + [[Button(chat.t("btn.back"), Menu().pack())]])


@router.callback(Language)
async def language_chosen(chat: Chat, cb: Language) -> None:
    if cb.code is None:  # the menu's "🌐 Bahasa"
        picker(chat)
        return
    await _set_language(chat, cb.code)


async def _set_language(chat: Chat, code: Locale) -> None:
    chat.person = await users.set_locale(chat.uow, chat.person, code)
    show_menu(chat, edit=True, lead=chat.t("lang.set", language=LANGUAGES[code]))


router.menu_item("menu.btn.language", Language(), order=90)
