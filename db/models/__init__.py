"""All tables. Alembic's env imports this package so every model is registered."""

from db.models.base import Base
from db.models.core import Agency, AuditLog, Employee, OutboxMessage, ProcessedUpdate, User

__all__ = ["Agency", "AuditLog", "Base", "Employee", "OutboxMessage", "ProcessedUpdate", "User"]
