"""A unit of work: one session, its repositories, one commit decided by the caller."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Generic, TypeVar, cast, overload

from sqlalchemy.ext.asyncio import AsyncSession

from db.repositories.account import LinkingRepo
from db.repositories.agencies import AgencyRepo
from db.repositories.appraisal import AppraisalRepo
from db.repositories.appraisal_reminders import AppraisalReminderRepo
from db.repositories.audit import AuditRepo
from db.repositories.base import Repo
from db.repositories.broadcasts import BroadcastRepo
from db.repositories.complaints import ComplaintRepo
from db.repositories.complaints_stats import ComplaintStatsRepo
from db.repositories.employees import EmployeeRepo
from db.repositories.imports import StagedImportRepo
from db.repositories.jobs import JobRepo
from db.repositories.outbox import OutboxRepo
from db.repositories.reminders import ReminderRepo
from db.repositories.statistics import StatisticsRepo
from db.repositories.subscriptions import SubscriptionRepo
from db.repositories.survey import SurveyRepo
from db.repositories.training import TrainingRepo
from db.repositories.training_admin import TrainingAdminRepo
from db.repositories.training_reminders import TrainingReminderRepo
from db.repositories.updates import UpdateRepo
from db.repositories.users import UserRepo
from db.repositories.vacancies import VacancyRepo
from db.repositories.vacancy_admin import VacancyAdminRepo
from db.repositories.vacancy_reminders import VacancyReminderRepo

R = TypeVar("R", bound=Repo)


class Repository(Generic[R]):
    """A repository of the unit of work, made on first use: an update pays only for what it touches.

    A non-data descriptor: the first read stores the repository in the instance's `__dict__`,
    which then shadows the descriptor, so every later read is a plain attribute lookup.
    `feature=True` marks a repository a feature owns: its manifest must name it (`check_manifests`).
    """

    def __init__(self, kind: type[R], *, feature: bool = False) -> None:
        self.kind = kind
        self.feature = feature
        self.name = ""

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, uow: None, owner: type) -> Repository[R]: ...
    @overload
    def __get__(self, uow: UnitOfWork, owner: type) -> R: ...
    def __get__(self, uow: UnitOfWork | None, owner: type) -> Repository[R] | R:
        if uow is None:
            return self  # read on the class: the declaration, for check_manifests
        repo = self.kind(uow.session, uow.dialect)
        uow.__dict__[self.name] = repo
        return repo


class UnitOfWork:
    """Every repository is a typed attribute. The runtime's own come first; a feature's are
    declared here too (a type checker sees `uow.complaints` as a ComplaintRepo) and claimed by
    the feature's manifest, which `check_manifests` holds to these declarations.

    A new feature need not edit this file: `uow.get(ItsRepo)` is as typed and as lazy, and its
    manifest lists the repository all the same."""

    # The runtime's own.
    users = Repository(UserRepo)
    updates = Repository(UpdateRepo)
    outbox = Repository(OutboxRepo)
    agencies = Repository(AgencyRepo)
    employees = Repository(EmployeeRepo)
    audit = Repository(AuditRepo)
    jobs = Repository(JobRepo)
    # The features' (handlers/<feature>/__init__.py names each in its manifest).
    linking = Repository(LinkingRepo, feature=True)
    statistics = Repository(StatisticsRepo, feature=True)
    appraisals = Repository(AppraisalRepo, feature=True)
    appraisal_reminders = Repository(AppraisalReminderRepo, feature=True)
    broadcasts = Repository(BroadcastRepo, feature=True)
    complaints = Repository(ComplaintRepo, feature=True)
    complaint_stats = Repository(ComplaintStatsRepo, feature=True)
    imports = Repository(StagedImportRepo, feature=True)
    reminders = Repository(ReminderRepo, feature=True)
    subscriptions = Repository(SubscriptionRepo, feature=True)
    survey = Repository(SurveyRepo, feature=True)
    trainings = Repository(TrainingRepo, feature=True)
    training_admin = Repository(TrainingAdminRepo, feature=True)
    training_reminders = Repository(TrainingReminderRepo, feature=True)
    vacancies = Repository(VacancyRepo, feature=True)
    vacancy_admin = Repository(VacancyAdminRepo, feature=True)
    vacancy_reminders = Repository(VacancyReminderRepo, feature=True)

    def __init__(self, session: AsyncSession, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self._made: dict[type[Repo], Repo] = {}

    def get(self, kind: type[R]) -> R:
        """The unit of work's `kind` repository, made on first use and kept for the unit of work.

        A repository declared above is that same attribute (one instance, whichever way it is reached)."""
        made = self._made.get(kind)
        if made is None:
            name = _declared_names().get(kind)
            made = self._made[kind] = getattr(self, name) if name else kind(self.session, self.dialect)
        return cast(R, made)

    async def flush(self) -> None:
        await self.session.flush()

    async def commit(self) -> None:
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()


def declared_repositories(*, feature: bool) -> dict[str, type[Repo]]:
    """Name → class of the repositories UnitOfWork declares: the features' or the runtime's own."""
    return {name: d.kind for name, d in vars(UnitOfWork).items() if isinstance(d, Repository) and d.feature is feature}


@cache
def _declared_names() -> dict[type[Repo], str]:
    return {d.kind: name for name, d in vars(UnitOfWork).items() if isinstance(d, Repository)}


def check_manifests(claimed: Mapping[str, type[Repo]]) -> None:
    """Refuse features' manifests (repository name → class, as assembled) that disagree with the
    declarations: a declared name claimed with another class, a declared class claimed under
    another name, a declared feature repository no feature claims. Names and classes are then
    stated twice, and checked to agree, so that the unit of work stays statically typed while a
    feature still registers what it owns. A class UnitOfWork does not declare is one a feature
    reaches with `uow.get`: its manifest names it, under any name, once."""
    declared = declared_repositories(feature=True)
    known = _declared_names()
    wrong = sorted(f"{name!r}: manifest {kind.__name__}, UnitOfWork {getattr(declared.get(name), '__name__', None)}"
                   for name, kind in claimed.items()
                   if declared.get(name) is not kind and (name in declared or kind in known))
    through_get = [kind for name, kind in claimed.items() if name not in declared and kind not in known]
    wrong += sorted(f"{kind.__name__} claimed twice" for kind in set(through_get) if through_get.count(kind) > 1)
    unclaimed = sorted(set(declared) - set(claimed))
    if wrong or unclaimed:
        raise LookupError(f"features' repositories disagree with db/uow.py: {'; '.join(wrong) or '-'}; "
                          f"declared but claimed by no feature: {unclaimed or '-'}")
