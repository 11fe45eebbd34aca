"""All tables. Alembic's env imports this package so every model is registered."""

from db.models.account import ActivationCode, LinkAttempt
from db.models.appraisal import Appraisal
from db.models.base import Base
from db.models.complaints import (
    Complaint,
    ComplaintCounter,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintPreference,
)
from db.models.core import Agency, AuditLog, Employee, OutboxMessage, ProcessedUpdate, User
from db.models.subscriptions import Subscription
from db.models.survey import ServiceUnit, SurveyResponse
from db.models.training import Enrolment, Training

__all__ = [
    "ActivationCode", "Agency", "Appraisal", "AuditLog", "Base", "Complaint", "ComplaintCounter", "ComplaintEvent", "ComplaintFollower",
    "ComplaintPreference", "Employee", "Enrolment", "LinkAttempt", "OutboxMessage", "ProcessedUpdate", "ServiceUnit", "Subscription",
    "SurveyResponse", "Training", "User",
]
