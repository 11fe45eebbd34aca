"""A person's right to be forgotten (/hapusdata): their reports stay, attached to nobody."""

from __future__ import annotations

from datetime import datetime

from db.uow import UnitOfWork
from services.errors import Forbidden
from services.roles import STAFF, Role
from services.users import Person


async def erase(uow: UnitOfWork, person: Person, *, now: datetime) -> int:
    """Forget who the person is; their reports stay, attached to nobody. Returns how many."""
    if person.role in STAFF:
        raise Forbidden("cx.err.erase_staff")
    user = await uow.users.get(person.id)
    if user is None:
        return 0
    reports = await uow.complaints.forget_person(person.id)
    await uow.survey.forget_person(person.id)
    await uow.outbox.give_up_for_user(person.id, now)
    # The Telegram id is personal data too: a tombstone keeps the row's foreign keys valid,
    # and a later message from the same account starts a new, unrelated person.
    user.external_id = user.chat_id = -user.id
    user.name = user.username = user.phone = user.language_code = None
    user.employee_id, user.agency_id, user.role = None, None, Role.CITIZEN.value
    user.state, user.state_data, user.erased, user.last_seen_at = None, {}, True, now
    uow.audit.record(f"user:{person.id}", "user.erase", f"user:{person.id}", actor_user_id=person.id,
                     reports=reports)
    return reports
