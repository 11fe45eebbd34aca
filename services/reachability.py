"""Notices that could not reach a person get one more chance when that person next writes.

Telegram refuses a bot's message (403) to someone who blocked it or never opened it — a staff
member granted a role before their first message is the usual case. The outbox marks the
row 'unreachable' and the person unreachable. When they write again, what is still worth
saying is queued again, once:

- the notice is at most REQUEUE_DAYS old (older news has been overtaken: the desk and
  /aduanku show the current state);
- a notice about a report is relevant while that report is still open (not closed, rejected
  or merged); the rating request while the report is unrated;
- never twice: a re-queued row is marked, and a second 403 ends it for good;
- at most REQUEUE_MAX rows, newest first, so a long absence does not become a flood.

Only people flagged unreachable pay for this (users.identify calls it when the flag clears).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db.uow import UnitOfWork
from services.complaints.rules import OPEN

REQUEUE_DAYS = 7
REQUEUE_MAX = 20
RATING_TEMPLATE = "cx.rate"


def still_relevant(template: str, params: dict[str, object], report: tuple[str, int | None] | None) -> bool:
    """The rule for one missed notice; `report` is (status, rating) of the report it is about, if any."""
    if template.startswith("rm."):
        return False  # a reminder is about a moment that has passed; the next occasion reaches them
    if not template.startswith("cx.") or "id" not in params:
        return True  # not about a report: the age limit alone decides
    if report is None:
        return False  # the report is gone
    status, rating = report
    if template == RATING_TEMPLATE:
        return rating is None
    return status in OPEN


async def requeue_missed(uow: UnitOfWork, user_id: int, *, now: datetime) -> int:
    """Put the person's still-relevant missed notices back in the queue; returns how many."""
    missed = await uow.outbox.missed(user_id, since=now - timedelta(days=REQUEUE_DAYS), limit=REQUEUE_MAX)
    if not missed:
        return 0
    ids = [int(p["id"]) for _, t, p in missed if t.startswith("cx.") and str(p.get("id", "")).isdigit()]
    reports = await uow.complaints.status_and_rating(ids)
    again = [row_id for row_id, template, params in missed
             if still_relevant(template, params, reports.get(int(params["id"])) if "id" in params else None)]
    return await uow.outbox.requeue(again, now)
