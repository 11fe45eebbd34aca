"""What complaint services hand to handlers: frozen views, nothing attached to a session."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from db.models import Complaint, ComplaintEvent, User
from db.uow import UnitOfWork
from services.agencies.manage import AgencyChoice
from services.complaints.transitions import excerpt

T = TypeVar("T")


@dataclass(frozen=True)
class Photo:
    kind: str  # photo | document (an image sent as a file)
    file_id: str


@dataclass(frozen=True)
class Draft:
    """What the citizen has gathered so far; the service checks it again on filing."""

    kind: str
    description: str
    photos: tuple[Photo, ...] = ()
    latitude: float | None = None
    longitude: float | None = None
    address: str | None = None
    agency_id: int | None = None  # None: "not sure", HR routes it
    privacy: str = "normal"


@dataclass(frozen=True)
class Receipt:
    id: int
    number: str
    kind: str
    privacy: str
    agency: str | None
    response_days: int
    response_due_at: datetime
    resolve_days: int
    resolve_due_at: datetime
    unstaffed: bool = False  # the chosen agency has no officer yet: BKPSDM keeps it in its queue


@dataclass(frozen=True)
class Similar:
    id: int
    number: str
    status: str
    excerpt: str
    own: bool  # the person filed it themselves
    following: bool


@dataclass(frozen=True)
class EventView:
    at: datetime
    action: str
    status: str | None  # the status it moved to, None when it did not move
    actor: str  # reporter | officer | hr | system
    agency: str | None
    note: str | None
    detail: str | None


@dataclass(frozen=True)
class ReportView:
    """A report as a citizen may see it: never the reporter's identity."""

    id: int
    number: str
    kind: str
    status: str
    privacy: str
    agency: str | None
    description: str
    address: str | None
    latitude: float | None
    longitude: float | None
    photo_count: int
    created_at: datetime
    response_due_at: datetime
    events: tuple[EventView, ...]
    latest_answer: str | None
    merged_into: str | None
    is_reporter: bool
    following: bool
    can_reply: bool
    can_feedback: bool
    can_rate: bool
    can_follow: bool
    rating: int | None


@dataclass(frozen=True)
class ReportLine:
    id: int
    number: str
    kind: str
    status: str
    excerpt: str
    created_at: datetime
    response_due_at: datetime
    unstaffed: str | None = None  # in HR's queue: the agency holding it, which has no officer
    # The desk's queue only (never filled for citizens):
    deadline: datetime | None = None  # the deadline that applies now; None: the citizen's turn
    days_left: int | None = None  # working days left; negative: overdue by that many
    claimed_by: str | None = None  # the officer who took it
    awaiting_info: bool = False  # the reporter was asked for more and has not answered yet


@dataclass(frozen=True)
class QueueFilter:
    """What the desk's queue shows: one open status or all, one kind or all."""

    status: str | None = None
    kind: str | None = None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: tuple[T, ...]
    page: int
    pages: int
    total: int


@dataclass(frozen=True)
class DeskCard:
    """A report as staff see it. `reporter` is filled only for normal reports."""

    id: int
    number: str
    kind: str
    status: str
    privacy: str
    agency_id: int | None
    agency: str | None
    description: str
    address: str | None
    latitude: float | None
    longitude: float | None
    photos: tuple[Photo, ...]
    reporter: str | None
    created_at: datetime
    response_due_at: datetime
    resolve_due_at: datetime
    events: tuple[EventView, ...]
    actions: tuple[str, ...]
    can_route: bool
    merged_into: str | None
    unstaffed: bool = False  # held by an agency with no reachable officer: HR must act
    deadline: datetime | None = None  # the deadline that applies now (None: the citizen's turn)
    days_left: int | None = None
    claimed_by: str | None = None  # a colleague's (or the person's own) name: staff only
    claimed_by_me: bool = False
    can_claim: bool = False  # also a take-over when a colleague holds it
    can_ask: bool = False  # ask the reporter for more information
    can_forward: bool = False  # an officer hands it to another agency
    via: str | None = None  # the channel the reporter wrote on: a small mark on the card, nothing more
    info_requested_at: datetime | None = None  # asked, not answered yet


@dataclass(frozen=True)
class RouteTarget:
    agency: AgencyChoice
    staffed: bool  # has an officer who will be told; False: the report would wait in HR's queue


@dataclass(frozen=True)
class Routed:
    agency: str
    officers: int  # how many officers were notified (0: nobody there, the report stays in HR's queue)


@dataclass(frozen=True)
class AnswerDraft:
    """An answer checked and waiting for the officer's "send": nothing has reached the citizen."""

    id: int
    number: str
    text: str
    to_reporter: bool  # False: the reporter erased their data; the answer only joins the history


@dataclass(frozen=True)
class Feedback:
    """What the reporter's "was it fixed?" press did, so the reply promises only what happened."""

    number: str
    status: str
    outcome: str  # closed | reopened | confirm (nothing done yet) | unchanged (a press after the fact)
    rating_asked: bool = False  # a rating request was queued by this press
    can_rate: bool = False  # closed and not rated yet


def staff_name(u: User | None) -> str:
    """How colleagues name an officer who took a report (staff names are not private)."""
    if u is None or u.erased:
        return "-"
    return u.name or (f"@{u.username}" if u.username else f"#{u.id}")


def photos_of(c: Complaint) -> tuple[Photo, ...]:
    return tuple(Photo(str(p.get("kind", "photo")), str(p["file_id"])) for p in (c.photos or []) if p.get("file_id"))


def line(c: Complaint) -> ReportLine:
    return ReportLine(c.id, c.number, c.kind, c.status, excerpt(c.description, 80), c.created_at, c.response_due_at)


async def agency_names(uow: UnitOfWork) -> dict[int, str]:
    return {a.id: a.name for a in await uow.agencies.all_active()}


async def events_of(uow: UnitOfWork, c: Complaint, visibility: Sequence[str]) -> tuple[EventView, ...]:
    names = await agency_names(uow)
    rows: list[ComplaintEvent] = await uow.complaints.events(c.id, visibility)
    return tuple(EventView(e.at, e.action, e.to_status, e.actor_role,
                           names.get(e.agency_id) if e.agency_id else None, e.note, e.detail) for e in rows)


def page_of(items: Sequence[T], page: int, size: int, total: int) -> Page[T]:
    pages = max(1, -(-total // size))
    return Page(tuple(items), page, pages, total)
