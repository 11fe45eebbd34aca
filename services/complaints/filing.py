"""Filing a report: checking what the citizen typed, suggesting the agency, spotting duplicates,
numbering it and telling the agency. Also the remembered privacy choice and erasure."""

from __future__ import annotations

import math
import re
from datetime import datetime, timedelta

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from db.models import Agency, Complaint
from db.uow import UnitOfWork
from services import workdays
from services.agencies.manage import AgencyChoice
from services.complaints.dto import Draft, Photo, Receipt, Similar
from services.complaints.rules import OPEN, Actor, ComplaintKind, Policy, Privacy, Status
from services.complaints.transitions import excerpt, notify_staff, reachable_officers, record
from services.errors import DomainError, InvalidInput
from services.text import visible_length
from services.users import Person

SUGGEST_THRESHOLD = 85
DUPLICATE_THRESHOLD = 80
ADDRESS_MIN, ADDRESS_MAX = 3, 300
_NAME_NOISE = {"dinas", "badan", "dan", "satuan", "kantor", "bagian", "kota", "kabupaten"}
_RUN = re.compile(r"\s+")


# --- what the citizen typed

def clean_description(text: str, policy: Policy) -> str:
    """The description as stored: trimmed, never cut; refused with the limit when it is not right."""
    text = text.strip()
    visible = visible_length(text)  # zero-width characters alone are not a description
    if not visible:
        raise InvalidInput("cx.err.desc_empty", min=policy.desc_min, max=policy.desc_max)
    if visible < policy.desc_min:
        raise InvalidInput("cx.err.desc_short", min=policy.desc_min, length=visible)
    if len(text) > policy.desc_max:
        raise InvalidInput("cx.err.desc_long", max=policy.desc_max, length=len(text))
    return text


def clean_address(text: str) -> str:
    text = _RUN.sub(" ", text.strip())
    if visible_length(text) < ADDRESS_MIN or len(text) > ADDRESS_MAX:
        raise InvalidInput("cx.err.address_len", min=ADDRESS_MIN, max=ADDRESS_MAX)
    return text


def check_location(lat: float, lon: float) -> tuple[float, float]:
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("cx.err.bad_location")
    return round(lat, 6), round(lon, 6)


def check_attachment(is_photo: bool, file_id: str, size: int | None, mime: str | None, policy: Policy) -> Photo:
    """A photo, or an image sent as a file the bot can still fetch (Bot API: 20 MB)."""
    if size is not None and size > policy.max_file_bytes:
        raise InvalidInput("cx.err.file_too_big", max_mb=policy.max_file_bytes // (1024 * 1024),
                           size_mb=math.ceil(size / (1024 * 1024)))
    if is_photo:
        return Photo("photo", file_id)
    if not (mime or "").lower().startswith("image/"):
        raise InvalidInput("cx.err.not_image")
    return Photo("document", file_id)


def check_kind(kind: str) -> str:
    if kind not in ComplaintKind.__members__.values():
        raise InvalidInput("cx.err.bad_kind")
    return kind


def check_privacy(privacy: str) -> str:
    if privacy not in Privacy.__members__.values():
        raise InvalidInput("cx.err.bad_privacy")
    return privacy


# --- routing

def _phrases(agency: Agency) -> list[str]:
    name = " ".join(w for w in default_process(agency.name).split() if w not in _NAME_NOISE)
    return [name, *(default_process(k) for k in agency.keywords or [])]


def _phrase_score(phrase: str, text: str, words: set[str]) -> float:
    if not phrase:
        return 0.0
    if len(phrase) <= 4:  # "ktp", "kk", "sd": only a whole word counts, never part of one
        return 100.0 if all(w in words for w in phrase.split()) else 0.0
    if len(phrase) > len(text):  # never slide a short text along a long name
        return fuzz.ratio(phrase, text)
    return fuzz.partial_ratio(phrase, text)


async def suggest_agencies(uow: UnitOfWork, text: str, limit: int = 3) -> list[AgencyChoice]:
    """Agencies whose name or keywords the text mentions (typos tolerated), best first."""
    clean = default_process(text)
    words = set(clean.split())
    scored = []
    for a in await uow.agencies.all_active():
        best = max(((_phrase_score(p, clean, words), len(p)) for p in _phrases(a)), default=(0.0, 0))
        if best[0] >= SUGGEST_THRESHOLD:
            scored.append((best, a))
    scored.sort(key=lambda s: s[0], reverse=True)  # a longer matching phrase is the more specific one
    return [AgencyChoice.of(a) for _, a in scored[:limit]]


async def agencies(uow: UnitOfWork) -> list[AgencyChoice]:
    return [AgencyChoice.of(a) for a in await uow.agencies.all_active()]


# --- duplicates

def similarity(a: str, b: str) -> float:
    pa, pb = default_process(a), default_process(b)
    if len(set(pa.split()) & set(pb.split())) < 3:  # a couple of shared words is not the same problem
        return 0.0
    return max(fuzz.token_sort_ratio(pa, pb), fuzz.token_set_ratio(pa, pb) - 5)


async def find_similar(
    uow: UnitOfWork, person: Person, description: str, agency_id: int | None, *, now: datetime, policy: Policy,
    limit: int = 3,
) -> list[Similar]:
    """Open, non-confidential reports to the same agency in the last 30 days that say the same."""
    since = now - timedelta(days=policy.duplicate_days)
    found = []
    for c in await uow.complaints.open_since(agency_id, since, OPEN, Privacy.RAHASIA.value):
        score = similarity(description, c.description)
        if score >= DUPLICATE_THRESHOLD:
            found.append((score, c))
    found.sort(key=lambda s: s[0], reverse=True)
    return [Similar(c.id, c.number, c.status, excerpt(c.description, 120), c.reporter_id == person.id,
                    await uow.complaints.is_following(c.id, person.id)) for _, c in found[:limit]]


# --- filing

async def check_rate(uow: UnitOfWork, person: Person, *, now: datetime, policy: Policy) -> None:
    """At most `per_hour` reports in any hour; says how long to wait."""
    n, oldest = await uow.complaints.count_filed_since(person.id, now - timedelta(hours=1))
    if n >= policy.per_hour and oldest is not None:
        wait = oldest + timedelta(hours=1) - now
        raise DomainError("cx.err.rate_limited", limit=policy.per_hour,
                          minutes=max(1, math.ceil(wait.total_seconds() / 60)))


async def file(uow: UnitOfWork, person: Person, draft: Draft, *, now: datetime, policy: Policy) -> Receipt:
    """Number the report, store it with its first event, and tell whoever must act on it."""
    description = clean_description(draft.description, policy)
    kind, privacy = check_kind(draft.kind), check_privacy(draft.privacy)
    agency = None
    if draft.agency_id:
        agency = await uow.agencies.get(draft.agency_id)
        if agency is None or not agency.active:
            raise InvalidInput("cx.err.agency_gone")
    if len(draft.photos) > policy.max_photos:
        raise InvalidInput("cx.err.too_many_photos", max=policy.max_photos)
    await check_rate(uow, person, now=now, policy=policy)
    year = now.astimezone(policy.tz).year
    seq = await uow.complaints.next_seq(year)
    resolve_days = policy.resolve_days_for(kind)
    c = uow.complaints.add(Complaint(
        number=f"{policy.instance_code}-{year}-{seq:06d}", kind=kind, description=description,
        photos=[{"kind": p.kind, "file_id": p.file_id} for p in draft.photos],
        latitude=draft.latitude, longitude=draft.longitude,
        address=clean_address(draft.address) if draft.address else None,
        agency_id=agency.id if agency else None, privacy=privacy, status=Status.DITERIMA.value,
        reporter_id=person.id, created_at=now, updated_at=now,
        response_due_at=workdays.due_at(now, policy.response_days, policy.tz),
        resolve_due_at=workdays.due_at(now, resolve_days, policy.tz)))
    await uow.flush()
    event = await record(uow, c, "file", Actor.REPORTER, actor_id=person.id, now=now, note=None)
    await notify_staff(uow, c, event)
    await uow.complaints.set_privacy_pref(person.id, privacy)
    # An agency nobody can act for yet: notify_staff told HR instead, and the receipt says so.
    unstaffed = agency is not None and not await reachable_officers(uow, agency.id)
    return Receipt(c.id, c.number, kind, privacy, agency.name if agency else None, policy.response_days,
                   c.response_due_at, resolve_days, c.resolve_due_at, unstaffed=unstaffed)


async def privacy_pref(uow: UnitOfWork, person: Person) -> str:
    return await uow.complaints.privacy_pref(person.id) or Privacy.NORMAL.value
