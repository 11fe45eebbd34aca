"""Trainings (pelatihan/diklat) and who is enrolled in them.

A person has at most one enrolment row per training (a unique constraint), whatever its
status: signing up again after cancelling reuses the row, so a double sign-up cannot exist
even when two requests race. `queued_at` orders the waiting list (re-joining goes to its end).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class Training(Base):
    __tablename__ = "trainings"
    __table_args__ = (Index("ix_trainings_upcoming", "status", "starts_at"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # the import's key: re-importing updates
    title: Mapped[str] = mapped_column(String(200))
    topic: Mapped[str] = mapped_column(String(300), default="")  # searched with the title
    organiser: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime)
    place: Mapped[str | None] = mapped_column(String(300))
    online_url: Mapped[str | None] = mapped_column(String(500))
    jp: Mapped[int] = mapped_column(Integer)
    quota: Mapped[int] = mapped_column(Integer)
    registration_closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | cancelled
    # Eligibility, as columns so that HR's spreadsheet maps onto them one to one; empty: anyone.
    min_golongan: Mapped[str | None] = mapped_column(String(8))
    max_golongan: Mapped[str | None] = mapped_column(String(8))
    jabatan_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)  # civil_service.JabatanKind values
    agency_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    employment: Mapped[str | None] = mapped_column(String(8))  # PNS | PPPK
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


# A seat's statuses; the person's list tags each in words (tr.tag.<status> in the catalogs).
ENROLMENT_STATUSES = ("seat", "waiting", "cancelled", "attended")


class Enrolment(Base):
    __tablename__ = "training_enrolments"
    __table_args__ = (
        UniqueConstraint("training_id", "employee_id"),
        Index("ix_training_enrolments_queue", "training_id", "status", "queued_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    training_id: Mapped[int] = mapped_column(ForeignKey("trainings.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # ENROLMENT_STATUSES
    # What the row was before HR marked it attended (seat | waiting | cancelled), or "walk_in" when
    # the marking made the row: undoing the attendance puts back exactly that. NULL on rows marked
    # before this column existed (services.training.attendance infers it) and on rows never attended.
    attended_from: Mapped[str | None] = mapped_column(String(16))
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
