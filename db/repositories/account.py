"""Activation codes and failed linking attempts: queries only, never commits."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from db.dialect import lock_rows
from db.models import ActivationCode, LinkAttempt, User
from db.repositories.base import Repo


class LinkingRepo(Repo):
    def add_code(self, code: ActivationCode) -> ActivationCode:
        self.session.add(code)
        return code

    async def drop_unused_codes(self, employee_id: int) -> int:
        """A new code replaces the ones HR issued before and nobody used."""
        res = await self.session.execute(
            delete(ActivationCode).where(ActivationCode.employee_id == employee_id, ActivationCode.used_at.is_(None))
            .returning(ActivationCode.id))
        return len(res.all())

    async def codes_of(self, employee_id: int, limit: int = 20) -> list[ActivationCode]:
        """The employee's recent codes (used and expired too, to say why one no longer works), locked."""
        stmt = (select(ActivationCode).where(ActivationCode.employee_id == employee_id)
                .order_by(ActivationCode.id.desc()).limit(limit))
        return list((await self.session.execute(lock_rows(self.dialect, stmt))).scalars())

    async def holder(self, employee_id: int) -> User | None:
        """The chat account the employee record is linked to, if any."""
        stmt = select(User).where(User.employee_id == employee_id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def use_code(self, code_id: int, now: datetime) -> bool:
        """Mark a code used; False when another update used it first."""
        res = await self.session.execute(
            update(ActivationCode).where(ActivationCode.id == code_id, ActivationCode.used_at.is_(None))
            .values(used_at=now).returning(ActivationCode.id))
        return res.first() is not None

    async def attempts(self, user_id: int, *, lock: bool = False) -> LinkAttempt | None:
        stmt = select(LinkAttempt).where(LinkAttempt.user_id == user_id)
        if lock:
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    def add_attempts(self, row: LinkAttempt) -> LinkAttempt:
        self.session.add(row)
        return row

    async def clear_attempts(self, user_id: int) -> None:
        await self.session.execute(delete(LinkAttempt).where(LinkAttempt.user_id == user_id))
