"""SKP deadline reminders: N days before each deadline HR imported (SAPA_SKP_REMINDER_DAYS,
default 7 and 1), at the morning hour, to those whose period is not complete.

Occasions group the appraisals sharing a period label and a deadline (an import usually
sets one deadline for everybody). A reminder is pointless once the next, closer one is due,
or the deadline has passed. Periods HR made mandatory (SAPA_SKP_MANDATORY) reach people who
switched SKP reminders off, and say so; with "all", the SKP kind cannot be switched off at all.
Registered in appraisal's manifest: the reminder kind `KIND` ("skp", /pengingat), its notices
and the job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db.engine import Database
from db.models import Appraisal
from db.uow import UnitOfWork
from services.appraisal.status import is_final
from services.jobs import Job
from services.notice import Notice
from services.reminders import audience
from services.reminders.core import CATCHUP, Occasion, Recipients, run_occasions
from services.reminders.kinds import Next, ReminderKind, Upcoming
from services.settings import Settings

SKP = "skp"  # the reminder kind's key, as stored: never renamed


# Templates keep the reminders' names (rm.skp…): queued rows carry them.
class SkpDeadline(Notice, template="rm.skp"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    appraisal_id: int
    period: str
    deadline_at: str
    tz: str
    days: int
    missing: str  # one item a line, as HR's import wrote them


class SkpMandatory(SkpDeadline, template="rm.skp.must"):
    """A deadline of a period HR made mandatory: sent even to those who switched SKP off.

    The same fields as SkpDeadline; its own template, so switching SKP off never cancels it."""


def mandatory(raw: str, period: str) -> bool:
    """Is the SKP period `period` one HR made mandatory (SAPA_SKP_MANDATORY: "all" or labels)?"""
    labels = {p.strip().lower() for p in raw.split(",") if p.strip()}
    return "all" in labels or period.strip().lower() in labels


def all_mandatory(raw: str) -> bool:
    return "all" in {p.strip().lower() for p in raw.split(",")}


def skp_offsets(raw: str) -> tuple[int, ...]:
    """"7,1" → (7, 1): days before a deadline, largest first, no repeats."""
    return tuple(sorted({int(p) for p in raw.split(",") if p.strip()}, reverse=True))


def due_times(deadline: datetime, settings: Settings) -> list[tuple[int, datetime]]:
    """(days before, when the reminder falls due), farthest first."""
    day = deadline.astimezone(settings.tz).date()
    return [(d, audience.at_local(day - timedelta(days=d), settings.reminder_morning_hour, settings.tz))
            for d in skp_offsets(settings.skp_reminder_days)]


def occasions_for(group: list[Appraisal], settings: Settings) -> list[Occasion]:
    first = group[0]
    assert first.deadline is not None
    times = due_times(first.deadline, settings)
    out = []
    for i, (days, due) in enumerate(times):
        pointless = times[i + 1][1] if i + 1 < len(times) else first.deadline
        out.append(Occasion(f"skp:{first.period}:{first.deadline.strftime('%Y%m%d%H%M')}:{days}", due,
                            min(pointless, first.deadline), "a closer reminder or the deadline came first",
                            _incomplete([a.id for a in group], days, settings)))
    return out


def _incomplete(ids: list[int], days: int, settings: Settings) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        everyone = await audience.linked(uow)
        off = await uow.reminders.switched_off(SKP)
        out: list[tuple[int, Notice]] = []
        for a in await uow.appraisal_reminders.appraisals(ids):
            if a.deadline is None or is_final(a) or a.employee_id not in everyone:
                continue
            user_id, must = everyone[a.employee_id], mandatory(settings.skp_mandatory, a.period)
            if user_id in off and not must:
                continue
            kind = SkpMandatory if must else SkpDeadline
            out.append((user_id, kind(appraisal_id=a.id, period=a.period, deadline_at=a.deadline.isoformat(),
                                      tz=settings.timezone, days=days, missing="\n".join(str(m) for m in a.missing or []))))
        return out
    return find


async def skp_reminders(db: Database, settings: Settings, now: datetime) -> None:
    horizon = max(skp_offsets(settings.skp_reminder_days), default=0) + 1
    async with db.uow() as uow:
        rows = await uow.appraisal_reminders.appraisals_due(now - CATCHUP, now + timedelta(days=horizon))
    groups: dict[tuple[str, datetime], list[Appraisal]] = {}
    for a in rows:
        assert a.deadline is not None
        groups.setdefault((a.period, a.deadline), []).append(a)
    await run_occasions(db, settings, now, [o for g in groups.values() for o in occasions_for(g, settings)])


async def upcoming(uow: UnitOfWork, employee_id: int, enabled: bool, now: datetime, settings: Settings) -> Upcoming:
    """/pengingat: the person's SKP reminders to come (a mandatory period's even when switched off),
    and which of their periods HR made mandatory."""
    items: list[Next] = []
    periods: list[str] = []
    for a in await uow.appraisal_reminders.deadlines_to_come(employee_id, now):
        if is_final(a) or a.deadline is None:
            continue
        must = mandatory(settings.skp_mandatory, a.period)
        if must:
            periods.append(a.period)
        if enabled or must:
            items += [Next(SKP, when, a.period, must) for _, when in due_times(a.deadline, settings) if when > now]
    return Upcoming(items, periods)


def _locked(settings: Settings) -> bool:
    return all_mandatory(settings.skp_mandatory)


# A mandatory period's reminder (SkpMandatory) is not the kind's: switching SKP off never cancels it.
KIND = ReminderKind(SKP, (SkpDeadline.template,), order=30, icon="📋", upcoming=upcoming, locked=_locked)
JOB = Job("reminders_skp", skp_reminders, {"minutes": 5})
