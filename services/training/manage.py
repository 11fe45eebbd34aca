"""HR manages trainings in the chat: create, edit one field, close registration, see who signed up.

Every function checks the role first (HR; a superadmin passes every check), before it reads
anything, so a forged button learns nothing about what exists. Every change is audited with
the values before and after. Decisions where the rules were silent:
- a quota below the seats already taken is refused (`tra.err.quota_below_seats`): the waiting
  list only ever moves forward (signup.fill_seats), nobody loses a seat they were given; HR asks
  people to cancel first. A raised quota (or a later deadline) promotes the waiting list at once.
- a change of the time, place or link is told to everyone holding a seat or waiting (one
  `TrainingChanged` per change and person); other fields (quota, rules, title) are not pushed.
- eligibility rules apply to new sign-ups; people already in keep their seats.
- reminders already queued follow the edit in the same transaction
  (services.training.reminders.follow_training): those of the old day or deadline are cancelled,
  the others say the new time, place or link.
- the code is the import's key and is not edited in the chat.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from db.models.training import Training
from db.uow import UnitOfWork
from services import civil_service as cs
from services.account.codes import actor_label
from services.errors import DomainError, InvalidInput, NotFound
from services.notice import queue
from services.roles import Role, require_role
from services.training import fields as f
from services.training import reminders
from services.training.catalogue import is_open
from services.training.notices import TrainingChanged
from services.training.signup import fill_seats
from services.users import Person

OPTIONAL: tuple[f.FieldName, ...] = ("topic", "place", "online_url", "min_golongan", "max_golongan", "jabatan_kinds",
                                   "agency_ids", "employment")
CONSOLE_PAST = timedelta(days=30)  # trainings that ended this recently stay on HR's list (attendance, export)


@dataclass(frozen=True)
class AdminView:
    id: int
    code: str
    title: str
    topic: str
    organiser: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    jp: int
    quota: int
    registration_closes_at: datetime
    min_golongan: str | None
    max_golongan: str | None
    jabatan_kinds: tuple[str, ...]
    agencies: tuple[str, ...]  # names
    employment: str | None
    cancelled: bool
    registration_open: bool
    started: bool
    ended: bool
    seats: int
    waiting: int
    attended: int


@dataclass(frozen=True)
class Updated:
    view: AdminView
    changed: tuple[str, ...]  # fields that changed; empty: nothing to save
    notified: int  # people told of a new time, place or link
    promoted: int  # moved from the waiting list to a seat


def require_hr(actor: Person) -> None:
    require_role(actor.role, Role.HR)


async def view_of(uow: UnitOfWork, t: Training, now: datetime, counts: dict[str, int] | None = None,
                names: dict[int, str] | None = None) -> AdminView:
    if counts is None:
        counts = (await uow.training_admin.counts([t.id])).get(t.id, {})
    if names is None:
        names = await uow.trainings.agency_names() if t.agency_ids else {}
    return AdminView(
        t.id, t.code, t.title, t.topic, t.organiser, t.starts_at, t.ends_at, t.place, t.online_url, t.jp, t.quota,
        t.registration_closes_at, t.min_golongan, t.max_golongan, tuple(t.jabatan_kinds),
        tuple(names.get(a, "?") for a in t.agency_ids), t.employment, t.status == "cancelled", is_open(t, now),
        now >= t.starts_at, now >= t.ends_at, counts.get("seat", 0) + counts.get("attended", 0), counts.get("waiting", 0),
        counts.get("attended", 0))


async def get_training(uow: UnitOfWork, training_id: int, *, lock: bool = False) -> Training:
    t = await uow.trainings.get(training_id, lock=lock)
    if t is None:
        raise NotFound("tr.err.not_found")
    return t


async def console(uow: UnitOfWork, actor: Person, now: datetime) -> list[AdminView]:
    """HR's list: upcoming, running and recently ended trainings, cancelled ones too."""
    require_hr(actor)
    rows = await uow.training_admin.for_console(now - CONSOLE_PAST)
    counts = await uow.training_admin.counts([t.id for t in rows])
    names = await uow.trainings.agency_names()
    return [await view_of(uow, t, now, counts.get(t.id, {}), names) for t in rows]


async def card(uow: UnitOfWork, actor: Person, training_id: int, now: datetime) -> AdminView:
    require_hr(actor)
    return await view_of(uow, await get_training(uow, training_id), now)


async def values(uow: UnitOfWork, actor: Person, training_id: int) -> f.TrainingFields:
    """A stored training's values, the start of an edit."""
    require_hr(actor)
    return f.values_of(await get_training(uow, training_id))


async def agency_codes(uow: UnitOfWork, actor: Person) -> dict[int, str]:
    require_hr(actor)
    return {i: code for code, i in (await uow.trainings.agency_ids_by_code()).items()}


async def parse_field(uow: UnitOfWork, actor: Person, field: str, raw: str | list[str] | None,
                      known: f.TrainingFields, *, tz: ZoneInfo, now: datetime,
                      training_id: int = 0) -> f.TrainingFields:
    """`known` with HR's answer for one field (an optional field left empty: "" or ()), checked
    on its own and against the fields already known. InvalidInput says what is wrong."""
    require_hr(actor)
    if field not in f.FIELDS or (field == "code" and training_id):
        raise InvalidInput("tra.err.incomplete")
    empty = raw is None or (isinstance(raw, str) and not f.clean_text(raw)) or raw == []
    if empty:
        if field not in OPTIONAL:
            raise InvalidInput("tra.err.required")
        value: f.FieldValue = () if field in ("jabatan_kinds", "agency_ids") else ""
    elif field == "jabatan_kinds":
        kinds = [cs.jabatan_kind(k) for k in (raw if isinstance(raw, list) else [raw])]
        value = tuple(dict.fromkeys(k.value for k in kinds if k))
    elif not isinstance(raw, str):
        raise InvalidInput("tra.err.incomplete")
    elif field == "code":
        value = f.parse_code(raw)
        if await uow.training_admin.code_taken(value):
            raise InvalidInput("tra.err.code_taken", taken=value)
    elif field in f.TEXTS:
        value = f.parse_text(field, raw)
    elif field in f.NUMBERS:
        value = f.parse_number(field, raw)
    elif field in f.TIMES:
        value = datetime.fromisoformat(f.parse_time(field, raw, tz, now))
    elif field == "online_url":
        value = f.parse_url(raw)
    elif field in ("min_golongan", "max_golongan"):
        value = f.parse_golongan(raw)
    elif field == "agency_ids":
        value = tuple(f.parse_agencies(raw, await uow.trainings.agency_ids_by_code()))
    else:  # employment
        value = raw.strip().upper()
        if value not in ("PNS", "PPPK"):
            raise InvalidInput("tra.err.incomplete")
    answered = known.with_answer(field, value)
    f.check_field(field, answered, now)
    return answered


def _audit(row: Training | f.TrainingInput, keys: Iterable[str]) -> dict[str, object]:
    """The columns `keys` of a training as the audit log keeps them (times in ISO 8601, lists)."""
    out: dict[str, object] = {}
    for k in keys:
        v = getattr(row, k)
        out[k] = v.isoformat() if isinstance(v, datetime) else (list(v) if isinstance(v, tuple | list) else v)
    return out


async def create(uow: UnitOfWork, actor: Person, draft: f.TrainingFields, now: datetime) -> AdminView:
    """A new training from a complete draft, every rule checked again; audited."""
    label, actor_id = actor_label(actor)
    inp = f.build(draft)
    if inp.starts_at <= now:
        raise InvalidInput("tra.err.start_past")
    if await uow.training_admin.code_taken(inp.code):
        raise InvalidInput("tra.err.code_taken", taken=inp.code)
    t = uow.trainings.add(Training(**inp.columns(), status="open", created_at=now, updated_at=now))
    await uow.flush()
    uow.audit.record(label, "training.create", f"training:{t.id}", actor_user_id=actor_id, before=None,
                     after=_audit(inp, f.FIELDS))
    return await view_of(uow, t, now, {})


def _stamp(inp: f.TrainingInput) -> str:
    """A short digest of the new time, place and link (with the moment: one notice per person per change)."""
    text = "|".join(str(getattr(inp, k)) for k in f.NOTIFY)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


async def update(uow: UnitOfWork, actor: Person, training_id: int, draft: f.TrainingFields, now: datetime, *,
                 tz: str) -> Updated:
    """Save an edited training: only what differs is written and audited; see the module's rules."""
    label, actor_id = actor_label(actor)
    t = await get_training(uow, training_id, lock=True)
    if t.status == "cancelled":
        raise DomainError("tr.err.cancelled", title=t.title)
    inp = f.build(replace(draft, code=t.code))
    new = inp.columns()
    changed = tuple(k for k in f.FIELDS if getattr(t, k) != new[k])
    if not changed:
        return Updated(await view_of(uow, t, now), (), 0, 0)
    if "starts_at" in changed and inp.starts_at <= now:
        raise InvalidInput("tra.err.start_past")
    taken = (await uow.trainings.seats_taken([t.id])).get(t.id, 0)
    if inp.quota < taken:
        raise InvalidInput("tra.err.quota_below_seats", taken=taken, quota=inp.quota)
    before, raised = _audit(t, changed), inp.quota > t.quota
    for k in changed:
        setattr(t, k, new[k])
    t.updated_at = now
    await uow.flush()
    promoted = 0
    if ("quota" in changed and raised) or "registration_closes_at" in changed:
        promoted = await fill_seats(uow, t, now, tz=tz)
    told = [k for k in f.NOTIFY if k in changed]
    notified = 0
    if told:
        notice = TrainingChanged(t.id, t.title, t.starts_at.isoformat(), t.ends_at.isoformat(), t.place,
                                 t.online_url, ",".join(told), tz)
        stamp = _stamp(inp)
        for enrolment_id, user_id in await uow.training_admin.users_enrolled(t.id, ("seat", "waiting")):
            # The moment is in the key: moved there, back, and there again is three changes to tell.
            notified += await queue(uow, user_id, notice,
                                    dedupe_key=f"tr-chg:{enrolment_id}:{stamp}:{now.isoformat()}")
    cancelled, rewritten = (await reminders.follow_training(uow, t, tz)
                            if any(k in reminders.SHOWN for k in changed) else (0, 0))
    uow.audit.record(label, "training.update", f"training:{t.id}", actor_user_id=actor_id,
                     before=before, after=_audit(inp, changed),
                     notified=notified, promoted=promoted, reminders_cancelled=cancelled,
                     reminders_rewritten=rewritten)
    return Updated(await view_of(uow, t, now), changed, notified, promoted)


async def close_registration(uow: UnitOfWork, actor: Person, training_id: int, now: datetime) -> AdminView:
    """Registration ends now (the deadline becomes this moment; "closing soon" reminders still
    queued are cancelled); audited."""
    label, actor_id = actor_label(actor)
    t = await get_training(uow, training_id, lock=True)
    if t.status == "cancelled":
        raise DomainError("tr.err.cancelled", title=t.title)
    if not is_open(t, now):
        raise DomainError("tra.err.already_closed", title=t.title)
    before = t.registration_closes_at
    t.registration_closes_at, t.updated_at = now, now
    await uow.flush()
    cancelled = await reminders.registration_closed(uow, t.id)
    uow.audit.record(label, "training.close", f"training:{t.id}", actor_user_id=actor_id,
                     before={"registration_closes_at": before.isoformat()},
                     after={"registration_closes_at": now.isoformat()}, reminders_cancelled=cancelled)
    return await view_of(uow, t, now)
