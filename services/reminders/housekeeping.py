"""Housekeeping next to the outbox maintenance: expired activation codes, stale drafts, old marks."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from db.engine import Database
from services.settings import Settings

log = logging.getLogger(__name__)

STALE_DRAFT = timedelta(days=30)  # a conversation left mid-flow this long is not coming back
KEEP_MARKS = timedelta(days=120)  # far beyond any occasion's catch-up window


async def housekeeping(db: Database, settings: Settings, now: datetime) -> None:
    async with db.uow() as uow:
        codes = await uow.reminders.expire_codes(now)
        drafts = await uow.reminders.clear_stale_drafts(now - STALE_DRAFT)
        marks = await uow.reminders.forget_marks_before(now - KEEP_MARKS)
        await uow.commit()
    if codes or drafts or marks:
        log.info("housekeeping: %d expired activation code(s) deleted, %d stale draft(s) cleared, "
                 "%d old reminder mark(s) forgotten", codes, drafts, marks)
