"""The scheduler's record for the operator: each job's last run, and which process leads.

Written by the scheduler (and `sapa jobs run`), read by `sapa jobs` in another process and by
the ops endpoint. Jobs still own no state: nothing here decides what a job does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.models.base import Base, UTCDateTime


class JobRun(Base):
    """The last run of one job: running (finished_at empty), ok or failed."""

    __tablename__ = "job_runs"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome: Mapped[str] = mapped_column(String(16))  # running | ok | failed
    error: Mapped[str | None] = mapped_column(Text)
    run_by: Mapped[str] = mapped_column(String(128))  # "scheduler host:pid" or "cli:<OS user>"


class SchedulerLead(Base):
    """The process leading the scheduler (one row, id 1), refreshed on every leadership check."""

    __tablename__ = "scheduler_lead"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))  # host:pid
    since: Mapped[datetime] = mapped_column(UTCDateTime)
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
