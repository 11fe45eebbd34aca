"""The catalogue as one person sees it: upcoming trainings, seats left, what they miss; search."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from rapidfuzz import fuzz

from db.models.training import Enrolment, Training
from db.uow import UnitOfWork
from services.civil_service import Record
from services.errors import NotFound
from services.training.rules import Unmet, record_of, unmet
from services.users import Person

SEARCH_LIMIT = 10
SEARCH_THRESHOLD = 70
QUERY_MAX = 100
_WORD = re.compile(r"[^\w\s]+", re.U)


@dataclass(frozen=True)
class TrainingView:
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
    seats_left: int
    waiting: int
    registration_closes_at: datetime
    cancelled: bool
    registration_open: bool  # not cancelled, before the deadline and the start
    unmet: tuple[Unmet, ...]  # empty: the person may sign up
    mine: str | None  # the person's enrolment status, if any
    position: int | None  # on the waiting list (1 = next)

    @property
    def eligible(self) -> bool:
        return not self.unmet


def is_open(t: Training, now: datetime) -> bool:
    return t.status == "open" and now < t.registration_closes_at and now < t.starts_at


async def view(uow: UnitOfWork, t: Training, r: Record, now: datetime, *, taken: int | None = None,
               enrolment: Enrolment | None = None, names: dict[int, str] | None = None,
               looked_up: bool = False) -> TrainingView:
    """`looked_up`: the caller already read the person's enrolment (None means: has none)."""
    if taken is None:
        taken = (await uow.trainings.seats_taken([t.id])).get(t.id, 0)
    if not looked_up:
        enrolment = await uow.trainings.enrolment(t.id, r.employee_id)
    if names is None:
        names = await uow.trainings.agency_names() if t.agency_ids else {}
    position = None
    if enrolment is not None and enrolment.status == "waiting":
        position = await uow.trainings.waiting_position(enrolment)
    waiting = await uow.trainings.waiting_count(t.id) if taken >= t.quota else 0
    return TrainingView(
        t.id, t.code, t.title, t.topic, t.organiser, t.starts_at, t.ends_at, t.place, t.online_url, t.jp, t.quota,
        max(0, t.quota - taken), waiting, t.registration_closes_at, t.status == "cancelled", is_open(t, now),
        unmet(t, r, names), enrolment.status if enrolment else None, position)


async def upcoming(uow: UnitOfWork, person: Person, now: datetime) -> list[TrainingView]:
    """Every training not started yet and not cancelled, soonest first, for this person."""
    r = await record_of(uow, person)
    return await views_for(uow, r, await uow.trainings.upcoming(now), now)


async def views_for(uow: UnitOfWork, r: Record, rows: list[Training], now: datetime) -> list[TrainingView]:
    taken = await uow.trainings.seats_taken([t.id for t in rows])
    mine = {e.training_id: e for e, _ in await uow.trainings.of_employee(r.employee_id)}
    names = await uow.trainings.agency_names() if any(t.agency_ids for t in rows) else {}
    return [await view(uow, t, r, now, taken=taken.get(t.id, 0), enrolment=mine.get(t.id), names=names,
                       looked_up=True) for t in rows]


async def detail(uow: UnitOfWork, person: Person, training_id: int, now: datetime) -> TrainingView:
    r = await record_of(uow, person)
    t = await uow.trainings.get(training_id)
    if t is None:
        raise NotFound("tr.err.not_found")
    return await view(uow, t, r, now)


def normalise(text: str) -> str:
    return " ".join(_WORD.sub(" ", text.lower()).split())


def score(query: str, t: Training) -> float:
    """How well `query` names the training: its title or one of its topics, typos forgiven.

    token_set_ratio lets "pelatihan manajemen proyek" find "Manajemen Proyek Pemerintah";
    partial_ratio forgives a typo inside a longer title ("digitalisai pelayanan").
    """
    q = normalise(query)
    best = 0.0
    for field in (t.title, *t.topic.split(",")):
        f = normalise(field)
        if not f:
            continue
        best = max(best, fuzz.token_set_ratio(q, f), fuzz.partial_ratio(q, f) if len(q) >= 4 else 0)
    return best


async def search(uow: UnitOfWork, person: Person, query: str, now: datetime) -> list[TrainingView]:
    """Upcoming trainings whose title or topic matches `query`, best first."""
    r = await record_of(uow, person)
    q = normalise(query[:QUERY_MAX])
    if not q:
        return []
    scored = sorted(((score(q, t), t) for t in await uow.trainings.upcoming(now)), key=lambda p: (-p[0], p[1].starts_at))
    rows = [t for s, t in scored if s >= SEARCH_THRESHOLD][:SEARCH_LIMIT]
    return await views_for(uow, r, rows, now)
