"""The agency side: the queue, a report's card, status changes, answers, routing, merging.

Officers see only their own agency's reports; HR (BKPSDM) sees all and routes the unsure
ones. Every check happens here, so a forged button cannot get past a handler.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from db.models import Complaint, User
from db.uow import UnitOfWork
from services import complaint_rules, workdays
from services.complaint_dto import (
    DeskCard,
    Page,
    ReportLine,
    agency_names,
    events_of,
    line,
    page_of,
    photos_of,
)
from services.complaint_rules import DESK_ACTIONS, OPEN, RULES, Actor, Privacy, Status, allowed, check
from services.complaint_tracking import parse_number
from services.complaint_transitions import staff_actor, transition
from services.errors import DomainError, InvalidInput, NotFound
from services.roles import Role, require_role
from services.users import Person

PAGE_SIZE = 8
NOTE_MAX = 4000


async def _for_staff(uow: UnitOfWork, person: Person, complaint_id: int, *, lock: bool = False,
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


async def queue(uow: UnitOfWork, person: Person, page: int = 1) -> Page[ReportLine]:
    """An officer's agency's open reports; for HR, the open reports no agency holds."""
    require_role(person.role, Role.OFFICER, Role.HR)
    agency = person.agency_id if person.role == Role.OFFICER else None
    if person.role == Role.OFFICER and agency is None:
        raise DomainError("cx.err.officer_without_agency")
    page = max(1, page)
    rows, total = await uow.complaints.desk(agency, OPEN, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return page_of([line(c) for c in rows], page, PAGE_SIZE, total)


@dataclass(frozen=True)
class QueueCounts:
    new: int  # arrived and nobody at this desk has acted on it yet
    due: int  # its deadline falls between now and the end of the next working day
    overdue: int  # its deadline has passed

    @property
    def empty(self) -> bool:
        return not (self.new or self.due or self.overdue)


NEW = (Status.DITERIMA.value, Status.DIDISPOSISIKAN.value)
FIRST_RESPONSE = (Status.DITERIMA.value, Status.DIVERIFIKASI.value)


async def counts(uow: UnitOfWork, person: Person, *, now: datetime, tz: ZoneInfo) -> QueueCounts:
    """What waits at the person's desk (the same reports as `queue`), for their /start.

    Until the first response (diterima, diverifikasi) the first-response deadline applies, as the
    desk's "past the response date" flag does; once the agency holds it (didisposisikan,
    diproses) the resolution deadline. Answered reports wait for the citizen, not for staff.
    """
    require_role(person.role, Role.OFFICER, Role.HR)
    agency = person.agency_id if person.role == Role.OFFICER else None
    if person.role == Role.OFFICER and agency is None:
        raise DomainError("cx.err.officer_without_agency")
    horizon = workdays.due_at(now, 1, tz)
    new = due = overdue = 0
    for status, response_due, resolve_due in await uow.complaints.desk_deadlines(agency, complaint_rules.WORKING):
        deadline = response_due if status in FIRST_RESPONSE else resolve_due
        new += status in NEW
        overdue += deadline < now
        due += now <= deadline <= horizon
    return QueueCounts(new, due, overdue)


async def card(uow: UnitOfWork, person: Person, complaint_id: int) -> DeskCard:
    c, actor = await _for_staff(uow, person, complaint_id)
    reporter = await uow.users.get(c.reporter_id) if c.reporter_id and c.privacy == Privacy.NORMAL else None
    names = await agency_names(uow)
    merged = (await uow.complaints.numbers([c.merged_into_id])).get(c.merged_into_id) if c.merged_into_id else None
    return DeskCard(
        id=c.id, number=c.number, kind=c.kind, status=c.status, privacy=c.privacy, agency_id=c.agency_id,
        agency=names.get(c.agency_id) if c.agency_id else None, description=c.description, address=c.address,
        latitude=c.latitude, longitude=c.longitude, photos=photos_of(c), reporter=reporter_label(c, reporter),
        created_at=c.created_at, response_due_at=c.response_due_at, resolve_due_at=c.resolve_due_at,
        events=await events_of(uow, c, ("public", "parties", "staff")),
        actions=tuple(allowed(c.status, actor, DESK_ACTIONS)),
        can_route=actor == Actor.HR and c.status in (Status.DITERIMA, Status.DIVERIFIKASI),
        merged_into=merged)


async def act(
    uow: UnitOfWork, person: Person, complaint_id: int, action: str, *, note: str | None, now: datetime,
) -> str:
    """One status change or answer from the card. Returns the new status."""
    if action not in DESK_ACTIONS or action == "merge":
        raise DomainError("cx.err.bad_action")
    c, actor = await _for_staff(uow, person, complaint_id, lock=True)
    if note and len(note) > NOTE_MAX:
        raise InvalidInput("cx.err.reply_long", max=NOTE_MAX, length=len(note))
    await transition(uow, c, action, actor, actor_id=person.id, now=now, note=note)
    uow.audit.record(f"user:{person.id}", f"complaint.{action}", c.number, actor_user_id=person.id)
    return c.status


def needs_note(action: str) -> bool:
    rule = RULES.get(action)
    return bool(rule and rule.note_required)


async def route(
    uow: UnitOfWork, person: Person, complaint_id: int, agency_id: int, *, now: datetime,
) -> str:
    """HR verifies (if not yet) and dispositions the report to an agency. Returns its name."""
    c, actor = await _for_staff(uow, person, complaint_id, lock=True)
    agency = await uow.agencies.get(agency_id)
    if agency is None or not agency.active:
        raise InvalidInput("cx.err.agency_gone")
    check("dispose", Status.DIVERIFIKASI, actor)  # only HR routes, whatever the status
    if c.status == Status.DITERIMA:
        await transition(uow, c, "verify", actor, actor_id=person.id, now=now)
    await transition(uow, c, "dispose", actor, actor_id=person.id, now=now, agency_id=agency.id)
    uow.audit.record(f"user:{person.id}", "complaint.dispose", c.number, actor_user_id=person.id,
                     agency=agency.code)
    return agency.name


async def merge(
    uow: UnitOfWork, person: Person, complaint_id: int, target_number: str, *, now: datetime,
) -> str:
    """Mark a report a duplicate of another the person may also see; its reporter follows that one."""
    c, actor = await _for_staff(uow, person, complaint_id, lock=True)
    target = await uow.complaints.by_number(parse_number(target_number))
    if target is None or target.id == c.id or staff_actor(person, target) is None:
        raise DomainError("cx.err.merge_target")
    if target.status not in OPEN:
        raise DomainError("cx.err.merge_target_closed", number=target.number)
    await transition(uow, c, "merge", actor, actor_id=person.id, now=now, merged_into=target)
    if c.reporter_id and target.privacy != Privacy.RAHASIA and target.reporter_id != c.reporter_id:
        await uow.complaints.follow(target.id, c.reporter_id, now)
    uow.audit.record(f"user:{person.id}", "complaint.merge", c.number, actor_user_id=person.id, into=target.number)
    return target.number


async def close_answered(uow: UnitOfWork, *, now: datetime, days: int = 14, limit: int = 200) -> int:
    """Scheduler job: answers nobody disputed within the reopen window close by themselves."""
    ids = await uow.complaints.answered_before((Status.DIJAWAB, Status.SELESAI), now - timedelta(days=days), limit)
    for cid in ids:
        c = await uow.complaints.get_for_update(cid)
        if c is not None and c.status in (Status.DIJAWAB, Status.SELESAI):
            await transition(uow, c, "close", Actor.SYSTEM, actor_id=None, now=now)
    return len(ids)
