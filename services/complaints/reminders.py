"""Complaint deadlines as reminders: the agency's officers hear when a report has one working day
left; once it is overdue, HR hears (and the agency's head, where their account is recorded).

The deadline that counts is the first response's while a report waits to be verified, then
the resolution's (services.complaints.rules). The auto-close of answered reports stays in
services.complaints.jobs. An unrouted report (no agency yet) is HR's to act on, so HR gets its
one-day reminder.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from db.engine import Database
from db.uow import UnitOfWork
from services.complaints.rules import WORKING, Status
from services.jobs import Job
from services.notice import Notice
from services.reminders.core import Occasion, Recipients, run_occasions
from services.roles import Role
from services.settings import Settings
from services.workdays import is_workday

RESPONSE_STAGE = (Status.DITERIMA, Status.DIVERIFIKASI)
NEVER = datetime.max.replace(tzinfo=ZoneInfo("UTC"))


# Their templates keep the reminders' names (rm.cx.*): queued rows carry them.
class ComplaintDueSoon(Notice, template="rm.cx.due"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    complaint_id: int
    number: str
    due_at: str
    tz: str
    stage: str  # response | resolve


class ComplaintOverdue(Notice, template="rm.cx.overdue"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    complaint_id: int
    number: str
    due_at: str
    tz: str
    stage: str
    agency: str | None


def last_day_before(due_day: date) -> date:
    """The working day before `due_day`: from its morning on, one working day is left."""
    day = due_day - timedelta(days=1)
    while not is_workday(day):
        day -= timedelta(days=1)
    return day


def occasions_of(row: tuple[Any, ...], settings: Settings) -> list[Occasion]:
    cid, number, status, agency_id, response_due, resolve_due = row
    stage = "response" if status in RESPONSE_STAGE else "resolve"
    due = response_due if stage == "response" else resolve_due
    tz = settings.tz
    day = due.astimezone(tz).date()
    warn = datetime.combine(last_day_before(day), datetime.min.time(), tzinfo=tz).replace(
        hour=settings.reminder_morning_hour)
    stem = f"{cid}:{stage}:{day.isoformat()}"
    soon = ComplaintDueSoon(complaint_id=cid, number=number, due_at=due.isoformat(), tz=settings.timezone,
                            stage=stage)
    return [
        Occasion(f"cx:due:{stem}", warn, due, "already overdue", _officers(agency_id, soon)),
        Occasion(f"cx:over:{stem}", due, NEVER, "", _escalation(cid, number, agency_id, due, stage, settings)),
    ]


def _officers(agency_id: int | None, notice: Notice) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        staff = await uow.reminders.staff([Role.OFFICER.value, Role.HR.value])
        if agency_id is None:
            return [(u, notice) for u, role, _ in staff if role == Role.HR]
        return [(u, notice) for u, role, a in staff if role == Role.OFFICER and a == agency_id]
    return find


def _escalation(cid: int, number: str, agency_id: int | None, due: datetime, stage: str,
                settings: Settings) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        agency = await uow.agencies.get(agency_id) if agency_id is not None else None
        notice = ComplaintOverdue(complaint_id=cid, number=number, due_at=due.isoformat(), tz=settings.timezone,
                                  stage=stage, agency=agency.name if agency else None)
        users = [u for u, role, _ in await uow.reminders.staff([Role.HR.value]) if role == Role.HR]
        if agency is not None and agency.head_telegram_id:
            users += list((await uow.reminders.users_by_telegram_ids([agency.head_telegram_id])).values())
        return [(u, notice) for u in sorted(set(users))]
    return find


async def complaint_reminders(db: Database, settings: Settings, now: datetime) -> None:
    async with db.uow() as uow:
        rows = await uow.complaints.complaints_in([s.value for s in WORKING])
    await run_occasions(db, settings, now, [o for r in rows for o in occasions_of(r, settings)])


JOBS = (Job("complaints_deadline_reminders", complaint_reminders, {"minutes": 5}),)
