"""HR's broadcasts (/umumkan): what is said, to whom, and where its progress is shown.

Each recipient's copy is an outbox row carrying `broadcast_id`; the counts of a broadcast are
counts of those rows, so the progress message and the database cannot disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class Broadcast(Base):
    __tablename__ = "broadcasts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    # draft → queued (rows written; starts_at may be later: scheduled or quiet hours) → done | cancelled
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    body: Mapped[str] = mapped_column(Text)  # Telegram HTML of the safe subset, escaped
    attachment_kind: Mapped[str | None] = mapped_column(String(16))  # photo | document
    attachment_file_id: Mapped[str | None] = mapped_column(String(256))
    attachment_name: Mapped[str | None] = mapped_column(String(256))
    audience: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    urgent: Mapped[bool] = mapped_column(Boolean, default=False)
    scheduled_for: Mapped[datetime | None] = mapped_column(UTCDateTime)  # asked for by HR
    starts_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # after quiet hours
    total: Mapped[int] = mapped_column(Integer, default=0)  # rows written at confirmation
    progress_chat_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger)
    progress_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # The rows' statuses when it ended: sent rows are deleted after 30 days, the figures stay.
    final_counts: Mapped[dict[str, int] | None] = mapped_column(JSON)
