"""Merging a duplicate into the original: the number it duplicates is typed; its reporter and
followers then follow the original."""

from __future__ import annotations

from handlers.complaints.desk.common import Merging, OnCard, cancel_row, to_queue
from handlers.kit import Kind
from handlers.router import Chat, Router
from services.complaints import desk
from services.errors import DomainError

router = Router()


@Merging.merge.asks
def ask_merge(chat: Chat) -> None:
    chat.reply(chat.t("cx.desk.ask_merge", number=chat.load(OnCard).number), [cancel_row(chat)])


@router.step(Merging.merge)
async def merge_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [cancel_row(chat)])
        return
    try:
        number = await desk.merge(chat.uow, chat.person, chat.load(OnCard).report_id, chat.incoming.text, now=chat.now)
    except DomainError as e:  # a wrong number is worth another try
        chat.reply(chat.error_text(e), [cancel_row(chat)])
        return
    chat.clear()
    chat.reply(chat.t("cx.desk.merged", number=number), to_queue(chat))
