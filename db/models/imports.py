"""A spreadsheet HR sent in the chat, between its dry run and the confirmation.

The file's bytes are not kept: on confirmation it is downloaded again by its file_id and must
have the same SHA-256 as the file the dry run read. The row goes when the import is done or
cancelled, and a job removes the ones left behind.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, BigId, UTCDateTime, utcnow


class StagedImport(Base):
    __tablename__ = "staged_imports"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str | None] = mapped_column(String(16))  # None: not known yet (asked)
    file_id: Mapped[str] = mapped_column(String(256))
    file_name: Mapped[str] = mapped_column(String(256))
    file_size: Mapped[int] = mapped_column(BigInteger)
    digest: Mapped[str | None] = mapped_column(String(64))  # SHA-256 of what the dry run read
    status: Mapped[str] = mapped_column(String(16), default="reading")  # reading|asking|planned|applying|stopping (Batal pressed)
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the dry run's counts
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
