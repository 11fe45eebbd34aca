"""`/kelolapelatihan` → a training → **Kehadiran**: mark who came (JP credited), everyone with a seat
at once, and undo one person's attendance (✅ pressed again: why, then a confirmation; the person
is told). Thin: each handler calls one service and renders."""

from __future__ import annotations

from handlers.callbacks import StaleButton
from handlers.kit import Kind
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.training.admin import views
from handlers.training.admin.callbacks import (
    TaMark,
    TaMarkAll,
    TaPeople,
    TaUndo,
    TaUndoWhy,
    TaUndoYes,
    UndoData,
    Unmarking,
)
from handlers.training.admin.questions import question_over, typed_reason
from services.errors import DomainError
from services.training import attendance, export, manage

router = Router("training.admin.attendance")


def _leave_undo(chat: Chat) -> None:
    """Another screen ends an undo's open question: the next typed text is not taken as a reason."""
    if Unmarking.step(chat.state) is not None:
        chat.clear()


async def _people(chat: Chat, training_id: int, page: int, lead: str | None = None) -> None:
    v = await manage.card(chat.uow, chat.person, training_id, chat.now)
    rows = await export.participants(chat.uow, chat.person, training_id)
    r = views.people(chat.locale, v, rows, page, lead)
    chat.reply(r.text, r.buttons, edit=True)


@router.callback(TaPeople)
async def people(chat: Chat, cb: TaPeople) -> None:
    _leave_undo(chat)
    await _people(chat, cb.training_id, cb.page)


@router.callback(TaMark)
async def mark(chat: Chat, cb: TaMark) -> None:
    """One press: that person attended (JP credited). Marking twice changes nothing."""
    _leave_undo(chat)
    done = await attendance.mark_attended(chat.uow, chat.person, cb.training_id, [cb.employee_id], now=chat.now)
    key = "tra.done.marked" if done.marked else ("tra.done.already" if done.already else "tra.done.unknown")
    await _people(chat, cb.training_id, cb.page, chat.t(key))


@router.callback(TaMarkAll)
async def mark_all(chat: Chat, cb: TaMarkAll) -> None:
    _leave_undo(chat)
    rows = await export.participants(chat.uow, chat.person, cb.training_id)
    seated = [p.employee_id for p in rows if p.status == "seat"]
    if not cb.confirm:
        v = await manage.card(chat.uow, chat.person, cb.training_id, chat.now)
        r = views.confirm_mark_all(chat.locale, v, len(seated))
        chat.reply(r.text, r.buttons, edit=True)
        return
    done = await attendance.mark_attended(chat.uow, chat.person, cb.training_id, seated, now=chat.now)
    await _people(chat, cb.training_id, 1, chat.t("tra.done.marked_all", count=len(done.marked)))


# --- undoing one attendance ----------------------------------------------------------------------

@router.callback(TaUndo)
async def undo(chat: Chat, cb: TaUndo) -> None:
    """A ✅ pressed: the service says whether there is anything to undo before the question opens."""
    await attendance.attendee(chat.uow, chat.person, cb.training_id, cb.employee_id)
    chat.clear()
    chat.save(UndoData(cb.training_id, cb.employee_id, cb.page))
    await Unmarking.start(chat)


async def _still_attended(chat: Chat, d: UndoData) -> attendance.Attendee | None:
    """The person as the service sees them now; None (the question closed, the reason said) when
    there is nothing left to undo: someone else undid it meanwhile, or the training was called off."""
    try:
        return await attendance.attendee(chat.uow, chat.person, d.training_id, d.employee_id)
    except DomainError as e:
        question_over(chat, e, TaPeople(d.training_id, d.page).pack())
        return None


async def _ask_reason(chat: Chat, lead: str | None = None) -> None:
    d = chat.load(UndoData)
    if (a := await _still_attended(chat, d)) is None:
        return
    r = views.undo_reason(chat.locale, a, d.page, lead)
    chat.reply(r.text, r.buttons, edit=lead is None)


@Unmarking.reason.asks
async def ask_reason(chat: Chat) -> None:
    await _ask_reason(chat)


@router.step(Unmarking.reason)
async def reason_typed(chat: Chat) -> None:
    if (reason := await typed_reason(chat, _ask_reason)) is None:
        return
    d = chat.load(UndoData)
    d.reason_code, d.reason = "", reason
    chat.save(d)
    await Unmarking.advance(chat)


@router.callback(TaUndoWhy, during=Unmarking)  # outside it the question is over (done, or another screen)
async def reason_pressed(chat: Chat, cb: TaUndoWhy) -> None:
    d = chat.load(UndoData)
    d.reason_code, d.reason = cb.code, ""
    chat.save(d)
    await Unmarking.confirm.enter(chat)


@Unmarking.confirm.asks
async def show_confirm(chat: Chat, lead: str | None = None) -> None:
    d = chat.load(UndoData)
    if (a := await _still_attended(chat, d)) is None:
        return
    reason = chat.t(f"tra.reason.{d.reason_code}") if d.reason_code else escape(d.reason)
    r = views.undo_confirm(chat.locale, a, reason, d.page, lead)
    chat.reply(r.text, r.buttons, edit=lead is None and chat.incoming.kind is Kind.CALLBACK)


@router.step(Unmarking.confirm)
async def at_confirm(chat: Chat) -> None:
    await show_confirm(chat, chat.t("tra.use_buttons"))


@router.callback(TaUndoYes, during=Unmarking.confirm)  # pressed again after it was done: stale
async def undo_yes(chat: Chat, cb: TaUndoYes) -> None:
    d = chat.load(UndoData)
    if (d.training_id, d.employee_id) != (cb.training_id, cb.employee_id):
        raise StaleButton(chat.incoming.text)  # an older question's button, for another person
    try:
        done = await attendance.withdraw_attendance(
            chat.uow, chat.person, d.training_id, d.employee_id, reason_code=d.reason_code or None,
            reason=d.reason or None, now=chat.now, tz=chat.settings.tz.key)
    except DomainError as e:  # undone by someone else meanwhile, or the training called off
        question_over(chat, e, TaPeople(d.training_id, d.page).pack())
        return
    chat.clear()
    a = done.attendee
    lead = chat.t("tra.done.unmarked", name=escape(a.name), jp=a.jp) + " " + chat.t(
        "tra.done.told" if done.told else "tra.done.not_told")
    await _people(chat, d.training_id, d.page, lead)
