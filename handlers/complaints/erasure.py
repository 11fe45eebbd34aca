"""/hapusdata: a person erases what they filed, after one confirmation (staff cannot)."""

from __future__ import annotations

from handlers.complaints.callbacks import EraseAsk, EraseConfirm
from handlers.flow import Step, Steps
from handlers.kit import Button
from handlers.menu import Cancel, show_menu
from handlers.router import Chat, Router
from services.complaints.erase import erase
from services.roles import Role

router = Router()


class Erasing(Steps, prefix="cx"):
    erase = Step(note="confirm erasing")


@router.command("hapusdata", "erase", "deletemydata")
async def cmd_erase(chat: Chat) -> None:
    await Erasing.start(chat)


@router.callback(EraseAsk)
async def btn_erase_ask(chat: Chat, cb: EraseAsk) -> None:
    await Erasing.start(chat)


@Erasing.erase.asks
def ask_erase(chat: Chat) -> None:
    chat.reply(chat.t("cx.erase.confirm"), [[Button(chat.t("cx.btn.erase_yes"), EraseConfirm("yes").pack())],
                                           [Button(chat.t("btn.cancel"), Cancel().pack())]])


@router.callback(EraseConfirm, during=Erasing.erase)  # asked again after it was done: stale
async def btn_erase(chat: Chat, cb: EraseConfirm) -> None:
    n = await erase(chat.uow, chat.person, now=chat.now)
    chat.clear()
    chat.reply(chat.t("cx.erase.done", n=n), remove_keyboard=True)


@router.step(Erasing.erase)
async def erase_typed(chat: Chat) -> None:
    chat.clear()
    chat.reply(chat.t("cx.erase.kept"))
    show_menu(chat)


# Staff accounts cannot erase themselves (services.complaints.erase): the button is for the public.
router.menu_item("cx.menu.erase", EraseAsk(), roles=(Role.CITIZEN, Role.ASN), order=88)
