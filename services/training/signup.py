"""Signing up, the waiting list, cancelling, and the promotion a cancellation brings.

Every change of who holds a seat first locks the training row (PostgreSQL; SQLite has one
writer), then counts the seats: two people pressing for the last seat at the same moment are
served one after the other, and the second finds it taken.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.models.training import Enrolment, Training
from db.uow import UnitOfWork
from services.errors import DomainError, NotFound
from services.notice import queue
from services.training import reminders
from services.training.catalogue import is_open
from services.training.notices import SeatOffered
from services.training.rules import NotEligible, record_of, unmet
from services.users import Person


@dataclass(frozen=True)
class SignUpResult:
    training_id: int
    title: str
    status: str  # seat | waiting
    position: int | None


@dataclass(frozen=True)
class CancelResult:
    training_id: int
    title: str
    was: str  # seat | waiting


async def _open_training(uow: UnitOfWork, training_id: int, now: datetime) -> Training:
    t = await uow.trainings.get(training_id, lock=True)
    if t is None:
        raise NotFound("tr.err.not_found")
    if t.status == "cancelled":
        raise DomainError("tr.err.cancelled", title=t.title)
    if not is_open(t, now):
        raise DomainError("tr.err.closed", title=t.title)
    return t


async def sign_up(uow: UnitOfWork, person: Person, training_id: int, now: datetime, *,
                  waiting_list: bool = False) -> SignUpResult:
    """A seat if one is left; else, only when the person agreed to it (`waiting_list`), a place
    in line. A seat that went while they were deciding is `tr.err.full`: nothing is saved."""
    r = await record_of(uow, person)
    t = await _open_training(uow, training_id, now)
    missing = unmet(t, r, await uow.trainings.agency_names() if t.agency_ids else {})
    if missing:
        raise NotEligible(missing)
    mine = await uow.trainings.enrolment(t.id, r.employee_id)
    if mine is not None and mine.status != "cancelled":
        raise DomainError(f"tr.err.already_{mine.status}", title=t.title)
    clash = await uow.trainings.overlapping(r.employee_id, t.starts_at, t.ends_at, t.id)
    if clash is not None:  # say what she holds there: a seat, or a place on its waiting list
        held = await uow.trainings.enrolment(clash.id, r.employee_id)
        raise DomainError(f"tr.err.overlap_{held.status if held else 'seat'}", title=clash.title)
    taken = (await uow.trainings.seats_taken([t.id])).get(t.id, 0)
    status = "seat" if taken < t.quota else "waiting"
    if status == "waiting" and not waiting_list:
        raise DomainError("tr.err.full", title=t.title, position=await uow.trainings.waiting_count(t.id) + 1)
    if mine is None:
        mine = uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=r.employee_id, status=status,
                                                     queued_at=now, created_at=now, updated_at=now))
    else:  # signing up again after cancelling: the same row, at the end of the line
        mine.status, mine.queued_at = status, now
    await uow.flush()
    position = await uow.trainings.waiting_position(mine) if status == "waiting" else None
    return SignUpResult(t.id, t.title, status, position)


async def cancel(uow: UnitOfWork, person: Person, training_id: int, now: datetime, *, tz: str) -> CancelResult:
    """Until the registration deadline; a freed seat goes to the next in line at once, and the
    person's reminders of it still queued are cancelled."""
    r = await record_of(uow, person)
    t = await uow.trainings.get(training_id, lock=True)
    if t is None:
        raise NotFound("tr.err.not_found")
    mine = await uow.trainings.enrolment(t.id, r.employee_id)
    if mine is None or mine.status not in ("seat", "waiting"):
        raise DomainError("tr.err.not_enrolled", title=t.title)
    if t.status == "cancelled":
        raise DomainError("tr.err.cancelled", title=t.title)
    if not is_open(t, now):
        raise DomainError("tr.err.cancel_closed", title=t.title)
    was = mine.status
    mine.status = "cancelled"
    await uow.flush()
    await reminders.seat_given_up(uow, t.id, person.id)  # an H-1 queued for them would say "see you tomorrow"
    if was == "seat":
        await fill_seats(uow, t, now, tz=tz)
    return CancelResult(t.id, t.title, was)


async def fill_seats(uow: UnitOfWork, t: Training, now: datetime, *, tz: str) -> int:
    """Give free seats to the waiting list in order and tell each one; the caller holds the lock.

    The notice commits with the promotion or not at all (the outbox row is in this transaction).
    """
    if not is_open(t, now):
        return 0
    free = t.quota - (await uow.trainings.seats_taken([t.id])).get(t.id, 0)
    if free <= 0:
        return 0
    promoted = await uow.trainings.next_in_line(t.id, free)
    for e in promoted:
        e.status = "seat"
        user_id = await uow.trainings.user_of_employee(e.employee_id)
        if user_id is not None:
            # One notice per promotion: the same person promoted again after re-joining gets a new one.
            await queue(uow, user_id, SeatOffered(t.id, t.title, t.starts_at.isoformat(), tz),
                        dedupe_key=f"tr-seat:{e.id}:{e.queued_at.isoformat()}")
    await uow.flush()
    return len(promoted)
