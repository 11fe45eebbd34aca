"""A running broadcast as its author follows it, its end, and delivery rates for a period.

The bot layer's progress task calls `due` every few seconds and edits the author's progress
message with what it gets: the counts are the outbox rows' own, so the message converges to
the database. When nothing is left to send it marks the broadcast done (`shown(final=True)`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo

from db.repositories.broadcasts import Undelivered as Undelivered  # re-exported for the views
from db.uow import UnitOfWork
from services.broadcasts.audience import CITIZEN_TOPIC
from services.errors import NotFound
from services.quiet_hours import QuietHours
from services.roles import Role, require_role
from services.users import Person

ETA_AFTER = 5.0  # seconds of sending before the measured rate is trusted over the configured one


@dataclass(frozen=True)
class Progress:
    id: int
    chat_id: int | None
    message_id: int | None
    locale: str | None
    language_code: str | None
    status: str  # queued | cancelled
    total: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int
    remaining: int  # pending + in flight
    eta_seconds: float
    held_until: datetime | None = None  # quiet hours began: the rest waits until then

    @property
    def finished(self) -> bool:
        return self.remaining == 0


@dataclass(frozen=True)
class DeliverySummary:
    broadcasts: int
    rows: int
    sent: int
    failed: int
    unreachable: int
    cancelled: int
    pending: int

    @property
    def delivered_rate(self) -> float:
        """Sent of those that reached a final state other than cancelled (0 when none did)."""
        tried = self.sent + self.failed + self.unreachable
        return self.sent / tried if tried else 0.0


async def due(uow: UnitOfWork, *, now: datetime, rate: float, quiet: QuietHours, tz: tzinfo) -> list[Progress]:
    """Every started broadcast whose final report is not out yet, with its counts now.

    A non-urgent broadcast still running when quiet hours begin has its unsent rows moved to
    the morning here (the sender knows nothing of broadcasts).
    """
    active = await uow.broadcasts.active(now)
    counts = await uow.broadcasts.counts([b.id for b in active])
    out = []
    for b in active:
        c = counts[b.id]
        remaining = c.get("pending", 0) + c.get("sending", 0)
        held = None
        if remaining and b.status == "queued" and not b.urgent and quiet.is_quiet(now, tz):
            held = quiet.release(now, tz)
            await uow.broadcasts.hold_pending(b.id, held)
        done = c.get("sent", 0) + c.get("failed", 0) + c.get("unreachable", 0)
        elapsed = (now - b.starts_at).total_seconds() if b.starts_at else 0.0
        speed = done / elapsed if elapsed >= ETA_AFTER and done else rate
        author = await uow.users.get(b.created_by) if b.created_by else None
        out.append(Progress(
            b.id, b.progress_chat_id, b.progress_message_id, author.locale if author else None,
            author.language_code if author else None, b.status, b.total, c.get("sent", 0), c.get("failed", 0),
            c.get("unreachable", 0), c.get("cancelled", 0), remaining,
            remaining / speed if speed > 0 else 0.0, held))
    return out


async def shown(uow: UnitOfWork, broadcast_id: int, *, message_id: int | None, now: datetime, final: bool) -> None:
    """The progress message was sent or edited; after the final one the broadcast is over."""
    b = await uow.broadcasts.get(broadcast_id, for_update=True)
    if b is None:
        return
    b.progress_message_id, b.progress_at = message_id or b.progress_message_id, now
    if final:
        b.finished_at = now
        b.final_counts = (await uow.broadcasts.counts([b.id]))[b.id]
        if b.status == "queued":
            b.status = "done"


# Telegram's and our own words for why a row was not delivered → a reason code HR reads translated
# (bc.why.<code>). First match wins; an error none of these knows is shown as it is.
REASONS: tuple[tuple[str, str], ...] = (
    ("blocked", "blocked"), ("deactivated", "deactivated"), ("chat not found", "no_chat"),
    ("can't initiate", "no_chat"), ("broadcast cancelled", "cancelled"), ("training moved", "cancelled"),
    ("gave up after", "gave_up"),
)


def reason_of(status: str, error: str | None) -> str | None:
    """The reason code of an undelivered row, or None when only the raw error can say."""
    low = (error or "").lower()
    for needle, code in REASONS:
        if needle in low:
            return code
    if status in ("unreachable", "cancelled", "pending", "sending"):
        return status  # the status says it: no error, or one we have no words for
    return None


async def undelivered(uow: UnitOfWork, person: Person, broadcast_id: int) -> list[Undelivered]:
    """Who did not get it and why, with their name, NIP, agency and Telegram id, so that HR can
    reach them another way (HR only: HR sees the full NIP)."""
    require_role(person.role, Role.HR)
    if await uow.broadcasts.get(broadcast_id) is None:
        raise NotFound("bc.err.not_found")
    return await uow.broadcasts.undelivered(broadcast_id)


async def delivery_summary(uow: UnitOfWork, person: Person, since: datetime, until: datetime) -> DeliverySummary:
    """Broadcasts confirmed in [since, until) and how their rows ended (HR only; for /statistik)."""
    require_role(person.role, Role.HR)
    n, c = await uow.broadcasts.summary(since, until)
    return DeliverySummary(n, sum(c.values()), c.get("sent", 0), c.get("failed", 0), c.get("unreachable", 0),
                           c.get("cancelled", 0), c.get("pending", 0) + c.get("sending", 0))


async def set_news(uow: UnitOfWork, person: Person, on: bool, *, now: datetime) -> bool:
    """A citizen's own opt-in to government news (anyone may choose it for themselves)."""
    await uow.broadcasts.set_opt_in(person.id, CITIZEN_TOPIC, on, now)
    return on


async def news(uow: UnitOfWork, person: Person) -> bool:
    return await uow.broadcasts.opted_in(person.id, CITIZEN_TOPIC)
