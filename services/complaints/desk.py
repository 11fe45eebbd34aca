"""The agency side: the queue, a report's card, status changes, answers, routing, merging.

Officers see only their own agency's reports; HR (BKPSDM) sees all and routes the unsure
ones. Every check happens here, so a forged button cannot get past a handler.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from db.models import Complaint, User
from db.uow import UnitOfWork
from services.agencies.manage import AgencyChoice
from services.complaints.dto import (
    AnswerDraft,
    DeskCard,
    Routed,
    RouteTarget,
    agency_names,
    events_of,
    photos_of,
    staff_name,
)
from services.complaints.rules import (
    ASKABLE,
    CLAIMABLE,
    DESK_ACTIONS,
    OPEN,
    RULES,
    Actor,
    Privacy,
    Status,
    allowed,
    check,
    implied_step,
    message_text,
)
from services.complaints.tracking import parse_number
from services.complaints.transitions import reachable_officers, staff_actor, transition
from services.complaints.urgency import deadline_of, workdays_left
from services.errors import DomainError, InvalidInput, NotFound
from services.roles import Role, require_role
from services.users import Person

NOTE_MAX = 4000


async def for_staff(uow: UnitOfWork, person: Person, complaint_id: int, *, lock: bool = False,
                     ) -> tuple[Complaint, Actor]:
    require_role(person.role, Role.OFFICER, Role.HR)
    c = await (uow.complaints.get_for_update(complaint_id) if lock else uow.complaints.get(complaint_id))
    actor = staff_actor(person, c) if c else None
    if c is None or actor is None:
        # The same answer whether it does not exist or belongs to another agency.
        raise NotFound("cx.err.desk_not_found")
    return c, actor


def reporter_label(c: Complaint, user: User | None) -> str | None:
    """Who filed it, for staff, and only when the reporter chose no privacy."""
    if c.privacy != Privacy.NORMAL or user is None or user.erased:
        return None
    parts = [user.name or "-"]
    if user.username:
        parts.append(f"@{user.username}")
    if user.phone:
        parts.append(user.phone)
    return " · ".join(parts)


async def _unstaffed(uow: UnitOfWork, c: Complaint) -> bool:
    """Held by an agency where nobody reachable has the officer role."""
    return c.agency_id is not None and not await reachable_officers(uow, c.agency_id)


async def card(uow: UnitOfWork, person: Person, complaint_id: int, *, now: datetime, tz: ZoneInfo) -> DeskCard:
    c, actor = await for_staff(uow, person, complaint_id)
    # Read whatever the privacy: the channel it came through is shown to staff (never who it is).
    reporter = await uow.users.get(c.reporter_id) if c.reporter_id else None
    names = await agency_names(uow)
    merged = (await uow.complaints.numbers([c.merged_into_id])).get(c.merged_into_id) if c.merged_into_id else None
    unstaffed = await _unstaffed(uow, c)
    claimant = await uow.users.get(c.claimed_by_id) if c.claimed_by_id else None
    due = deadline_of(c)
    return DeskCard(
        id=c.id, number=c.number, kind=c.kind, status=c.status, privacy=c.privacy, agency_id=c.agency_id,
        agency=names.get(c.agency_id) if c.agency_id else None, description=c.description, address=c.address,
        latitude=c.latitude, longitude=c.longitude, photos=photos_of(c), reporter=reporter_label(c, reporter),
        via=reporter.channel if reporter is not None and not reporter.erased else None,
        created_at=c.created_at, response_due_at=c.response_due_at, resolve_due_at=c.resolve_due_at,
        events=await events_of(uow, c, ("public", "parties", "staff")),
        actions=tuple(allowed(c.status, actor, DESK_ACTIONS)),
        can_route=actor == Actor.HR and (c.status in (Status.DITERIMA, Status.DIVERIFIKASI)
                                         or (c.status == Status.DIDISPOSISIKAN and unstaffed)),
        merged_into=merged, unstaffed=unstaffed, deadline=due,
        days_left=workdays_left(now, due, tz) if due else None,
        claimed_by=staff_name(claimant) if c.claimed_by_id else None,
        claimed_by_me=c.claimed_by_id == person.id,
        can_claim=c.status in CLAIMABLE and c.claimed_by_id != person.id,
        can_ask=c.status in ASKABLE and c.reporter_id is not None,
        can_forward=actor == Actor.OFFICER and "forward" in allowed(c.status, actor, ("forward",)),
        info_requested_at=c.info_requested_at)


async def act(
    uow: UnitOfWork, person: Person, complaint_id: int, action: str, *, note: str | None, now: datetime,
) -> str:
    """One status change or answer from the card. Returns the new status."""
    if action not in DESK_ACTIONS or action == "merge":
        raise DomainError("cx.err.bad_action")
    c, actor = await for_staff(uow, person, complaint_id, lock=True)
    if note and len(note) > NOTE_MAX:
        raise InvalidInput("cx.err.reply_long", max=NOTE_MAX, length=len(note))
    if needs_note(action) and not (note or "").strip():  # before an implied step changes anything
        raise InvalidInput("cx.err.note_required")
    first = implied_step(action, c.status, actor)
    if first is not None:
        # Recorded in the history, but quiet: the citizen hears of the action itself a moment later.
        before = audit_state(c)
        await transition(uow, c, first, actor, actor_id=person.id, now=now, notify=False)
        audit(uow, person, f"complaint.{first}", c, before, now=now, implied_by=action)
    before = audit_state(c)
    await transition(uow, c, action, actor, actor_id=person.id, now=now, note=note)
    audit(uow, person, f"complaint.{action}", c, before, now=now, note=(note or "").strip() or None)
    return c.status


async def draft_answer(uow: UnitOfWork, person: Person, complaint_id: int, text: str) -> AnswerDraft:
    """Check an answer before it is shown for review: the same access, rule and text checks as
    sending it, so what the preview promises is what "send" will do."""
    c, actor = await for_staff(uow, person, complaint_id)
    if "answer" not in allowed(c.status, actor):
        check("answer", c.status, actor)  # raises the reason
    return AnswerDraft(c.id, c.number, message_text(text, NOTE_MAX), to_reporter=c.reporter_id is not None)


def needs_note(action: str) -> bool:
    rule = RULES.get(action)
    return bool(rule and rule.note_required)


async def route_targets(uow: UnitOfWork, person: Person) -> list[RouteTarget]:
    """Where HR may route, each marked with whether anyone there would be told."""
    require_role(person.role, Role.HR)
    return await staffed_targets(uow)


async def staffed_targets(uow: UnitOfWork, *, besides: int | None = None) -> list[RouteTarget]:
    """Every active agency but `besides`, each marked with whether an officer there would be told."""
    staffed = await uow.users.staffed_agencies(Role.OFFICER.value)
    return [RouteTarget(AgencyChoice.of(a), a.id in staffed) for a in await uow.agencies.all_active() if a.id != besides]


async def route(
    uow: UnitOfWork, person: Person, complaint_id: int, agency_id: int, *, now: datetime,
) -> Routed:
    """HR verifies (if not yet) and dispositions the report to an agency; again only when the
    agency holding it has no officer. Says how many officers were told (0: it stays in HR's queue)."""
    c, actor = await for_staff(uow, person, complaint_id, lock=True)
    agency = await uow.agencies.get(agency_id)
    if agency is None or not agency.active:
        raise InvalidInput("cx.err.agency_gone")
    check("dispose", Status.DIVERIFIKASI, actor)  # only HR routes, whatever the status
    if c.status == Status.DIDISPOSISIKAN and not await _unstaffed(uow, c):
        raise DomainError("cx.err.illegal", status=c.status, action="dispose")  # its officers have it
    before = audit_state(c)
    if c.status == Status.DITERIMA:
        await transition(uow, c, "verify", actor, actor_id=person.id, now=now)
    await transition(uow, c, "dispose", actor, actor_id=person.id, now=now, agency_id=agency.id)
    audit(uow, person, "complaint.dispose", c, before, now=now, agency=agency.code)
    return Routed(agency.name, len(await reachable_officers(uow, agency.id)))


async def merge(
    uow: UnitOfWork, person: Person, complaint_id: int, target_number: str, *, now: datetime,
) -> str:
    """Mark a report a duplicate of another the person may also see; its reporter follows that one."""
    c, actor = await for_staff(uow, person, complaint_id, lock=True)
    target = await uow.complaints.by_number(parse_number(target_number))
    if target is None or target.id == c.id or staff_actor(person, target) is None:
        raise DomainError("cx.err.merge_target")
    if target.status not in OPEN:
        raise DomainError("cx.err.merge_target_closed", number=target.number)
    before = audit_state(c)
    # Everyone following the duplicate hears of the merge first (its own notice), then moves.
    await transition(uow, c, "merge", actor, actor_id=person.id, now=now, merged_into=target)
    moved = await move_followers(uow, c, target, now=now)
    audit(uow, person, "complaint.merge", c, before, now=now, into=target.number, followers_moved=moved)
    return target.number


async def move_followers(uow: UnitOfWork, dup: Complaint, target: Complaint, *, now: datetime) -> int:
    """The duplicate's reporter and followers follow the original instead. A confidential original
    has no followers (nobody else may know of it): then they stay on the duplicate."""
    if target.privacy == Privacy.RAHASIA:
        return 0
    people = [u for u in [dup.reporter_id, *await uow.complaints.followers(dup.id)] if u]
    moved = 0
    for uid in dict.fromkeys(people):
        if uid != target.reporter_id:
            moved += await uow.complaints.follow(target.id, uid, now)
    await uow.complaints.drop_followers(dup.id)
    return moved


def audit_state(c: Complaint) -> dict[str, object]:
    """What a staff change can alter, for the audit's before/after."""
    return {"status": c.status, "agency_id": c.agency_id, "claimed_by": c.claimed_by_id,
            "merged_into": c.merged_into_id,
            "info_requested_at": c.info_requested_at.isoformat() if c.info_requested_at else None}


def audit(uow: UnitOfWork, person: Person, action: str, c: Complaint, before: dict[str, object], *,
          now: datetime, **details: object) -> None:
    """Who (the person), what (action, report), when (`now`, beside the row's own time), before/after."""
    after = audit_state(c)
    uow.audit.record(f"user:{person.id}", action, c.number, actor_user_id=person.id, at=now.isoformat(),
                     before={k: v for k, v in before.items() if after[k] != v} or before,
                     after={k: v for k, v in after.items() if before[k] != v} or after, **details)


async def close_answered(uow: UnitOfWork, *, now: datetime, days: int = 14, limit: int = 200) -> int:
    """Scheduler job: answers nobody disputed within the reopen window close by themselves."""
    ids = await uow.complaints.answered_before((Status.DIJAWAB, Status.SELESAI), now - timedelta(days=days), limit)
    for cid in ids:
        c = await uow.complaints.get_for_update(cid)
        if c is not None and c.status in (Status.DIJAWAB, Status.SELESAI):
            await transition(uow, c, "close", Actor.SYSTEM, actor_id=None, now=now)
    return len(ids)
