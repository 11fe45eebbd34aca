"""How complaint deadline reminders read to staff, at send time (catalog keys rm.cx.*, unchanged)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.complaints.callbacks import OpenCard
from handlers.dates import moment
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.render import escape
from services.complaints.reminders import ComplaintDueSoon, ComplaintOverdue


def _at(loc: str, iso: str, tz: str) -> str:
    return moment(loc, datetime.fromisoformat(iso), ZoneInfo(tz))


@renders(ComplaintDueSoon)
def complaint_due(loc: str, x: ComplaintDueSoon) -> Reply:
    text = t(loc, f"rm.cx.due.{x.stage}" if x.stage in ("response", "resolve") else "rm.cx.due.resolve",
             number=escape(x.number), due=_at(loc, x.due_at, x.tz))
    return Reply(text, [[Button(t(loc, "rm.btn.report"), OpenCard(x.complaint_id).pack())]])


@renders(ComplaintOverdue)
def complaint_overdue(loc: str, x: ComplaintOverdue) -> Reply:
    agency = escape(x.agency) if x.agency else t(loc, "rm.cx.unrouted")
    text = t(loc, f"rm.cx.over.{x.stage}" if x.stage in ("response", "resolve") else "rm.cx.over.resolve",
             number=escape(x.number), due=_at(loc, x.due_at, x.tz), agency=agency)
    return Reply(text, [[Button(t(loc, "rm.btn.report"), OpenCard(x.complaint_id).pack())]])


RENDERERS = (complaint_due, complaint_overdue)
