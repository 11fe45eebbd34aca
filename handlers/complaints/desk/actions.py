"""A status change from the card: pick the action, type its note (or none), done."""

from __future__ import annotations

from typing import cast

from handlers.complaints.callbacks import Action, ChooseAction, NoNote, OpenCard, RejectNotAuthority
from handlers.complaints.desk import answer
from handlers.complaints.desk.applying import apply
from handlers.complaints.desk.common import (
    PREVIEWED,
    Acting,
    Merging,
    OnCard,
    cancel_row,
    illegal,
    load_card,
    on_card,
    show_card,
)
from handlers.kit import Button, Kind
from handlers.render import escape
from handlers.router import Chat, Router
from services.complaints import desk

router = Router()
ASK = {"answer": "cx.desk.ask_answer", "resolve": "cx.desk.ask_resolve", "close": "cx.desk.ask_close",
       "ask": "cx.desk.ask_info"}


@router.callback(OpenCard)
async def open_report(chat: Chat, cb: OpenCard) -> None:
    chat.clear()
    await show_card(chat, cb.report_id, with_photos=cb.refresh != "np")  # "np": a refresh, photos already shown


@router.callback(ChooseAction)
async def choose_action(chat: Chat, cb: ChooseAction) -> None:
    c = await load_card(chat, cb.report_id)  # also the access check
    if cb.action not in c.actions:
        illegal(chat, cb.report_id, c.number, c.status)
        return
    chat.save(OnCard(cb.report_id, cb.action, c.number))
    await (Merging.merge if cb.action == "merge" else Acting.note).enter(chat)


@Acting.note.asks
def ask_note(chat: Chat) -> None:
    on = chat.load(OnCard)
    if on.text:  # back from its preview: the text to copy from
        chat.reply(chat.t("cx.desk.edit_answer", text=escape(on.text)), [cancel_row(chat)])
        return
    rows: list[list[Button]] = []
    if on.action == "reject":
        rows.append([Button(chat.t("cx.btn.reason_authority"), RejectNotAuthority(on.report_id).pack())])
    if on.action != "ask" and not desk.needs_note(on.action):
        rows.append([Button(chat.t("cx.btn.no_note"), NoNote(on.report_id, cast(Action, on.action)).pack())])  # not "ask": a ChooseAction's
    # Selesai and Tutup say what they will do: they read alike but end differently for the citizen.
    key = ASK.get(on.action, "cx.desk.ask_note")
    label = chat.t("cx.act.ask" if on.action == "ask" else f"cx.act.{on.action}")
    chat.reply(chat.t(key, number=on.number, action=label, days=chat.settings.complaint_reopen_days),
               rows + [cancel_row(chat)])


@router.step(Acting.note)
async def note_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [cancel_row(chat)])
        return
    on = chat.load(OnCard)
    if on.action in PREVIEWED:
        await answer.preview(chat, on, chat.incoming.text)
        return
    await apply(chat, on.report_id, on.action, chat.incoming.text)


@router.callback(NoNote, during=Acting.note)
async def no_note(chat: Chat, cb: NoNote) -> None:
    on = on_card(chat, cb.report_id, cb.action)
    await apply(chat, on.report_id, on.action, None)


@router.callback(RejectNotAuthority, during=Acting.note)
async def reject_not_authority(chat: Chat, cb: RejectNotAuthority) -> None:
    on = on_card(chat, cb.report_id, "reject")
    await apply(chat, on.report_id, "reject", chat.t("cx.reason.authority"))
