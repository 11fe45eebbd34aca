"""Numbered choices: what "1", "2"… stand for in a chat whose channel has no buttons to spare
(WhatsApp past 10 choices). Kept per person, so a restart or another webhook process still
understands the number; no personal data (the person is their users row)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime, utcnow


class NumberedChoices(Base):
    __tablename__ = "numbered_choices"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    data: Mapped[list[str]] = mapped_column(JSON, default=list)  # the button data behind 1, 2, …
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
