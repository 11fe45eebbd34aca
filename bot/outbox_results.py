"""What a send's outcome writes: the row's final status, a retry time, or a recipient given up on."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from db.repositories.outbox import Claimed
from db.uow import UnitOfWork

log = logging.getLogger("bot.outbox")  # the sender's log: one logger for the operator to follow

MAX_BACKOFF = 600.0  # a transient failure is retried at most 10 minutes later


@dataclass(frozen=True)
class Outcome:
    """What happened to one claimed row; written to the database after the send."""

    row: Claimed
    status: str  # sent | failed | unreachable | retry | rate_limited
    reason: str | None = None
    retry_after: float = 0.0


async def record(uow: UnitOfWork, outcomes: list[Outcome], now: datetime, *, max_attempts: int,
                 backoff_base: float) -> None:
    """Write each claimed row's result, in the caller's transaction (the sender commits)."""
    await uow.outbox.finish_sent([o.row.id for o in outcomes if o.status == "sent"], now)
    # 403s last: the give-up must not be overwritten by another row's result in this batch.
    for o in sorted(outcomes, key=lambda o: o.status == "unreachable"):
        row = o.row
        if o.status == "sent":
            continue
        if o.status == "failed":
            log.warning("outbox row %d failed: %s", row.id, o.reason)
            await uow.outbox.finish(row.id, "failed", now, o.reason)
        elif o.status == "unreachable":
            log.info("outbox row %d: user %d unreachable (%s)", row.id, row.user_id, o.reason)
            await uow.users.mark_unreachable(row.user_id)
            await uow.outbox.finish(row.id, "unreachable", now, o.reason)
            await uow.outbox.give_up_for_user(row.user_id, now)
        elif o.status == "rate_limited":
            await uow.outbox.retry_later(row.id, now + timedelta(seconds=o.retry_after), o.reason or "429",
                                         count_attempt=False)
        elif row.attempts >= max_attempts:
            reason = f"gave up after {row.attempts} attempts: {o.reason}"
            log.warning("outbox row %d failed: %s", row.id, reason)
            await uow.outbox.finish(row.id, "failed", now, reason)
        else:
            delay = min(backoff_base ** row.attempts, MAX_BACKOFF)
            await uow.outbox.retry_later(row.id, now + timedelta(seconds=delay), o.reason or "transient")
