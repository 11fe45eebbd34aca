"""Taking a report at the desk: "I handle this one". Colleagues see who took it; citizens never do.

A claim moves no status and locks nobody out (any officer of the agency may still act on the
report): it tells colleagues who is on it. Taking over a colleague's report is a deliberate second
press; letting go is the claimant's, or HR's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.uow import UnitOfWork
from services.complaints.desk import audit, audit_state, for_staff
from services.complaints.dto import staff_name
from services.complaints.rules import CLAIMABLE, Actor
from services.complaints.transitions import record
from services.errors import DomainError, Forbidden
from services.users import Person


@dataclass(frozen=True)
class Claim:
    number: str
    previous: str | None  # the colleague it was taken over from


async def _name(uow: UnitOfWork, user_id: int) -> str:
    return staff_name(await uow.users.get(user_id))


async def claim(uow: UnitOfWork, person: Person, complaint_id: int, *, now: datetime,
                take_over: bool = False) -> Claim:
    """The person takes the report; from a colleague only with `take_over` (a second, explicit press)."""
    c, actor = await for_staff(uow, person, complaint_id, lock=True)
    if c.status not in CLAIMABLE:
        raise DomainError("cx.err.illegal", status=c.status, action="claim")
    if c.claimed_by_id == person.id:
        return Claim(c.number, None)  # a repeated press: already theirs, nothing changes
    previous = await _name(uow, c.claimed_by_id) if c.claimed_by_id else None
    if previous is not None and not take_over:
        raise DomainError("cx.err.claimed", name=previous, number=c.number)
    before = audit_state(c)
    c.claimed_by_id, c.claimed_at = person.id, now
    await record(uow, c, "claim", actor, actor_id=person.id, now=now, note=None, visibility="staff")
    audit(uow, person, "complaint.claim", c, before, now=now, taken_over=previous is not None)
    return Claim(c.number, previous)


async def release(uow: UnitOfWork, person: Person, complaint_id: int, *, now: datetime) -> str:
    """Let a report go back to the whole agency: its claimant, or HR. Returns the number."""
    c, actor = await for_staff(uow, person, complaint_id, lock=True)
    if c.claimed_by_id is None:
        return c.number  # nobody holds it (a stale button): nothing to do
    if c.claimed_by_id != person.id and actor != Actor.HR:
        raise Forbidden("cx.err.not_claimant", name=await _name(uow, c.claimed_by_id))
    before = audit_state(c)
    c.claimed_by_id = c.claimed_at = None
    await record(uow, c, "release", actor, actor_id=person.id, now=now, note=None, visibility="staff")
    audit(uow, person, "complaint.release", c, before, now=now)
    return c.number
