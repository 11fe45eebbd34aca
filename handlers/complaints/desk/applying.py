"""Carrying out what the officer chose, once its note is typed (or previewed and sent)."""

from __future__ import annotations

from handlers.complaints import views
from handlers.complaints.desk.common import cancel_row, show_card, to_queue
from handlers.router import Chat
from services.complaints import asking, desk
from services.errors import InvalidInput


async def apply(chat: Chat, cid: int, action: str, note: str | None) -> None:
    """Do it; a refusal worth another try (a reason is required, too long) keeps the step open."""
    try:
        if action == "ask":
            number = await asking.ask_info(chat.uow, chat.person, cid, note or "", now=chat.now)
        else:
            status = await desk.act(chat.uow, chat.person, cid, action, note=note, now=chat.now)
    except InvalidInput as e:
        chat.reply(chat.error_text(e), [cancel_row(chat)])
        return
    chat.clear()
    if action == "ask":
        chat.reply(chat.t("cx.desk.asked", number=number))
    else:
        chat.reply(chat.t("cx.desk.done", status=views.status(chat.locale, status)))
    if action != "return":  # a returned report is no longer the officer's to open
        await show_card(chat, cid, with_photos=False)
    else:
        chat.reply(chat.t("cx.desk.returned"), to_queue(chat))
