"""Open selection (seleksi terbuka): vacancies, their stages, applications, documents, results."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class Vacancy(Base):
    """A position open for selection. Requirements and the document checklist are data (JSON)
    so that HR can vary them per vacancy; services/vacancies/rules.py reads them."""

    __tablename__ = "vacancies"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    jabatan: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    kind: Mapped[str] = mapped_column(String(16))  # jpt | administrator | pengawas | jf
    requirements: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    documents: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    opens_at: Mapped[datetime] = mapped_column(UTCDateTime)
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # None: a draft HR is still writing; nobody but HR sees it. Set once, when HR publishes.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class VacancyStage(Base):
    """One stage of a vacancy's selection, in order; its results are public once published."""

    __tablename__ = "vacancy_stages"
    __table_args__ = (UniqueConstraint("vacancy_id", "position"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str | None] = mapped_column(String(32))  # a standard stage, translated; None: `name` as typed
    name: Mapped[str] = mapped_column(String(200))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VacancyApplication(Base):
    """One civil servant's application: draft (documents coming) → submitted, or withdrawn."""

    __tablename__ = "vacancy_applications"
    __table_args__ = (UniqueConstraint("vacancy_id", "employee_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    vacancy_id: Mapped[int] = mapped_column(ForeignKey("vacancies.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))  # who is told
    status: Mapped[str] = mapped_column(String(16), default="draft")  # draft | submitted | withdrawn
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VacancyDocument(Base):
    """A file for one checklist item, kept as Telegram's file id (the bot never stores the bytes)."""

    __tablename__ = "vacancy_documents"
    __table_args__ = (UniqueConstraint("application_id", "code"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("vacancy_applications.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(32))
    file_id: Mapped[str] = mapped_column(String(255))
    name: Mapped[str | None] = mapped_column(String(255))
    size: Mapped[int | None] = mapped_column(BigInteger)
    mime: Mapped[str | None] = mapped_column(String(100))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # HR's review: None (not yet), "accepted" or "rejected" (with the reason the applicant is told).
    # A new upload of the same item clears it: the review was of the old file.
    review: Mapped[str | None] = mapped_column(String(16))
    review_reason: Mapped[str | None] = mapped_column(String(500))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Set when the applicant replaced a rejected file after submitting (perbaikan berkas): HR sees the
    # file as corrected. An upload in a draft clears it. The replaced file's id is in the audit log.
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class VacancyResult(Base):
    """An applicant's result at one stage; `revision` counts corrections after publication."""

    __tablename__ = "vacancy_results"
    __table_args__ = (UniqueConstraint("application_id", "stage_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("vacancy_applications.id", ondelete="CASCADE"))
    stage_id: Mapped[int] = mapped_column(ForeignKey("vacancy_stages.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(16))  # lulus | tidak_lulus | menunggu
    score: Mapped[float | None] = mapped_column(Float)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
