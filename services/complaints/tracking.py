"""After filing: looking a report up, the person's list, replying, saying whether it was fixed,
rating, and following someone else's report."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from db.models import Complaint
from db.uow import UnitOfWork
from services.complaints.dto import (
    Feedback,
    Page,
    Receipt,
    ReportLine,
    ReportView,
    agency_names,
    events_of,
    line,
    page_of,
)
from services.complaints.rules import ANSWERED, ENDED, Actor, Policy, Privacy, Status, message_text
from services.complaints.transitions import (
    ask_rating,
    is_reporter,
    notify_staff,
    record,
    staff_actor,
    transition,
)
from services.errors import DomainError, InvalidInput, NotFound
from services.users import Person

NUMBER = re.compile(r"^\s*([A-Za-z]{2,6})\s*[-/ ]\s*(\d{4})\s*[-/ ]\s*(\d{1,6})\s*$")
PAGE_SIZE = 8
REPLY_MAX = 4000
COMMENT_MAX = 1000
VERDICTS = ("fixed", "partly", "not")


def parse_number(text: str) -> str:
    """`bjb-2026-123` → `BJB-2026-000123`; a clear error for anything else."""
    m = NUMBER.match(text or "")
    if not m:
        raise InvalidInput("cx.err.bad_number", example="BJB-2026-000123")
    return f"{m.group(1).upper()}-{m.group(2)}-{int(m.group(3)):06d}"


async def _load(uow: UnitOfWork, complaint_id: int, *, lock: bool = False) -> Complaint:
    c = await (uow.complaints.get_for_update(complaint_id) if lock else uow.complaints.get(complaint_id))
    if c is None:
        raise NotFound("cx.err.unknown_report")
    return c


async def _own(uow: UnitOfWork, person: Person, complaint_id: int) -> Complaint:
    """A report the person filed, locked for the change they are about to make."""
    c = await _load(uow, complaint_id, lock=True)
    if _hidden(person, c):
        raise NotFound("cx.err.unknown_report")
    if not is_reporter(person, c):
        raise NotFound("cx.err.not_yours")
    return c


async def receipt(uow: UnitOfWork, person: Person, complaint_id: int, *, policy: Policy) -> Receipt:
    """The filing receipt again, for its reporter only (a repeated press of "send")."""
    c = await _load(uow, complaint_id)
    if not is_reporter(person, c):
        raise NotFound("cx.err.not_yours")
    agency = await uow.agencies.get(c.agency_id) if c.agency_id else None
    return Receipt(c.id, c.number, c.kind, c.privacy, agency.name if agency else None, policy.response_days,
                   c.response_due_at, policy.resolve_days_for(c.kind), c.resolve_due_at)


def _hidden(person: Person, c: Complaint) -> bool:
    """A confidential report is, to anyone but its reporter and its staff, a report that does not exist.

    Ids in buttons can be forged: answering "confidential, number …" for an id would tell a prober
    that the report exists and its number, so it gets the same answer as an id that does not exist.
    (Looking a number up is different: whoever typed it already knows it.)
    """
    return c.privacy == Privacy.RAHASIA and not is_reporter(person, c) and staff_actor(person, c) is None


def _within_window(c: Complaint, now: datetime, policy: Policy) -> bool:
    return c.answered_at is not None and now - c.answered_at <= timedelta(days=policy.reopen_days)


async def lookup(uow: UnitOfWork, person: Person, number_text: str, *, now: datetime, policy: Policy) -> ReportView:
    number = parse_number(number_text)
    c = await uow.complaints.by_number(number)
    if c is None:
        raise NotFound("cx.err.unknown_number", number=number)
    return await _view(uow, person, c, now=now, policy=policy)


async def view(uow: UnitOfWork, person: Person, complaint_id: int, *, now: datetime, policy: Policy) -> ReportView:
    c = await _load(uow, complaint_id)
    if _hidden(person, c):
        raise NotFound("cx.err.unknown_report")
    return await _view(uow, person, c, now=now, policy=policy)


async def _view(uow: UnitOfWork, person: Person, c: Complaint, *, now: datetime, policy: Policy) -> ReportView:
    mine = is_reporter(person, c)
    if c.privacy == Privacy.RAHASIA and not mine and staff_actor(person, c) is None:
        raise DomainError("cx.err.confidential", number=c.number)
    events = await events_of(uow, c, ("public", "parties") if mine else ("public",))
    answers = [e.note for e in events if e.action == "answer" and e.note]
    following = await uow.complaints.is_following(c.id, person.id)
    merged = (await uow.complaints.numbers([c.merged_into_id])).get(c.merged_into_id) if c.merged_into_id else None
    names = await agency_names(uow)
    return ReportView(
        id=c.id, number=c.number, kind=c.kind, status=c.status, privacy=c.privacy,
        agency=names.get(c.agency_id) if c.agency_id else None, description=c.description, address=c.address,
        latitude=c.latitude, longitude=c.longitude, photo_count=len(c.photos or []), created_at=c.created_at,
        response_due_at=c.response_due_at, events=events, latest_answer=answers[-1] if answers else None,
        merged_into=merged, is_reporter=mine, following=following,
        can_reply=mine and c.status not in ENDED,
        can_feedback=mine and c.status in ANSWERED and _within_window(c, now, policy),
        can_rate=mine and c.status == Status.DITUTUP and c.rating is None,
        can_follow=not mine and c.privacy != Privacy.RAHASIA and c.status not in ENDED,
        rating=c.rating if mine else None)


async def my_reports(uow: UnitOfWork, person: Person, page: int = 1) -> Page[ReportLine]:
    page = max(1, page)
    rows, total = await uow.complaints.by_reporter(person.id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
    return page_of([line(c) for c in rows], page, PAGE_SIZE, total)


async def reply(uow: UnitOfWork, person: Person, complaint_id: int, text: str, *, now: datetime) -> str:
    """The reporter writes to the agency while the report is open. Returns the number."""
    c = await _own(uow, person, complaint_id)
    if c.status in ENDED:
        raise DomainError("cx.err.closed", number=c.number)
    text = message_text(text, REPLY_MAX)
    # The answer to the desk's question (asking.ask_info) comes back into the report as this reply.
    answering = c.info_requested_at is not None
    c.info_requested_at = None
    event = await record(uow, c, "reply", Actor.REPORTER, actor_id=person.id, now=now, note=text,
                         detail="info" if answering else None, visibility="parties")
    await notify_staff(uow, c, event)
    return c.number


async def feedback(
    uow: UnitOfWork, person: Person, complaint_id: int, verdict: str, *, now: datetime, policy: Policy,
    confirmed: bool = True,
) -> Feedback:
    """Fixed closes the report; partly or not fixed reopens it and tells the agency, but only once
    `confirmed` (unconfirmed: nothing changes, the outcome asks). A press that no longer applies
    (closed already, reopened already, never answered) changes nothing and reports the status."""
    if verdict not in VERDICTS:
        raise InvalidInput("cx.err.bad_verdict")
    c = await _own(uow, person, complaint_id)
    can_rate = c.status == Status.DITUTUP and c.rating is None
    if c.status not in ANSWERED or (verdict == "fixed" and c.status == Status.DITUTUP):
        return Feedback(c.number, c.status, "unchanged", can_rate=can_rate)
    if not _within_window(c, now, policy):
        raise DomainError("cx.err.reopen_expired", number=c.number, days=policy.reopen_days)
    if verdict == "fixed":
        await transition(uow, c, "close", Actor.REPORTER, actor_id=person.id, now=now, detail=verdict, rate=False)
        asked = await ask_rating(uow, c)
        return Feedback(c.number, c.status, "closed", rating_asked=asked, can_rate=c.rating is None)
    if not confirmed:
        return Feedback(c.number, c.status, "confirm")
    await transition(uow, c, "reopen", Actor.REPORTER, actor_id=person.id, now=now, detail=verdict)
    return Feedback(c.number, c.status, "reopened")


async def rate(uow: UnitOfWork, person: Person, complaint_id: int, stars: int, *, now: datetime) -> str:
    """One rating per report, after it is closed. Returns the number."""
    if not 1 <= stars <= 5:
        raise InvalidInput("cx.err.bad_rating")
    c = await _own(uow, person, complaint_id)
    if c.status != Status.DITUTUP:
        raise DomainError("cx.err.rate_not_closed", number=c.number)
    if c.rating is not None:
        raise DomainError("cx.err.already_rated", number=c.number)
    c.rating, c.rated_at = stars, now
    return c.number


async def rate_comment(uow: UnitOfWork, person: Person, complaint_id: int, text: str) -> str:
    c = await _own(uow, person, complaint_id)
    if c.rating is None:
        raise DomainError("cx.err.rate_not_closed", number=c.number)
    if c.rating_comment:
        raise DomainError("cx.err.already_rated", number=c.number)
    text = message_text(text, COMMENT_MAX)
    c.rating_comment = text
    return c.number


async def follow(uow: UnitOfWork, person: Person, complaint_id: int, *, now: datetime) -> str:
    """Get someone else's report's updates too. Returns the number."""
    c = await _load(uow, complaint_id)
    if _hidden(person, c):
        raise NotFound("cx.err.unknown_report")
    if c.privacy == Privacy.RAHASIA and not is_reporter(person, c):  # its staff: not a report to follow
        raise DomainError("cx.err.confidential", number=c.number)
    if is_reporter(person, c):
        raise DomainError("cx.err.own_report", number=c.number)
    if c.status in ENDED:
        raise DomainError("cx.err.closed", number=c.number)
    await uow.complaints.follow(c.id, person.id, now)
    return c.number


async def unfollow(uow: UnitOfWork, person: Person, complaint_id: int) -> str:
    c = await _load(uow, complaint_id)
    if _hidden(person, c):
        raise NotFound("cx.err.unknown_report")
    if not await uow.complaints.unfollow(c.id, person.id):
        raise DomainError("cx.err.not_following")  # and no number: ids are not for probing
    return c.number
