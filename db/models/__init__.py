"""All tables. `load_all()` imports every module of this package, so Alembic's metadata and the
database (`db.engine.Database`) see a new feature's db/models/<feature>.py without an edit here.
The existing models are also re-exported by name below, for `from db.models import Complaint`
and for static tools; a new feature may import its models from its own module instead."""

from __future__ import annotations

import importlib
import pkgutil

from db.models.account import ActivationCode, LinkAttempt
from db.models.appraisal import Appraisal
from db.models.base import Base
from db.models.broadcasts import Broadcast
from db.models.complaints import (
    Complaint,
    ComplaintCounter,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintPreference,
)
from db.models.core import Agency, AuditLog, Employee, OutboxMessage, ProcessedUpdate, User
from db.models.imports import StagedImport
from db.models.jobs import JobRun, SchedulerLead
from db.models.reminders import ReminderMark, ReminderPref
from db.models.subscriptions import Subscription
from db.models.survey import ServiceUnit, SurveyResponse
from db.models.training import Enrolment, Training
from db.models.vacancies import Vacancy, VacancyApplication, VacancyDocument, VacancyResult, VacancyStage

__all__ = [
    "Base",
    "load_all",
    "ActivationCode",
    "Agency",
    "Appraisal",
    "AuditLog",
    "Broadcast",
    "Complaint",
    "ComplaintCounter",
    "ComplaintEvent",
    "ComplaintFollower",
    "ComplaintPreference",
    "Employee",
    "Enrolment",
    "JobRun",
    "LinkAttempt",
    "OutboxMessage",
    "ProcessedUpdate",
    "ReminderMark",
    "ReminderPref",
    "SchedulerLead",
    "ServiceUnit",
    "StagedImport",
    "Subscription",
    "SurveyResponse",
    "Training",
    "User",
    "Vacancy",
    "VacancyApplication",
    "VacancyDocument",
    "VacancyResult",
    "VacancyStage",
]


def load_all() -> list[str]:
    """Import every module of db.models (each registers its tables on `Base.metadata`); their names."""
    names = [f"{__name__}.{m.name}" for m in pkgutil.iter_modules(__path__)]
    for name in names:
        importlib.import_module(name)
    return names
