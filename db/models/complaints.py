"""Citizens' reports (pengaduan, aspirasi, permintaan informasi) and what happens to them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class Complaint(Base):
    """One report. The reporter link is dropped on erasure; the record stays."""

    __tablename__ = "complaints"
    __table_args__ = (
        Index("ix_complaints_agency_status", "agency_id", "status"),
        Index("ix_complaints_reporter_created", "reporter_id", "created_at"),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # BJB-2026-000123
    kind: Mapped[str] = mapped_column(String(16))  # pengaduan | aspirasi | informasi
    description: Mapped[str] = mapped_column(Text)
    photos: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"kind", "file_id"}]
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    address: Mapped[str | None] = mapped_column(String(300))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))  # None: HR routes it
    privacy: Mapped[str] = mapped_column(String(8), default="normal")  # normal | anonim | rahasia
    status: Mapped[str] = mapped_column(String(16), default="diterima")
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("complaints.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    response_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    resolve_due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # starts the reopen window
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    rating: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    rated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The officer who said "mine" at the desk (shown to colleagues, never to citizens).
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    info_requested_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # waits for the reporter's answer


class ComplaintEvent(Base):
    """A transition, answer or reply: who, when, what, and who may see it."""

    __tablename__ = "complaint_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    actor_role: Mapped[str] = mapped_column(String(16))  # citizen | officer | hr | system
    action: Mapped[str] = mapped_column(String(16))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str | None] = mapped_column(String(16))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))  # where it stood after
    note: Mapped[str | None] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(String(16))  # a coded choice: fixed | partly | not
    visibility: Mapped[str] = mapped_column(String(8), default="public")  # public | parties | staff


class ComplaintFollower(Base):
    __tablename__ = "complaint_followers"
    complaint_id: Mapped[int] = mapped_column(ForeignKey("complaints.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ComplaintCounter(Base):
    """The last sequence number handed out per year; one row, updated under its lock."""

    __tablename__ = "complaint_counters"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer, default=0)


class ComplaintPreference(Base):
    """A person's remembered privacy choice for their next report."""

    __tablename__ = "complaint_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    privacy: Mapped[str] = mapped_column(String(8), default="normal")
