"""Reminders: what kinds a person switched off, and which scheduled notices are done.

A person without a `reminder_prefs` row for a kind gets it (reminders are on by default).
A `reminder_marks` row says a job has written every outbox row of one occasion (a training's
H-1, a vacancy's publication, a month's JP nudge), or dropped it with a reason: later runs
skip the occasion instead of re-checking thousands of dedupe keys every minute.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class ReminderPref(Base):
    __tablename__ = "reminder_prefs"
    __table_args__ = (UniqueConstraint("user_id", "kind"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # a registered ReminderKind.key (services.reminders.kinds)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReminderMark(Base):
    __tablename__ = "reminder_marks"
    key: Mapped[str] = mapped_column(String(120), primary_key=True)  # "tr:h1:12", "jp:2026-07"
    outcome: Mapped[str] = mapped_column(String(200))  # "sent 40" | "dropped: training started"
    done_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
