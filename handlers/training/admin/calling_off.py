"""`/kelolapelatihan` → a training → **Batalkan pelatihan**: why (everyone with a seat or waiting is
told), then a confirmation. Thin: each handler calls one service and renders."""

from __future__ import annotations

from handlers.callbacks import StaleButton
from handlers.kit import Kind
from handlers.router import Chat, Router
from handlers.training.admin import views
from handlers.training.admin.callbacks import CallingOff, CallOffData, TaCallOff, TaCallOffYes, TaOpen
from handlers.training.admin.console import show_card
from handlers.training.admin.questions import question_over, typed_reason
from services.errors import DomainError
from services.training import calling_off
from services.training.manage import AdminView

router = Router("training.admin.calling_off")


async def _still_possible(chat: Chat, d: CallOffData) -> AdminView | None:
    """The training as the service sees it now; None (the question closed, the reason said) once it
    can no longer be called off: called off by someone else meanwhile, or started."""
    try:
        return await calling_off.can_call_off(chat.uow, chat.person, d.training_id, chat.now)
    except DomainError as e:
        question_over(chat, e, TaOpen(d.training_id).pack())
        return None


@router.callback(TaCallOff)
async def call_off(chat: Chat, cb: TaCallOff) -> None:
    """The service says whether it can be called off before the question opens."""
    await calling_off.can_call_off(chat.uow, chat.person, cb.training_id, chat.now)
    chat.clear()
    chat.save(CallOffData(cb.training_id))
    await CallingOff.start(chat)


async def _ask_reason(chat: Chat, lead: str | None = None) -> None:
    if (v := await _still_possible(chat, chat.load(CallOffData))) is None:
        return
    r = views.call_off_reason(chat.locale, v, lead)
    chat.reply(r.text, r.buttons, edit=lead is None and chat.incoming.kind is Kind.CALLBACK)


@CallingOff.reason.asks
async def ask_reason(chat: Chat) -> None:
    await _ask_reason(chat)


@router.step(CallingOff.reason)
async def reason_typed(chat: Chat) -> None:
    if (reason := await typed_reason(chat, _ask_reason)) is None:
        return
    d = chat.load(CallOffData)
    d.reason = reason
    chat.save(d)
    await CallingOff.advance(chat)


@CallingOff.confirm.asks
async def show_confirm(chat: Chat, lead: str | None = None) -> None:
    d = chat.load(CallOffData)
    if (v := await _still_possible(chat, d)) is None:
        return
    r = views.call_off_confirm(chat.locale, v, d.reason, chat.settings.tz, lead)
    chat.reply(r.text, r.buttons)


@router.step(CallingOff.confirm)
async def at_confirm(chat: Chat) -> None:
    await show_confirm(chat, chat.t("tra.use_buttons"))


@router.callback(TaCallOffYes, during=CallingOff.confirm)  # pressed again after it was done: stale
async def call_off_yes(chat: Chat, cb: TaCallOffYes) -> None:
    d = chat.load(CallOffData)
    if d.training_id != cb.training_id:
        raise StaleButton(chat.incoming.text)  # an older question's button, for another training
    try:
        done = await calling_off.call_off(chat.uow, chat.person, d.training_id, d.reason, now=chat.now,
                                          tz=chat.settings.tz.key)
    except DomainError as e:  # called off by someone else meanwhile, or started
        question_over(chat, e, TaOpen(d.training_id).pack())
        return
    chat.clear()
    await show_card(chat, done.view, chat.t("tra.done.called_off", count=done.notified), edit=True)
