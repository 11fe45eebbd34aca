"""What an admin sees at /stats: people by role, the outbox by status, who blocked the bot."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from db.models import OutboxMessage, User
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
    by_role = dict((await uow.session.execute(select(User.role, func.count()).group_by(User.role))).all())
    unreachable = (await uow.session.execute(
        select(func.count()).select_from(User).where(User.unreachable.is_(True)))).scalar_one()
    by_status = dict((await uow.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status))).all())
    return Stats({str(k): int(v) for k, v in by_role.items()}, {str(k): int(v) for k, v in by_status.items()},
                 int(unreachable))
