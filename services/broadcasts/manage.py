"""HR's broadcast actions. Each checks the role itself (HR; a superadmin passes) and is audited."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from db.models import Broadcast
from db.repositories.outbox import BULK, Queued
from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.broadcasts.audience import Audience, to_filter
from services.broadcasts.compose import BroadcastMessage, Content, compose, sender_name
from services.errors import InvalidInput, NotFound
from services.quiet_hours import QuietHours
from services.roles import Role, require_role
from services.users import Person

BATCH = 500  # outbox rows per INSERT: well inside SQLite's and asyncpg's bound-parameter limits
MAX_AHEAD = timedelta(days=30)


@dataclass(frozen=True)
class Draft:
    """A broadcast as its author sees it: the content, the audience and who can be reached."""

    id: int
    content: Content
    audience: Audience
    reachable: int  # now, for a draft; the rows written, once confirmed
    status: str  # draft | queued | cancelled | done
    urgent: bool = False
    scheduled_for: datetime | None = None
    starts_at: datetime | None = None
    agency: str | None = None  # the author's agency, as its name reads: half of who sends it

    def sender(self, instance: str, hr_agency: str = "") -> str:
        return sender_name(self.agency, instance, hr_agency)


@dataclass(frozen=True)
class Cancelled:
    id: int
    cancelled: int  # rows that will not be sent
    started: bool  # some rows had gone out already


def require_hr(person: Person) -> None:
    require_role(person.role, Role.HR)


def _content(b: Broadcast) -> Content:
    return Content(b.body, b.attachment_kind, b.attachment_file_id, b.attachment_name)


async def load_broadcast(uow: UnitOfWork, broadcast_id: int, *, for_update: bool = False) -> Broadcast:
    b = await uow.broadcasts.get(broadcast_id, for_update=for_update)
    if b is None:
        raise NotFound("bc.err.not_found")
    return b


async def author_agency(uow: UnitOfWork, user_id: int | None) -> str | None:
    """The author's agency (the one HR works for, else their own record's), short name first."""
    author = await uow.users.get(user_id) if user_id else None
    agency_id = author.agency_id if author else None
    if agency_id is None and author is not None and author.employee_id:
        employee = await uow.employees.get(author.employee_id)
        agency_id = employee.agency_id if employee else None
    agency = await uow.agencies.get(agency_id) if agency_id else None
    return (agency.short_name or agency.name) if agency else None


async def draft_of(uow: UnitOfWork, b: Broadcast) -> Draft:
    audience = Audience.from_json(b.audience)
    reachable = b.total if b.status != "draft" else await uow.broadcasts.count_recipients(await to_filter(uow, audience))
    return Draft(b.id, _content(b), audience, reachable, b.status, b.urgent, b.scheduled_for, b.starts_at,
                 await author_agency(uow, b.created_by))


async def create(uow: UnitOfWork, person: Person, text: str, *, attachment_kind: str | None = None,
                 file_id: str | None = None, file_name: str | None = None, now: datetime) -> Draft:
    """A draft to all civil servants; nothing is sent before `confirm`."""
    require_hr(person)
    content = compose(text, attachment_kind=attachment_kind, file_id=file_id, file_name=file_name)
    b = uow.broadcasts.add(Broadcast(
        created_by=person.id, status="draft", body=content.body, attachment_kind=content.attachment_kind,
        attachment_file_id=content.attachment_file_id, attachment_name=content.attachment_name,
        audience=Audience().to_json(), urgent=False, total=0, created_at=now))
    await uow.flush()
    label, actor_id = actor_label(person)
    uow.audit.record(label, "broadcast.create", f"broadcast:{b.id}", actor_user_id=actor_id,
                     chars=len(content.body), attachment=content.attachment_kind)
    return await draft_of(uow, b)


async def set_content(uow: UnitOfWork, person: Person, broadcast_id: int, text: str, *,
                      attachment_kind: str | None = None, file_id: str | None = None,
                      file_name: str | None = None) -> Draft:
    """A draft's text (and file) typed again; its audience stays."""
    require_hr(person)
    content = compose(text, attachment_kind=attachment_kind, file_id=file_id, file_name=file_name)
    b = await _editable(uow, broadcast_id)
    b.body, b.attachment_kind = content.body, content.attachment_kind
    b.attachment_file_id, b.attachment_name = content.attachment_file_id, content.attachment_name
    return await draft_of(uow, b)


async def get(uow: UnitOfWork, person: Person, broadcast_id: int) -> Draft:
    require_hr(person)
    return await draft_of(uow, await load_broadcast(uow, broadcast_id))


async def _editable(uow: UnitOfWork, broadcast_id: int) -> Broadcast:
    b = await load_broadcast(uow, broadcast_id, for_update=True)
    if b.status != "draft":
        raise InvalidInput("bc.err.not_draft")
    return b


async def set_audience(uow: UnitOfWork, person: Person, broadcast_id: int, audience: Audience) -> Draft:
    require_hr(person)
    b = await _editable(uow, broadcast_id)
    b.audience = audience.to_json()
    return await draft_of(uow, b)


async def audience_of(uow: UnitOfWork, person: Person, broadcast_id: int) -> Audience:
    require_hr(person)
    return Audience.from_json((await load_broadcast(uow, broadcast_id)).audience)


def parse_time(typed: str, now: datetime, tz: tzinfo) -> datetime:
    """'08:00' (the next such time), '2-12-2026 08:00' or '2026-12-02 08:00', local time → UTC."""
    text = (typed or "").strip().replace(".", ":")
    local = now.astimezone(tz)
    if m := re.fullmatch(r"(\d{1,2}):(\d{2})", text):
        day = local.date()
        when_date = (day.day, day.month, day.year)
        hh, mm = int(m.group(1)), int(m.group(2))
    elif m := re.fullmatch(r"(\d{1,2})[-/](\d{1,2})[-/](\d{4})\s+(\d{1,2}):(\d{2})", text):
        when_date = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
        hh, mm = int(m.group(4)), int(m.group(5))
    elif m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})\s+(\d{1,2}):(\d{2})", text):
        when_date = (int(m.group(3)), int(m.group(2)), int(m.group(1)))
        hh, mm = int(m.group(4)), int(m.group(5))
    else:
        raise InvalidInput("bc.err.time")
    try:
        when = datetime(when_date[2], when_date[1], when_date[0], hh, mm, tzinfo=tz)
    except ValueError:
        raise InvalidInput("bc.err.time") from None
    if len(text) <= 5 and when <= local:
        when += timedelta(days=1)  # "08:00" said in the evening means tomorrow morning
    if when <= local:
        raise InvalidInput("bc.err.time_past")
    if when - local > MAX_AHEAD:
        raise InvalidInput("bc.err.time_far", days=MAX_AHEAD.days)
    return when.astimezone(now.tzinfo)


def held_until(quiet: QuietHours, now: datetime, tz: tzinfo) -> datetime | None:
    """When a non-urgent broadcast confirmed now would start, if quiet hours hold it; else None."""
    start = quiet.release(now, tz)
    return start if start > now else None


async def confirm(uow: UnitOfWork, person: Person, broadcast_id: int, *, now: datetime, quiet: QuietHours,
                  tz: tzinfo, urgent: bool = False, at: datetime | None = None, instance: str = "", hr_agency: str = "",
                  progress_chat_id: int | None = None, progress_message_id: int | None = None) -> Draft:
    """One outbox row per recipient, written in batches; a second confirmation is refused.

    Each row carries who sends it (`instance`: SAPA_INSTANCE_NAME, with the author's agency).
    """
    require_hr(person)
    b = await _editable(uow, broadcast_id)
    if at is not None and at <= now:
        raise InvalidInput("bc.err.time_past")
    start = at or now
    starts_at = start if urgent else quiet.release(start, tz)
    ids = await uow.broadcasts.recipient_ids(await to_filter(uow, Audience.from_json(b.audience)))
    if not ids:
        raise InvalidInput("bc.err.nobody")
    # The text is the broadcast's own, joined when a row is claimed; only the sender's name is copied.
    notice = BroadcastMessage(b.id, sender=sender_name(await author_agency(uow, b.created_by), instance, hr_agency))
    written = 0
    for i in range(0, len(ids), BATCH):
        written += await uow.outbox.add_many([
            Queued(uid, notice, dedupe_key=f"bc:{b.id}:{uid}", not_before=starts_at, broadcast_id=b.id,
                   priority=BULK) for uid in ids[i:i + BATCH]])
    b.status, b.urgent, b.scheduled_for, b.starts_at = "queued", urgent, at, starts_at
    b.total, b.confirmed_at = written, now
    b.progress_chat_id, b.progress_message_id = progress_chat_id, progress_message_id
    label, actor_id = actor_label(person)
    uow.audit.record(label, "broadcast.confirm", f"broadcast:{b.id}", actor_user_id=actor_id, recipients=written,
                     urgent=urgent, starts_at=starts_at.isoformat(), audience=b.audience)
    return await draft_of(uow, b)


async def cancel(uow: UnitOfWork, person: Person, broadcast_id: int, *, now: datetime) -> Cancelled:
    """A draft is dropped; a queued broadcast's unsent rows are cancelled (in-flight ones finish)."""
    require_hr(person)
    b = await load_broadcast(uow, broadcast_id, for_update=True)
    if b.status not in ("draft", "queued"):
        raise InvalidInput("bc.err.over")
    was = b.status
    n = await uow.broadcasts.cancel_pending(b.id, now) if was == "queued" else 0
    counts = (await uow.broadcasts.counts([b.id]))[b.id]
    started = any(counts.get(s) for s in ("sent", "failed", "unreachable", "sending"))
    b.status = "cancelled"
    if not started:  # nothing went out: no delivery report will follow
        b.finished_at, b.final_counts = now, counts
    label, actor_id = actor_label(person)
    uow.audit.record(label, "broadcast.cancel", f"broadcast:{b.id}", actor_user_id=actor_id, was=was, cancelled=n)
    return Cancelled(b.id, n, started)


def check(person: Person) -> None:
    """May this person broadcast at all (before anything is asked)?"""
    require_hr(person)
