"""How urgent a report is at the desk: the deadline that applies now and the working days left.

Until the first response (diterima, diverifikasi) the first-response date applies; once an
agency holds it (didisposisikan, diproses) the resolution date. Answered reports wait for the
citizen, not for staff: they have no staff deadline. Working days skip weekends and Indonesian
public holidays (services/workdays.py), as the deadlines themselves did when they were set.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from db.models import Complaint
from services import workdays
from services.complaints.rules import Status

FIRST_RESPONSE = (Status.DITERIMA.value, Status.DIVERIFIKASI.value)
WAITING = (Status.DIJAWAB.value, Status.SELESAI.value)  # the citizen's turn
MAX_SPAN = 400  # days counted at most: a deadline years away or long past reads the same


def deadline_of(c: Complaint) -> datetime | None:
    if c.status in WAITING:
        return None
    return c.response_due_at if c.status in FIRST_RESPONSE else c.resolve_due_at


def _workdays_in(after: date, until: date) -> int:
    """Working days d with after < d <= until."""
    n, day, stop = 0, after, min(until, after + timedelta(days=MAX_SPAN))
    while day < stop:
        day += timedelta(days=1)
        n += workdays.is_workday(day)
    return n


def workdays_left(now: datetime, deadline: datetime, tz: ZoneInfo) -> int:
    """Working days left until `deadline` (0: it falls today); negative: how many working days
    it is overdue (at least 1 once it has passed, even over a weekend)."""
    today, due = now.astimezone(tz).date(), deadline.astimezone(tz).date()
    if deadline >= now:
        return _workdays_in(today, due)
    return -max(1, _workdays_in(due, today))
