"""What an admin sees at /stats: people by role, the outbox by status, who blocked the bot."""

from __future__ import annotations

from dataclasses import dataclass

from db.uow import UnitOfWork
from services.roles import ADMINS, require_role
from services.users import Person


@dataclass(frozen=True)
class Stats:
    users_by_role: dict[str, int]
    outbox_by_status: dict[str, int]
    unreachable: int


async def stats(uow: UnitOfWork, person: Person) -> Stats:
    require_role(person.role, *ADMINS)
    return Stats(await uow.users.count_by_role(), await uow.outbox.counts(), await uow.users.count_unreachable())
