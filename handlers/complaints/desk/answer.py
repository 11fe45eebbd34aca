"""An answer, or a question for the reporter, is shown as the citizen will read it before it
goes: send, edit or cancel. The text waits in the saved state meanwhile."""

from __future__ import annotations

from dataclasses import replace

from handlers.complaints import cards
from handlers.complaints.callbacks import AskInfo, DropAnswer, EditAnswer, OpenCard, SendAnswer
from handlers.complaints.desk.applying import apply
from handlers.complaints.desk.common import Acting, OnCard, cancel_row, load_card, on_card
from handlers.kit import Button, Kind
from handlers.router import Chat, Router
from services.complaints import asking, desk
from services.complaints.dto import AnswerDraft
from services.errors import InvalidInput

router = Router()


@router.callback(AskInfo)
async def ask_info(chat: Chat, cb: AskInfo) -> None:
    """"Ask the reporter": the question is typed, previewed, then sent through the bot."""
    c = await load_card(chat, cb.report_id)  # also the access check
    if not c.can_ask:
        chat.reply(chat.t("cx.err.cannot_ask", number=c.number),
                   [[Button(chat.t("cx.btn.open"), OpenCard(c.id, "np").pack())]])
        return
    chat.save(OnCard(cb.report_id, "ask", c.number))
    await Acting.note.enter(chat)


async def preview(chat: Chat, on: OnCard, text: str) -> None:
    try:
        if on.action == "ask":
            draft = await asking.draft_question(chat.uow, chat.person, on.report_id, text)
        else:
            draft = await desk.draft_answer(chat.uow, chat.person, on.report_id, text)
    except InvalidInput as e:  # empty or too long: the step stays open for another try
        chat.reply(chat.error_text(e), [cancel_row(chat)])
        return
    chat.save(replace(on, number=draft.number, text=draft.text, to_reporter=draft.to_reporter))
    await Acting.preview.enter(chat)


@Acting.preview.asks
def show_preview(chat: Chat) -> None:
    on = chat.load(OnCard)
    draft = AnswerDraft(on.report_id, on.number, on.text, to_reporter=on.to_reporter)
    view = cards.question_preview if on.action == "ask" else cards.answer_preview
    chat.replies.append(view(chat.locale, draft))


@router.step(Acting.preview)
async def preview_typed(chat: Chat) -> None:
    """Typing again while the preview is shown replaces the text and shows it anew."""
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [cancel_row(chat)])
        return
    await preview(chat, chat.load(OnCard), chat.incoming.text)


@router.callback(SendAnswer, during=Acting.preview)
async def send_answer(chat: Chat, cb: SendAnswer) -> None:
    on = on_card(chat, cb.report_id, previewed=True)
    await apply(chat, on.report_id, on.action or "answer", on.text)


@router.callback(EditAnswer, during=Acting.preview)
async def edit_answer(chat: Chat, cb: EditAnswer) -> None:
    on_card(chat, cb.report_id, previewed=True)
    await Acting.note.enter(chat)  # the text stays saved until a new one is typed


@router.callback(DropAnswer, during=Acting.preview)
async def drop_answer(chat: Chat, cb: DropAnswer) -> None:
    on = on_card(chat, cb.report_id, previewed=True)
    chat.clear()
    key = "cx.desk.question_dropped" if on.action == "ask" else "cx.desk.answer_dropped"
    chat.reply(chat.t(key), [[Button(chat.t("cx.btn.open"), OpenCard(on.report_id, "np").pack())]])
