from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, case, func, insert, select, update
from sqlalchemy.orm.util import identity_key

from db.dialect import lock_rows
from db.models import User
from db.repositories.base import Repo

# What handling an update needs to know about its sender.
SENDER_COLUMNS = (
    User.id, User.chat_id, User.external_id, User.name, User.username, User.role, User.agency_id,
    User.employee_id, User.locale, User.language_code, User.state, User.state_data, User.unreachable,
    User.erased, User.last_seen_at,
)

_USERS = cast(Table, User.__table__)  # declared as a FromClause; a mapped class's table is a Table
# Built once: a statement made per call costs its cache key and ORM bookkeeping every time.
_INSERT = insert(_USERS).returning(_USERS.c.id)
_UPDATES: dict[frozenset[str], Any] = {}


def _update_of(columns: frozenset[str]) -> Any:
    """UPDATE users SET <columns> WHERE id = :_uid, one statement per set of columns."""
    if columns not in _UPDATES:
        _UPDATES[columns] = (update(_USERS).where(_USERS.c.id == bindparam("_uid"))
                             .values({c: bindparam(c) for c in sorted(columns)}))
    return _UPDATES[columns]


class UserRepo(Repo):
    async def sender(self, channel: str, external_id: int, *, lock: bool = False) -> Row[Any] | None:
        stmt = select(*SENDER_COLUMNS).where(User.channel == channel, User.external_id == external_id)
        if lock:
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).first()

    async def by_external(self, channel: str, external_id: int) -> User | None:
        stmt = select(User).where(User.channel == channel, User.external_id == external_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def get(self, user_id: int) -> User | None:
        return await self.session.get(User, user_id)

    def add(self, user: User) -> User:
        self.session.add(user)
        return user

    async def with_role(self, roles: Sequence[str], agency_id: int | None = None, *,
                        reachable: bool = False) -> list[User]:
        stmt = select(User).where(User.role.in_(roles), User.erased.is_(False))
        if agency_id is not None:
            stmt = stmt.where(User.agency_id == agency_id)
        if reachable:  # someone who blocked the bot would never get the notice
            stmt = stmt.where(User.unreachable.is_(False))
        return list((await self.session.execute(stmt.order_by(User.id))).scalars())

    async def staffed_agencies(self, role: str) -> set[int]:
        """Agencies with at least one reachable, not erased user in `role`."""
        stmt = select(User.agency_id).where(
            User.role == role, User.agency_id.is_not(None), User.erased.is_(False), User.unreachable.is_(False),
        ).distinct()
        # The WHERE keeps NULLs out: the cast drops None from the column's type.
        return {cast(int, r[0]) for r in (await self.session.execute(stmt)).all()}

    async def create(self, values: dict[str, Any]) -> int:
        """A new person's row in one INSERT … RETURNING id (no ORM object: the hot path of /start)."""
        return int((await self.core(_INSERT, values)).scalar_one())

    async def update(self, user_id: int, **values: Any) -> None:
        """One UPDATE of the given columns: the per-update writes (seen, state, locale) stay one statement."""
        if self.session.identity_map.get(identity_key(User, user_id)) is not None:
            # A loaded row: the ORM keeps it in step.
            await self.session.execute(update(User).where(User.id == user_id).values(**values))
        else:
            await self.core(_update_of(frozenset(values)), {**values, "_uid": user_id})

    async def unlink_employee(self, employee_id: int, *, keep_user_id: int, asn_role: str,
                              citizen_role: str) -> bool:
        """Take the employee record from whoever else holds it (an ASN becomes a citizen again).

        True when someone held it.
        """
        res = await self.session.execute(
            update(User).where(User.employee_id == employee_id, User.id != keep_user_id)
            .values(employee_id=None, role=case((User.role == asn_role, citizen_role), else_=User.role))
            .returning(User.id))
        return res.first() is not None

    async def count_by_role(self) -> dict[str, int]:
        rows = (await self.session.execute(select(User.role, func.count()).group_by(User.role))).all()
        return {str(k): int(v) for k, v in rows}

    async def count_unreachable(self) -> int:
        stmt = select(func.count()).select_from(User).where(User.unreachable.is_(True))
        return int((await self.session.execute(stmt)).scalar_one())

    async def mark_unreachable(self, user_id: int) -> None:
        await self.session.execute(update(User).where(User.id == user_id).values(unreachable=True))

    async def count(self) -> int:
        return int((await self.session.execute(select(func.count(User.id)))).scalar_one())
