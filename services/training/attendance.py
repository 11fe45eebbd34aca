"""Attendance (HR marks who came; it credits the JP), its undoing, and one person's year: `/pelatihanku`.

Undoing an attendance (a mis-tap, a wrong "everyone attended") puts the enrolment back as it was
before the marking: a seat, a place in line or a cancelled sign-up again; a walk-in's row, which
only the marking made, is deleted (an "absent" status would be a state every reader of enrolments
must learn, for what the audit log already keeps). JP are counted from enrolments whenever they
are shown, so `/pelatihanku` and the statistics follow at once. The person is told, with HR's reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal
from zoneinfo import ZoneInfo

from db.models.training import Enrolment, Training
from db.uow import UnitOfWork
from services import civil_service as cs
from services.account.codes import actor_label
from services.errors import DomainError, InvalidInput, NotFound
from services.notice import queue
from services.roles import Role, require_role
from services.training.catalogue import TrainingView, is_open, views_for
from services.training.fields import clean_text
from services.training.notices import AttendanceWithdrawn
from services.training.rules import record_of
from services.users import Person

SUGGESTIONS = 3
WALK_IN = "walk_in"  # attended_from of a row the marking made: the person came without signing up
Reason = Literal["mistake", "absent"]  # HR's one-press reasons, told in the person's own language
REASONS: tuple[Reason, ...] = ("mistake", "absent")
REASON_MIN, REASON_MAX = 3, 300


@dataclass(frozen=True)
class AttendanceReport:
    training_id: int
    marked: tuple[int, ...]  # employee ids now attended
    already: tuple[int, ...]  # were attended before: nothing changed
    unknown: tuple[int, ...]  # no such employee: refused


async def mark_attended(uow: UnitOfWork, actor: Person, training_id: int, employee_ids: Sequence[int], *,
                        now: datetime) -> AttendanceReport:
    """HR records who attended: each gets the training's JP. Someone who came without signing
    up (a walk-in) is recorded too. Audited; the caller commits."""
    require_role(actor.role, Role.HR)
    t = await uow.trainings.get(training_id, lock=True)
    if t is None:
        raise NotFound("tr.err.not_found")
    if t.status == "cancelled":
        raise DomainError("tr.err.cancelled", title=t.title)
    if now < t.starts_at:
        raise DomainError("tr.err.not_started", title=t.title)
    ids = list(dict.fromkeys(employee_ids))
    known = await uow.trainings.existing_employees(ids)
    existing = await uow.trainings.enrolments_of(t.id, ids)
    marked: list[int] = []
    already: list[int] = []
    before = {str(eid): existing[eid].status if eid in existing else None for eid in ids if eid in known}
    for eid in ids:
        if eid not in known:
            continue
        e = existing.get(eid)
        if e is not None and e.status == "attended":
            already.append(eid)
            continue
        if e is None:
            uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=eid, status="attended",
                                                  attended_from=WALK_IN, queued_at=now, created_at=now,
                                                  updated_at=now))
        else:
            e.status, e.attended_from = "attended", e.status
        marked.append(eid)
    unknown = [eid for eid in ids if eid not in known]
    uow.audit.record(f"user:{actor.id}", "training.attended", f"training:{t.id}", actor_user_id=actor.id,
                     marked=marked, already=already, unknown=unknown,
                     before={k: v for k, v in before.items() if int(k) in marked},
                     after={str(eid): "attended" for eid in marked})
    await uow.flush()
    return AttendanceReport(t.id, tuple(marked), tuple(already), tuple(unknown))


@dataclass(frozen=True)
class Attendee:
    """One person recorded as attending, and what undoing it would leave."""

    training_id: int
    title: str
    jp: int
    employee_id: int
    name: str
    returns_to: str  # seat | waiting | cancelled | walk_in (the row goes)


@dataclass(frozen=True)
class Withdrawn:
    attendee: Attendee
    told: bool  # a notice was queued (the record is linked to a chat account)


def returns_to(e: Enrolment, t: Training) -> str:
    """What the enrolment was before it was marked attended. Rows marked before that was kept
    (attended_from NULL) are inferred: signing up is only possible before the start, a walk-in's
    row is made by the marking, after it."""
    if e.attended_from:
        return e.attended_from
    return "seat" if e.created_at < t.starts_at else WALK_IN


def parse_reason(raw: str | None) -> str:
    """HR's reason in their words, one line; InvalidInput("tra.err.reason") if empty, emoji only, too long."""
    text = clean_text(raw or "")
    if len(text) > REASON_MAX or len(text) < REASON_MIN or sum(c.isalnum() for c in text) < 2:
        raise InvalidInput("tra.err.reason", low=REASON_MIN, high=REASON_MAX, length=len(text))
    return text


async def _attended(uow: UnitOfWork, actor: Person, training_id: int, employee_id: int, *,
                    lock: bool) -> tuple[Training, Enrolment, Attendee]:
    require_role(actor.role, Role.HR)
    t = await uow.trainings.get(training_id, lock=lock)
    if t is None:
        raise NotFound("tr.err.not_found")
    if t.status == "cancelled":
        raise DomainError("tr.err.cancelled", title=t.title)
    e = await uow.trainings.enrolment(t.id, employee_id)
    emp = await uow.employees.get(employee_id) if e is not None else None
    if e is None or emp is None or e.status != "attended":
        raise DomainError("tra.err.not_attended", title=t.title)
    return t, e, Attendee(t.id, t.title, t.jp, emp.id, emp.name, returns_to(e, t))


async def attendee(uow: UnitOfWork, actor: Person, training_id: int, employee_id: int) -> Attendee:
    """The person HR is about to un-mark (HR only; the training not called off; they attended)."""
    return (await _attended(uow, actor, training_id, employee_id, lock=False))[2]


async def withdraw_attendance(uow: UnitOfWork, actor: Person, training_id: int, employee_id: int, *,
                              reason_code: str | None = None, reason: str | None = None, now: datetime,
                              tz: str) -> Withdrawn:
    """Undo one attendance: the enrolment goes back to what it was (see the module), the training's
    JP no longer count for the person, who is told why; audited with before and after. A reason is
    one of REASONS or HR's own words. The caller commits."""
    label, actor_id = actor_label(actor)
    t, e, who = await _attended(uow, actor, training_id, employee_id, lock=True)
    if reason_code is not None:
        if reason_code not in REASONS:
            raise InvalidInput("tra.err.reason", low=REASON_MIN, high=REASON_MAX, length=0)
        words = ""
    else:
        reason_code, words = "", parse_reason(reason)
    before = {"status": e.status, "attended_from": e.attended_from}
    if who.returns_to == WALK_IN:
        await uow.trainings.delete_enrolment(e)
        after = None
    else:
        e.status, e.attended_from, e.updated_at = who.returns_to, None, now
        after = {"status": who.returns_to}
    await uow.flush()
    told = False
    user_id = await uow.trainings.user_of_employee(who.employee_id)
    if user_id is not None:
        notice = AttendanceWithdrawn(t.id, t.title, t.starts_at.isoformat(), t.ends_at.isoformat(), t.jp,
                                     reason_code, words, tz)
        # The moment is in the key: marked again and withdrawn again is a second thing to tell.
        told = await queue(uow, user_id, notice, dedupe_key=f"tr-unatt:{t.id}:{who.employee_id}:{now.isoformat()}")
    uow.audit.record(label, "training.unattended", f"training:{t.id}", actor_user_id=actor_id,
                     employee_id=who.employee_id, jp=t.jp, reason_code=reason_code or None, reason=words or None,
                     before=before, after=after, told=told)
    return Withdrawn(who, told)


@dataclass(frozen=True)
class MyItem:
    training_id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    jp: int
    status: str  # seat | waiting | attended
    cancelled: bool  # the training itself was called off
    position: int | None


@dataclass(frozen=True)
class MyYear:
    year: int
    employment: str
    upcoming: tuple[MyItem, ...]
    attended: tuple[MyItem, ...]  # this year's
    total_jp: int  # attended this year
    counted_jp: int  # what counts (PPPK: capped)
    target: int
    cap: int | None
    suggestions: tuple[TrainingView, ...]  # open, fitting trainings when short of the target

    @property
    def short_by(self) -> int:
        return max(0, self.target - self.counted_jp)


async def my_year(uow: UnitOfWork, person: Person, now: datetime, tz: ZoneInfo) -> MyYear:
    """A training's JP count in the (local) year it ends."""
    r = await record_of(uow, person)
    year = now.astimezone(tz).year
    upcoming: list[MyItem] = []
    attended: list[MyItem] = []
    busy: list[tuple[datetime, datetime]] = []
    for e, t in await uow.trainings.of_employee(r.employee_id):
        if e.status == "attended" and t.ends_at.astimezone(tz).year == year:
            attended.append(MyItem(t.id, t.title, t.starts_at, t.ends_at, t.jp, e.status, False, None))
        elif e.status in ("seat", "waiting") and t.ends_at > now:
            pos = await uow.trainings.waiting_position(e) if e.status == "waiting" else None
            upcoming.append(MyItem(t.id, t.title, t.starts_at, t.ends_at, t.jp, e.status,
                                   t.status == "cancelled", pos))
            if t.status == "open":
                busy.append((t.starts_at, t.ends_at))
    total = sum(i.jp for i in attended)
    counted = cs.jp_counted(total, r.employment)
    target = cs.jp_target(r.employment)
    suggestions: tuple[TrainingView, ...] = ()
    if counted < target.target:
        views = await views_for(uow, r, [t for t in await uow.trainings.upcoming(now) if is_open(t, now)], now)
        fits = [v for v in views if v.eligible and v.mine in (None, "cancelled") and v.seats_left > 0
                and not any(v.starts_at < end and v.ends_at > start for start, end in busy)]
        suggestions = tuple(fits[:SUGGESTIONS])
    return MyYear(year, r.employment.value, tuple(upcoming), tuple(attended), total, counted, target.target,
                  target.cap, suggestions)
