"""The complaints' scheduled work: answers nobody disputed close themselves."""

from __future__ import annotations

import logging
from datetime import datetime

from db.engine import Database
from services.complaints.desk import close_answered
from services.jobs import Job
from services.settings import Settings

log = logging.getLogger(__name__)


async def close_answered_complaints(db: Database, settings: Settings, now: datetime) -> None:
    """Answers nobody disputed within the reopen window close themselves (and ask for a rating)."""
    async with db.uow() as uow:
        closed = await close_answered(uow, now=now, days=settings.complaint_reopen_days)
        await uow.commit()
    if closed:
        log.info("closed %d answered complaint(s) past the reopen window", closed)


JOBS = (Job("complaints_auto_close", close_answered_complaints, {"minutes": 10}),)
