"""The JP nudge: from July, once a month, civil servants below their JP target for the year hear
how far they are and which open trainings fit them (PP 17/2020: at least 20 JP a year).

Training's: the JP counted are those of trainings attended, the target is training's yearly
development target, and the nudge suggests open trainings the person may join. Registered in
training's manifest as the reminder kind `KIND` ("jp", /pengingat) and its job.
"""

from __future__ import annotations

from datetime import date, datetime

from db.engine import Database
from db.uow import UnitOfWork
from services import civil_service as cs
from services.jobs import Job
from services.notice import Notice
from services.reminders import audience
from services.reminders.core import Occasion, Recipients, run_occasions
from services.reminders.kinds import Next, ReminderKind, Upcoming
from services.settings import Settings
from services.training.reminder_notices import JpNudge, Suggestion, dump_suggestions
from services.training.rules import unmet

FIRST_MONTH = 7
SUGGEST = 3
JP = "jp"  # the reminder kind's key, as stored: never renamed


def month_occasion(now: datetime, settings: Settings) -> Occasion | None:
    local = now.astimezone(settings.tz).date()
    if local.month < FIRST_MONTH:
        return None
    start = audience.at_local(date(local.year, local.month, 1), settings.reminder_morning_hour, settings.tz)
    nxt = date(local.year + (local.month == 12), local.month % 12 + 1, 1)
    return Occasion(f"jp:{local.year}-{local.month:02d}", start,
                    audience.at_local(nxt, settings.reminder_morning_hour, settings.tz), "the month is over",
                    _below_target(local.year, now, settings))


def _below_target(year: int, now: datetime, settings: Settings) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        people = await audience.linked(uow, JP)
        tz = settings.tz
        totals = await uow.training_reminders.jp_attended(audience.at_local(date(year, 1, 1), 0, tz),
                                                 audience.at_local(date(year + 1, 1, 1), 0, tz))
        recs = await audience.records(uow, list(people))
        trainings = await uow.training_reminders.open_trainings(now)
        names = await uow.trainings.agency_names() if trainings else {}
        inside = await uow.training_reminders.enrolled([t.id for t in trainings], ("seat", "waiting"))
        out: list[tuple[int, Notice]] = []
        for emp in sorted(people):
            rec = recs.get(emp)
            if rec is None:
                continue
            counted = cs.jp_counted(totals.get(emp, 0), rec.employment)
            target = cs.jp_target(rec.employment).target
            if counted >= target:
                continue
            fit = [t for t in trainings if emp not in inside[t.id] and not unmet(t, rec, names)][:SUGGEST]
            out.append((people[emp], JpNudge(year=year, counted=counted, target=target, tz=settings.timezone,
                                             trainings=dump_suggestions([Suggestion(t.id, t.title, t.jp, t.starts_at.isoformat())
                                                                                for t in fit]))))
        return out
    return find


async def jp_nudges(db: Database, settings: Settings, now: datetime) -> None:
    occasion = month_occasion(now, settings)
    if occasion is not None:
        await run_occasions(db, settings, now, [occasion])


def next_nudge(now: datetime, settings: Settings) -> datetime:
    """The first of the next month from July on (the job then checks the person is below target)."""
    local = now.astimezone(settings.tz).date()
    if local.month < FIRST_MONTH:
        day = date(local.year, FIRST_MONTH, 1)
    elif local.month == 12:
        day = date(local.year + 1, FIRST_MONTH, 1)
    else:
        day = date(local.year, local.month + 1, 1)
    return audience.at_local(day, settings.reminder_morning_hour, settings.tz)


async def upcoming(uow: UnitOfWork, employee_id: int, enabled: bool, now: datetime, settings: Settings) -> Upcoming:
    """/pengingat: the next month's nudge (no query: whether it comes depends on that month's JP)."""
    return Upcoming([Next(JP, next_nudge(now, settings), "")] if enabled else [])


KIND = ReminderKind(JP, (JpNudge.template,), order=40, icon="⏱", upcoming=upcoming)
JOB = Job("reminders_jp", jp_nudges, {"minutes": 15})
