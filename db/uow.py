"""A unit of work: one session, its repositories, one commit decided by the caller."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.repositories.agencies import AgencyRepo
from db.repositories.audit import AuditRepo
from db.repositories.complaints import ComplaintRepo
from db.repositories.employees import EmployeeRepo
from db.repositories.outbox import OutboxRepo
from db.repositories.survey import SurveyRepo
from db.repositories.updates import UpdateRepo
from db.repositories.users import UserRepo


class UnitOfWork:
    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self.users = UserRepo(session, dialect)
        self.updates = UpdateRepo(session, dialect)
        self.outbox = OutboxRepo(session, dialect)
        self.agencies = AgencyRepo(session, dialect)
        self.employees = EmployeeRepo(session, dialect)
        self.audit = AuditRepo(session, dialect)
        self.complaints = ComplaintRepo(session, dialect)
        self.survey = SurveyRepo(session, dialect)

    async def flush(self) -> None:
        await self.session.flush()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
