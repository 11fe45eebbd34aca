"""A unit of work: one session, its repositories, one commit decided by the caller."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.repositories.agencies import AgencyRepo
from db.repositories.audit import AuditRepo
from db.repositories.base import Repo
from db.repositories.employees import EmployeeRepo
from db.repositories.jobs import JobRepo
from db.repositories.outbox import OutboxRepo
from db.repositories.updates import UpdateRepo
from db.repositories.users import UserRepo

NO_FEATURES: Mapping[str, type[Repo]] = MappingProxyType({})


class UnitOfWork:
    """The runtime's own repositories are attributes; a feature's (named in its manifest, e.g.
    `uow.complaints`) are made on first use, so an update pays only for what it touches."""

    def __init__(self, session: AsyncSession, dialect: str, repositories: Mapping[str, type[Repo]] = NO_FEATURES,
                 ) -> None:
        self.session = session
        self.dialect = dialect
        self.users = UserRepo(session, dialect)
        self.updates = UpdateRepo(session, dialect)
        self.outbox = OutboxRepo(session, dialect)
        self.agencies = AgencyRepo(session, dialect)
        self.employees = EmployeeRepo(session, dialect)
        self.audit = AuditRepo(session, dialect)
        self.jobs = JobRepo(session, dialect)
        self._features = repositories

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes not set in __init__: a feature's repository, made once.
        kind = self.__dict__.get("_features", NO_FEATURES).get(name)
        if kind is None:
            raise AttributeError(f"no repository {name!r}: is it in its feature's manifest?")
        repo = kind(self.session, self.dialect)
        setattr(self, name, repo)
        return repo

    async def flush(self) -> None:
        await self.session.flush()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()
