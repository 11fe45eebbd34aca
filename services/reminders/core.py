"""One occasion, queued once: the rule every reminder job follows.

An occasion (the day before an event, a publication, one month's nudge) falls due at
`due` and is pointless from `pointless_at` on. Each run of a job looks at occasions that fell
due in the last CATCHUP (so two hours down are caught up) and for each one not yet marked:

- pointless by now (the event has started): marked "dropped: <reason>" and logged, once;
- else its recipients are computed and their outbox rows written in batches of BATCH, each
  batch (SAPA_REMINDER_BATCH) its own short transaction (a chat update never waits behind 20,000 inserts), with a
  dedupe key per person and occasion; the last batch commits together with the mark.

A crash or a second process mid-run redoes the occasion: the dedupe keys make the rows already
written a no-op, so nobody hears twice. Quiet hours hold a row until the morning (`not_before`).

An occasion may `recheck` its people in each batch's own transaction: the recipients were read
before the first batch, and by the time a later batch is written HR may have called the event
off or moved it, or a person given up their place (each of those cancels the rows already queued,
in its own transaction; the recheck keeps the rows not yet written from arriving after it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from db.engine import Database
from db.repositories.outbox import Queued
from db.uow import UnitOfWork
from services.notice import Notice
from services.settings import Settings

log = logging.getLogger(__name__)

BATCH = 100
BREATHE = 0.002  # seconds between batches: chat updates waiting for the database go first
CATCHUP = timedelta(days=4)  # occasions that fell due longer ago are not looked at (> the 72 h notices)

Recipients = Callable[[UnitOfWork], Awaitable[list[tuple[int, Notice]]]]
# Of these user ids, who is still to be told and what (the notice built from the current row);
# None: the occasion is void (what it reminds of was called off or moved) and is dropped.
Recheck = Callable[[UnitOfWork, list[int]], Awaitable[list[tuple[int, Notice]] | None]]


@dataclass(frozen=True)
class Occasion:
    key: str  # the mark's key and the stem of each row's dedupe key: "<feature>:<occasion>:<id>:<day>"
    due: datetime
    pointless_at: datetime
    reason: str  # why it is dropped once pointless: "already started"
    recipients: Recipients = field(compare=False, repr=False)
    recheck: Recheck | None = field(default=None, compare=False, repr=False)
    void: str = "no longer due"  # the drop's reason when `recheck` finds the occasion void


@dataclass
class Outcome:
    queued: int = 0
    dropped: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


def dedupe_key(occasion_key: str, user_id: int) -> str:
    return f"rm:{occasion_key}:{user_id}"


def key_prefix(occasion_key: str) -> str:
    """What every row key of the occasion (or of the occasions whose keys start so) begins with."""
    return f"rm:{occasion_key}:"


async def run_occasions(db: Database, settings: Settings, now: datetime, occasions: Iterable[Occasion],
                        *, batch: int | None = None) -> Outcome:
    """Queue every due, unmarked occasion (see the module's docstring); returns what happened."""
    batch = batch or settings.reminder_batch or BATCH
    due = [o for o in occasions if o.due <= now and o.due > now - CATCHUP]
    out = Outcome()
    if not due:
        return out
    async with db.uow() as uow:
        marked = await uow.reminders.marked([o.key for o in due])
    for o in due:
        if o.key in marked:
            continue
        if now >= o.pointless_at:
            async with db.uow() as uow:
                made = await uow.reminders.mark(o.key, f"dropped: {o.reason}", now)
                await uow.commit()
            if made:
                log.info("reminder %s dropped: %s (due %s, now %s)", o.key, o.reason, o.due.isoformat(),
                         now.isoformat())
                out.dropped.append(o.key)
            continue
        added, finished = await _queue(db, settings, now, o, batch)
        out.queued += added
        (out.done if finished else out.dropped).append(o.key)
    return out


async def _queue(db: Database, settings: Settings, now: datetime, o: Occasion, batch: int) -> tuple[int, bool]:
    """(rows added, False when a recheck found the occasion void half-way and dropped it)."""
    async with db.uow() as uow:  # one read transaction, then the writes in their own
        people = await o.recipients(uow)
    not_before = settings.quiet.release(now, settings.tz)
    rows = [Queued(uid, notice, dedupe_key(o.key, uid), not_before) for uid, notice in people]
    added = 0
    for start in range(0, max(len(rows), 1), batch):
        chunk = rows[start:start + batch]
        last = start + batch >= len(rows)
        async with db.uow() as uow:
            if o.recheck is not None and chunk:
                fresh = await o.recheck(uow, [q.user_id for q in chunk])
                if fresh is None:
                    if await uow.reminders.mark(o.key, f"dropped: {o.void}", now):
                        log.info("reminder %s dropped after %d row(s): %s", o.key, added, o.void)
                    await uow.commit()
                    return added, False
                chunk = [Queued(uid, notice, dedupe_key(o.key, uid), not_before) for uid, notice in fresh]
            added += await uow.reminders.queue_rows(chunk, now)
            if last:
                await uow.reminders.mark(o.key, f"queued {len(rows)}", now)
            await uow.commit()
        if not last:
            await asyncio.sleep(BREATHE)
    if rows:
        log.info("reminder %s: %d row(s) queued (%d new)", o.key, len(rows), added)
    return added, True
