"""Failed linking attempts per chat: five within an hour lock linking for that chat for an hour.

What counts: a well-formed NIP that is not on file, a contact whose phone does not match the
record, a wrong (or expired, or used) activation code. Typos that cannot be right (a NIP of 17
digits, a code with a letter outside the alphabet) are answered but not counted.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime, timedelta

from db.models import LinkAttempt
from db.uow import UnitOfWork
from services.errors import DomainError
from services.users import Person

MAX_FAILURES = 5
LOCK_FOR = timedelta(hours=1)
log = logging.getLogger(__name__)


class Locked(DomainError):
    """Linking is locked for this chat; `minutes` says how long is left."""

    def __init__(self, until: datetime, now: datetime) -> None:
        super().__init__("link.locked", minutes=max(1, math.ceil((until - now).total_seconds() / 60)))


class Refused(DomainError):
    """A counted failure; `left` is how many tries remain before the lock."""


async def check(uow: UnitOfWork, person: Person, now: datetime) -> None:
    row = await uow.linking.attempts(person.id)
    if row is not None and row.locked_until is not None and row.locked_until > now:
        raise Locked(row.locked_until, now)


async def fail(uow: UnitOfWork, person: Person, now: datetime, code: str, **params: object) -> Refused | Locked:
    """Count one failure; the error to raise: `code` with the tries left, or Locked at the fifth."""
    row = await uow.linking.attempts(person.id, lock=True)
    if row is None:
        row = uow.linking.add_attempts(LinkAttempt(user_id=person.id, failures=0))
    if row.first_failed_at is None or now - row.first_failed_at >= LOCK_FOR:
        row.failures, row.first_failed_at, row.locked_until = 0, now, None  # an old run of failures is forgotten
    row.failures += 1
    if row.failures >= MAX_FAILURES:
        row.locked_until = now + LOCK_FOR
        row.failures, row.first_failed_at = 0, None  # after the hour, five tries again
        uow.audit.record(f"user:{person.id}", "employee.link_locked", f"user:{person.id}", actor_user_id=person.id)
        log.info("linking locked for user %s until %s", person.id, row.locked_until.isoformat())
        await uow.flush()
        return Locked(row.locked_until, now)
    await uow.flush()
    return Refused(code, left=MAX_FAILURES - row.failures, **params)


async def succeed(uow: UnitOfWork, person: Person) -> None:
    await uow.linking.clear_attempts(person.id)
