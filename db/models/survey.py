"""Public-service survey (IKM, PermenPANRB 14/2017): service units and their responses."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class ServiceUnit(Base):
    """A counter or office that citizens rate, e.g. DUKCAPIL-01; its QR code carries the code."""

    __tablename__ = "service_units"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)  # A-Z 0-9 -, upper case
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def _score_checks() -> tuple[CheckConstraint, ...]:
    return tuple(CheckConstraint(f"q{i} BETWEEN 1 AND 4", name=f"q{i}_range") for i in range(1, 10))


class SurveyResponse(Base):
    """One person's nine answers (q1…q9 in ELEMENTS order) for one unit on one local day.

    `local_date` is the deployment's calendar day; the unique key makes "one response per
    person per unit per day" hold under concurrent submits. `user_id` is kept only for that
    rule: reports show aggregates and anonymous comments.
    """

    __tablename__ = "survey_responses"
    __table_args__ = (
        UniqueConstraint("unit_id", "user_id", "local_date"),
        Index("ix_survey_responses_unit_date", "unit_id", "local_date"),
        *_score_checks(),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("service_units.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    local_date: Mapped[date] = mapped_column(Date)
    q1: Mapped[int] = mapped_column(SmallInteger)
    q2: Mapped[int] = mapped_column(SmallInteger)
    q3: Mapped[int] = mapped_column(SmallInteger)
    q4: Mapped[int] = mapped_column(SmallInteger)
    q5: Mapped[int] = mapped_column(SmallInteger)
    q6: Mapped[int] = mapped_column(SmallInteger)
    q7: Mapped[int] = mapped_column(SmallInteger)
    q8: Mapped[int] = mapped_column(SmallInteger)
    q9: Mapped[int] = mapped_column(SmallInteger)
    comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    @property
    def answers(self) -> tuple[int, ...]:
        return (self.q1, self.q2, self.q3, self.q4, self.q5, self.q6, self.q7, self.q8, self.q9)
