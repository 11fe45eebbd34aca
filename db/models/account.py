"""Linking a chat account to an employee record: HR's activation codes and failed attempts.

A code is stored only as a salted hash; the plain code is shown once, to HR, when issued.
Failed attempts are counted per chat account (users.id: a private chat is one person).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class ActivationCode(Base):
    __tablename__ = "activation_codes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    salt: Mapped[str] = mapped_column(String(32))  # hex, one per code
    digest: Mapped[str] = mapped_column(String(64))  # hex scrypt(code, salt)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # set once: single use
    issued_by: Mapped[str] = mapped_column(String(64))  # the audit label of who issued it
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LinkAttempt(Base):
    """Failed linking attempts of one chat account; five lock linking for an hour."""

    __tablename__ = "link_attempts"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
