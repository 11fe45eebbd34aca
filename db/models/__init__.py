"""All tables, imported explicitly so Alembic's metadata and a type checker see every model;
`from db.models import Complaint` works for each of them. A new model module is added here:
tests/test_architecture.py fails while a model in this package is missing from the list."""

from __future__ import annotations

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
