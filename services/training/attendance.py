"""Attendance (HR marks who came; it credits the JP) and one person's year: `/pelatihanku`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db.models.training import Enrolment
from db.uow import UnitOfWork
from services import civil_service as cs
from services.errors import DomainError, NotFound
from services.roles import Role, require_role
from services.training.catalogue import TrainingView, is_open, views_for
from services.training.rules import record_of
from services.users import Person

SUGGESTIONS = 3


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
                                                  queued_at=now, created_at=now, updated_at=now))
        else:
            e.status = "attended"
        marked.append(eid)
    unknown = [eid for eid in ids if eid not in known]
    uow.audit.record(f"user:{actor.id}", "training.attended", f"training:{t.id}", actor_user_id=actor.id,
                     marked=marked, already=already, unknown=unknown,
                     before={k: v for k, v in before.items() if int(k) in marked},
                     after={str(eid): "attended" for eid in marked})
    await uow.flush()
    return AttendanceReport(t.id, tuple(marked), tuple(already), tuple(unknown))


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
