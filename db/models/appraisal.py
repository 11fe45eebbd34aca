"""Performance appraisal (SKP, PermenPANRB 6/2022): one row per employee and period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, SmallInteger, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class Appraisal(Base):
    """An SKP period of one civil servant, as BKPSDM's spreadsheet (e-Kinerja export) says.

    `period` is the label ("2026" annual, "2026-S2", "2026-Q4"); `year` repeats its year so
    history can be ordered without parsing. Ratings and predikat are the values of
    services.civil_service.Rating / Predikat; `deadline` is the end of the due day in the
    deployment's zone, stored in UTC; `missing` is a list of short texts.
    """

    __tablename__ = "appraisals"
    __table_args__ = (UniqueConstraint("employee_id", "period"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(SmallInteger)
    period: Mapped[str] = mapped_column(String(16))
    stage: Mapped[str] = mapped_column(String(16))
    result_rating: Mapped[str | None] = mapped_column(String(16))
    behaviour_rating: Mapped[str | None] = mapped_column(String(16))
    predikat: Mapped[str | None] = mapped_column(String(16))
    deadline: Mapped[datetime | None] = mapped_column(UTCDateTime)
    missing: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
