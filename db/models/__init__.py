"""All tables. Alembic's env imports this package so every model is registered."""

from db.models.base import Base
from db.models.complaints import (
    Complaint,
    ComplaintCounter,
    ComplaintEvent,
    ComplaintFollower,
    ComplaintPreference,
)
from db.models.core import Agency, AuditLog, Employee, OutboxMessage, ProcessedUpdate, User
from db.models.survey import ServiceUnit, SurveyResponse
from db.models.vacancies import Vacancy, VacancyApplication, VacancyDocument, VacancyResult, VacancyStage

__all__ = [
    "Agency", "AuditLog", "Base", "Complaint", "ComplaintCounter", "ComplaintEvent", "ComplaintFollower",
    "ComplaintPreference", "Employee", "OutboxMessage", "ProcessedUpdate", "ServiceUnit", "SurveyResponse", "User",
    "Vacancy", "VacancyApplication", "VacancyDocument", "VacancyResult", "VacancyStage",
]
