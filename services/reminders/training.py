"""Training reminders: H-1 and H-0 to participants, registration closing (48 h) to subscribers.

H-1 falls due at SAPA_REMINDER_HOUR local time the day before, H-0 at SAPA_REMINDER_MORNING_HOUR
on the day (or an hour before the start, if that is earlier). The occasion keys carry the start
day, so a training HR moves to another day is reminded again for the new day.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db.engine import Database
from db.models import Training
from db.uow import UnitOfWork
from services.notice import Notice
from services.reminders import audience
from services.reminders.core import CATCHUP, Occasion, Recipients, run_occasions
from services.reminders.kinds import TRAINING
from services.reminders.notices import RegistrationClosing, TrainingToday, TrainingTomorrow
from services.settings import Settings
from services.training.rules import unmet

CLOSING_NOTICE = timedelta(hours=48)
IN_IT = ("seat", "waiting", "attended")


def occasions_of(t: Training, settings: Settings) -> list[Occasion]:
    """The H-1 and H-0 occasions of one training."""
    tz = settings.tz
    day = t.starts_at.astimezone(tz).date()
    h0 = min(audience.at_local(day, settings.reminder_morning_hour, tz), t.starts_at - timedelta(hours=1))
    h1 = audience.at_local(day - timedelta(days=1), settings.reminder_hour, tz)
    return [
        Occasion(f"tr:h1:{t.id}:{day.isoformat()}", h1, min(h0, t.starts_at), "superseded by the day's reminder",
                 _participants(t, settings, TrainingTomorrow)),
        Occasion(f"tr:h0:{t.id}:{day.isoformat()}", h0, t.starts_at, "training already started",
                 _participants(t, settings, TrainingToday)),
    ]


def _participants(t: Training, settings: Settings, kind: type[TrainingTomorrow] | type[TrainingToday]) -> Recipients:
    tid, title, starts, place, url = t.id, t.title, t.starts_at.isoformat(), t.place, t.online_url

    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        off = await uow.reminders.switched_off(TRAINING)
        notice = kind(training_id=tid, title=title, starts_at=starts, place=place, online_url=url,
                      tz=settings.timezone)
        return [(u, notice) for u in await uow.reminders.seated_users(tid) if u not in off]
    return find


def closing_occasion(t: Training, settings: Settings) -> Occasion:
    closes = t.registration_closes_at
    return Occasion(f"tr:close:{t.id}:{closes.strftime('%Y%m%d%H%M')}", closes - CLOSING_NOTICE, closes,
                    "registration already closed", _eligible_not_in(t, settings))


def _eligible_not_in(t: Training, settings: Settings) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        fresh = await uow.trainings.get(t.id)
        if fresh is None or fresh.status != "open":
            return []
        subscribed = await audience.subscribed(uow, "training")
        inside = (await uow.reminders.enrolled([t.id], IN_IT))[t.id]
        candidates = [e for e in subscribed if e not in inside]
        recs = await audience.records(uow, candidates)
        names = await uow.trainings.agency_names()
        notice = RegistrationClosing(training_id=t.id, title=t.title, closes_at=t.registration_closes_at.isoformat(),
                                     starts_at=t.starts_at.isoformat(), tz=settings.timezone)
        return [(subscribed[e][0], notice) for e in sorted(candidates)
                if e in recs and not unmet(fresh, recs[e], names)]
    return find


async def training_reminders(db: Database, settings: Settings, now: datetime) -> None:
    async with db.uow() as uow:
        starting = await uow.reminders.trainings_starting(now - CATCHUP, now + timedelta(days=2))
        closing = await uow.reminders.trainings_closing(now - CATCHUP, now + CLOSING_NOTICE)
    occasions = [o for t in starting for o in occasions_of(t, settings)]
    occasions += [closing_occasion(t, settings) for t in closing]
    await run_occasions(db, settings, now, occasions)
