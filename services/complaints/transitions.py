"""Moving a report: the rule check, the stored event and every notice it causes, in one place.

Notices are outbox rows written in the caller's transaction, so they commit with the
transition or not at all. Notices for staff carry the report's number and text only,
never anything about the reporter: whatever privacy was chosen, nothing can leak from here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from db.models import Complaint, ComplaintEvent
from db.uow import UnitOfWork
from services.complaints.notices import (
    Answered,
    CitizenNotice,
    CitizenReply,
    FollowedChanged,
    NewReport,
    RateRequest,
    ReopenedReport,
    ReturnedReport,
    StaffNotice,
    StatusChanged,
)
from services.complaints.rules import WORKING, Actor, Privacy, Status, check
from services.errors import InvalidInput
from services.notice import Notice
from services.roles import Role
from services.users import Person

EXCERPT = 200
STAFF_ONLY_NOTES = frozenset({"return"})  # why it was returned is between staff


def staff_actor(person: Person, c: Complaint) -> Actor | None:
    """HR sees every report; an officer only those their agency holds."""
    if person.role in (Role.HR, Role.SUPERADMIN):
        return Actor.HR
    if person.role == Role.OFFICER and person.agency_id is not None and person.agency_id == c.agency_id:
        return Actor.OFFICER
    return None


def is_reporter(person: Person, c: Complaint) -> bool:
    return c.reporter_id is not None and c.reporter_id == person.id


def excerpt(text: str, size: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= size else text[: size - 1] + "…"


async def transition(
    uow: UnitOfWork, c: Complaint, action: str, actor: Actor, *, actor_id: int | None, now: datetime,
    note: str | None = None, detail: str | None = None, agency_id: int | None = None,
    merged_into: Complaint | None = None, notify: bool = True, rate: bool = True,
) -> ComplaintEvent:
    """Apply `action` if the state machine allows it for `actor`; store the event; notify.

    `notify=False` for a step implied by the next one (its notice would only precede that one's);
    `rate=False` when the caller asks for the rating itself and must know whether it did."""
    rule = check(action, c.status, actor)
    note = (note or "").strip() or None
    if rule.note_required and not note:
        raise InvalidInput("cx.err.note_required")
    before = c.status
    c.status, c.updated_at = rule.target.value, now
    if action in ("answer", "resolve"):
        c.answered_at = now  # the reopen window runs from the latest answer
    elif action == "close":
        c.closed_at = now
    elif action == "reopen":
        c.closed_at = None
    elif action == "return":
        c.agency_id = None
    elif action in ("dispose", "forward"):
        c.agency_id = agency_id
    elif action == "merge" and merged_into is not None:
        c.merged_into_id = merged_into.id
        note = note or merged_into.number
    if action in ("return", "dispose", "forward"):  # another desk's now: nobody there has taken it yet
        c.claimed_by_id = c.claimed_at = None
    if rule.target not in WORKING:  # answered or ended: a question still open to the reporter is moot
        c.info_requested_at = None
    event = await record(uow, c, action, actor, actor_id=actor_id, now=now, note=note, detail=detail,
                         before=before, visibility="staff" if action in STAFF_ONLY_NOTES else "public")
    if notify:
        await _notify_citizens(uow, c, event, merged_number=merged_into.number if merged_into else None)
        await notify_staff(uow, c, event)
    if rule.target == Status.DITUTUP and rate:
        await ask_rating(uow, c)
    return event


async def ask_rating(uow: UnitOfWork, c: Complaint) -> bool:
    """Queue the rating request; False when none was queued now (rated, or already asked)."""
    if not c.reporter_id or c.rating is not None:
        return False
    # Asked once: the dedupe key holds however often the report is closed again.
    return await uow.outbox.add(c.reporter_id, RateRequest(c.id, c.number), dedupe_key=f"cx-rate:{c.id}")


async def record(
    uow: UnitOfWork, c: Complaint, action: str, actor: Actor, *, actor_id: int | None, now: datetime,
    note: str | None, detail: str | None = None, before: str | None = None, visibility: str = "public",
) -> ComplaintEvent:
    """Store an event (a transition when the status changed); flushed so notices can name it."""
    event = uow.complaints.add_event(ComplaintEvent(
        complaint_id=c.id, at=now, actor_id=actor_id, actor_role=actor.value, action=action,
        from_status=before, to_status=c.status if before != c.status or action == "file" else None,
        agency_id=c.agency_id, note=note, detail=detail, visibility=visibility))
    await uow.flush()
    return event


async def reachable_officers(uow: UnitOfWork, agency_id: int) -> list[int]:
    """The agency's officers who can be told: not erased, not blocking the bot. None: "no officer"."""
    return [u.id for u in await uow.users.with_role((Role.OFFICER,), agency_id, reachable=True)]


async def staff_recipients(uow: UnitOfWork, agency_id: int | None) -> list[int]:
    """The agency's officers; HR (else superadmins) when no agency holds it or it has no officer."""
    if agency_id is not None:
        officers = await reachable_officers(uow, agency_id)
        if officers:
            return officers
    hr = (await uow.users.with_role((Role.HR,), reachable=True)
          or await uow.users.with_role((Role.SUPERADMIN,), reachable=True))
    return [u.id for u in hr]


async def _queue(uow: UnitOfWork, users: list[int], notice: Notice, event: ComplaintEvent, skip: int | None) -> None:
    for uid in dict.fromkeys(users):
        if uid != skip:
            await uow.outbox.add(uid, notice, dedupe_key=f"cx:{event.id}:{notice.template}:{uid}")


async def _notify_citizens(uow: UnitOfWork, c: Complaint, event: ComplaintEvent, *,
                           merged_number: str | None) -> None:
    public_note = event.note if event.visibility == "public" else None
    fields: dict[str, Any] = {"id": c.id, "number": c.number, "status": c.status, "action": event.action, "note": public_note or "",
              "detail": event.detail or "", "merged": merged_number or ""}
    if c.reporter_id:
        cls: type[CitizenNotice] = Answered if event.action == "answer" else StatusChanged
        await _queue(uow, [c.reporter_id], cls(**fields), event, skip=event.actor_id)
    if c.privacy != Privacy.RAHASIA:
        followers = [u for u in await uow.complaints.followers(c.id) if u != c.reporter_id]
        await _queue(uow, followers, FollowedChanged(**fields), event, skip=event.actor_id)


async def notify_staff(uow: UnitOfWork, c: Complaint, event: ComplaintEvent) -> None:
    """New, returned, reopened or answered-back reports reach whoever must act on them."""
    fields: dict[str, Any] = {"id": c.id, "number": c.number, "kind": c.kind, "excerpt": excerpt(c.description),
              "note": event.note or "", "detail": event.detail or ""}
    if event.action in ("file", "dispose", "forward"):
        unstaffed = None
        if c.agency_id is not None and not await reachable_officers(uow, c.agency_id):
            # HR gets it instead, and is told why: it waits in HR's queue until someone can act.
            agency = await uow.agencies.get(c.agency_id)
            unstaffed = agency.name if agency else "-"
        await _queue(uow, await staff_recipients(uow, c.agency_id), NewReport(**fields, unstaffed=unstaffed), event,
                     skip=event.actor_id)
    elif event.action == "return":
        await _queue(uow, await staff_recipients(uow, None), ReturnedReport(**fields), event, skip=event.actor_id)
    elif event.action in ("reopen", "reply"):
        cls: type[StaffNotice] = ReopenedReport if event.action == "reopen" else CitizenReply
        await _queue(uow, await staff_recipients(uow, c.agency_id), cls(**fields), event, skip=event.actor_id)
