"""Calling a training off, from the chat (with HR's reason) or by an import's status "cancelled".

Either way the same things follow, in the same transaction: everyone with a seat or on the waiting
list is told (`TrainingCalledOff`), the reminders still waiting are cancelled, and it is audited.
A training that has started is not called off: its attendance and JP are already being recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.models.training import Training
from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.errors import DomainError
from services.notice import queue
from services.training import reminders
from services.training.attendance import parse_reason
from services.training.manage import AdminView, card, get_training, require_hr, view_of
from services.training.notices import TrainingCalledOff
from services.users import Person


@dataclass(frozen=True)
class CalledOff:
    view: AdminView
    notified: int  # people told
    reminders_cancelled: int


async def can_call_off(uow: UnitOfWork, actor: Person, training_id: int, now: datetime) -> AdminView:
    """The training, if HR may call it off now (not already, not started); refused otherwise."""
    v = await card(uow, actor, training_id, now)
    _check(v.cancelled, v.started, v.title)
    return v


def _check(cancelled: bool, started: bool, title: str) -> None:
    if cancelled:
        raise DomainError("tr.err.cancelled", title=title)
    if started:
        raise DomainError("tra.err.call_off_started", title=title)


async def call_off(uow: UnitOfWork, actor: Person, training_id: int, reason: str | None, *, now: datetime,
                   tz: str) -> CalledOff:
    """HR calls the training off with a reason the people are told; the caller commits."""
    require_hr(actor)
    words = parse_reason(reason)
    label, actor_id = actor_label(actor)
    t = await get_training(uow, training_id, lock=True)
    _check(t.status == "cancelled", now >= t.starts_at, t.title)
    t.status, t.updated_at = "cancelled", now
    await uow.flush()
    notified, cancelled = await followed(uow, t, actor=label, actor_user_id=actor_id, reason=words, now=now, tz=tz)
    return CalledOff(await view_of(uow, t, now), notified, cancelled)


async def followed(uow: UnitOfWork, t: Training, *, actor: str, actor_user_id: int | None, reason: str,
                   now: datetime, tz: str) -> tuple[int, int]:
    """What follows once `t` (locked) is set cancelled, whoever did it: (people told, reminders cancelled)."""
    notice = TrainingCalledOff(t.id, t.title, t.starts_at.isoformat(), t.ends_at.isoformat(), reason, tz)
    notified = 0
    for enrolment_id, user_id in await uow.training_admin.users_enrolled(t.id, ("seat", "waiting")):
        # The moment is in the key: called off, re-opened by import and called off again is news twice.
        notified += await queue(uow, user_id, notice, dedupe_key=f"tr-off:{enrolment_id}:{now.isoformat()}")
    cancelled = await reminders.called_off(uow, t.id)
    uow.audit.record(actor, "training.cancel", f"training:{t.id}", actor_user_id=actor_user_id,
                     before={"status": "open"}, after={"status": "cancelled"}, reason=reason or None,
                     notified=notified, reminders_cancelled=cancelled)
    return notified, cancelled
