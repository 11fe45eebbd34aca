"""XLSX exports for staff: a registered section's sheet for a period, audited.

Who may: the same as the statistics (HR and superadmins any agency, an officer their own).
Every export is recorded in the audit log: who, what, which period and agency, how many rows.
What each file holds (and what it never shows: an anonymous reporter, a respondent) is the
owning feature's rule, in its section's `Export.sheet`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services import xlsx
from services.errors import NotFound
from services.statistics.scope import Period
from services.statistics.section import Export as Offer
from services.statistics.section import Section
from services.statistics.summary import window
from services.users import Person

Translate = Callable[..., str]
MAX_ROWS = 50_000  # a bigger export is cut; the reply says so


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    rows: int
    truncated: bool
    caption: str  # the offer's catalog key for the file's caption


def offers(sections: Sequence[Section]) -> tuple[Offer, ...]:
    """The exports the sections offer, in the sections' order (one button each)."""
    return tuple(e for s in sections for e in s.exports)


def _filename(offer: Offer, period: Period, code: str | None) -> str:
    return f"SAPA-{offer.file_word}-{code or 'semua'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


async def export(uow: UnitOfWork, person: Person, what: str, period: Period, agency_id: int | None, *,
                 t: Translate, tz: ZoneInfo, now: datetime, sections: Sequence[Section]) -> Export:
    """The file's bytes (built off the event loop) and the audit row for it."""
    w = await window(uow, person, period, agency_id, now=now, tz=tz)
    offer = next((e for e in offers(sections) if e.what == what), None)
    if offer is None:  # forged button data, or an export no feature offers any more
        raise NotFound("stale.toast")
    sc = w.scope
    code = (await uow.statistics.agency_labels([sc.agency_id]))[sc.agency_id][0] if sc.agency_id else None
    sheet, n = await offer.sheet(uow, w, t, MAX_ROWS)
    content = await asyncio.to_thread(xlsx.workbook, [sheet], tz=tz)
    uow.audit.record(f"user:{person.id}", "stats.export", f"{what}:{period.token}", actor_user_id=person.id,
                     agency=code or "*", rows=n, truncated=n >= MAX_ROWS)
    return Export(_filename(offer, period, code), content, n, n >= MAX_ROWS, offer.caption)
