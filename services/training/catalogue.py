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


# Words that name no subject: "pelatihan data" asks for data, not for every "Pelatihan …".
_FILLER = frozenset("pelatihan diklat bimtek kursus training course untuk dan di ke yang the of for and".split())
WORD_MATCH = 80  # one typo in a word of five letters still matches
PREFIX_MATCH = 90  # a word's start must be nearer: "kebun" is not the start of "keuangan"


def _word_score(w: str, f: str) -> float:
    """A query word against a word of the training: the whole word, or (four letters or more) its
    start ("digital" names "digitalisasi"); typos forgiven, never a piece inside ("data" is not
    in "kedatangan" or "dashboard")."""
    best = fuzz.ratio(w, f)
    if len(w) >= 4 and len(f) > len(w) and (start := fuzz.ratio(w, f[:len(w)])) >= PREFIX_MATCH:
        best = max(best, start)
    return best


def score(query: str, t: Training) -> tuple[int, float, float]:
    """How well `query` names the training: (its words found in the title or a topic, how well,
    how much of the title they are).

    A training matches only if a word of the query is one of its words, typos forgiven (see
    _word_score); more words found rank first, then closer ones, a word of the title before one
    of a topic only, then the title the query says most of ("data": "Literasi Data untuk ASN"
    before "Keamanan Informasi dan Pelindungan Data Pribadi").
    """
    words = normalise(query).split()
    words = [w for w in words if w not in _FILLER] or words
    title, topics = normalise(t.title).split(), normalise(t.topic).split()
    found, total = 0, 0.0
    for w in words:
        best = max((_word_score(w, f) + 1 for f in title), default=0.0)  # the title a little first
        best = max(best, max((_word_score(w, f) for f in topics), default=0.0))
        if best >= WORD_MATCH:
            found, total = found + 1, total + best
    return found, total / max(1, len(words)), fuzz.token_sort_ratio(" ".join(words), " ".join(title))


async def search(uow: UnitOfWork, person: Person, query: str, now: datetime) -> list[TrainingView]:
    """Upcoming trainings whose title or topic matches `query`, best first."""
    r = await record_of(uow, person)
    q = normalise(query[:QUERY_MAX])
    if not q:
        return []
    scored = [(score(q, t), t) for t in await uow.trainings.upcoming(now)]
    scored.sort(key=lambda p: (-p[0][0], -p[0][1], -p[0][2], p[1].starts_at))
    rows = [t for (found, *_), t in scored if found][:SEARCH_LIMIT]
    return await views_for(uow, r, rows, now)
