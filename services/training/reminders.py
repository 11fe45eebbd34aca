"""Training reminders: H-1 and H-0 to participants, registration closing (48 h) to subscribers.

Registered in training's manifest: the reminder kind `KIND` (H-1/H-0, switched in /pengingat),
the subscription topic `TOPIC` (announcements, the closing notice; /langganan) and the job.

H-1 falls due at SAPA_REMINDER_HOUR local time the day before, H-0 at SAPA_REMINDER_MORNING_HOUR
on the day (or an hour before the start, if that is earlier). The occasion keys carry the start
day, so a training HR moves to another day is reminded again for the new day.

Rows already queued follow the training (each in the transaction that changes it):
- called off (`called_off`): every one still waiting is cancelled;
- a seat given up (`seat_given_up`): that person's H-1/H-0 are cancelled;
- registration closed early (`registration_closed`): "closing soon" rows are cancelled;
- edited (`follow_training`): rows of the old day (or the old registration deadline), and rows
  held past the moment they remind of, are cancelled; the others say the new time, place, link
  and title. Each batch the job writes rechecks the training and its seats (core's `recheck`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from db.engine import Database
from db.models import Training
from db.repositories.training_reminders import SeatsNow
from db.uow import UnitOfWork
from services.jobs import Job
from services.notice import Notice
from services.reminders import audience
from services.reminders.core import CATCHUP, Occasion, Recheck, Recipients, key_prefix, run_occasions
from services.reminders.kinds import Next, ReminderKind, Upcoming
from services.settings import Settings
from services.subscriptions import Topic
from services.training.reminder_notices import RegistrationClosing, TrainingToday, TrainingTomorrow
from services.training.rules import unmet

CLOSING_NOTICE = timedelta(hours=48)
IN_IT = ("seat", "waiting", "attended")
SHOWN = ("title", "starts_at", "place", "online_url", "registration_closes_at")  # a change queued rows follow
H1, H0, CLOSE = "h1", "h0", "close"  # the occasions' names in their keys: "tr:h1:<id>:<day>"
DayKind = type[TrainingTomorrow]  # or its subclass TrainingToday
DAY_KINDS: dict[str, DayKind] = {H1: TrainingTomorrow, H0: TrainingToday}
TRAINING = "training"  # the reminder kind's and the topic's key, as stored: never renamed


def _day(t: Training, tz: ZoneInfo) -> date:
    return t.starts_at.astimezone(tz).date()


def _closes(t: Training) -> str:
    return t.registration_closes_at.strftime("%Y%m%d%H%M")


def day_notice(kind: DayKind, t: Training | SeatsNow, tz: str) -> Notice:
    return kind(training_id=t.id, title=t.title, starts_at=t.starts_at.isoformat(), place=t.place,
                online_url=t.online_url, tz=tz)


def closing_notice(t: Training | SeatsNow, tz: str) -> Notice:
    return RegistrationClosing(training_id=t.id, title=t.title, closes_at=t.registration_closes_at.isoformat(),
                               starts_at=t.starts_at.isoformat(), tz=tz)


def occasions_of(t: Training, settings: Settings) -> list[Occasion]:
    """The H-1 and H-0 occasions of one training."""
    tz = settings.tz
    day = _day(t, tz)
    h0 = min(audience.at_local(day, settings.reminder_morning_hour, tz), t.starts_at - timedelta(hours=1))
    h1 = audience.at_local(day - timedelta(days=1), settings.reminder_hour, tz)
    found: dict[int, int] = {}  # user id → employee id, as the recipients' read found them: the recheck probes seats
    return [
        Occasion(f"tr:{H1}:{t.id}:{day.isoformat()}", h1, min(h0, t.starts_at), "superseded by the day's reminder",
                 _participants(t, settings, TrainingTomorrow, found),
                 _still_seated(t, settings, TrainingTomorrow, day, found), "training called off or moved"),
        Occasion(f"tr:{H0}:{t.id}:{day.isoformat()}", h0, t.starts_at, "training already started",
                 _participants(t, settings, TrainingToday, found),
                 _still_seated(t, settings, TrainingToday, day, found), "training called off or moved"),
    ]


def _participants(t: Training, settings: Settings, kind: DayKind, found: dict[int, int]) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        off = await uow.reminders.switched_off(TRAINING)
        notice = day_notice(kind, t, settings.timezone)
        seated = [(u, e) for u, e in await uow.training_reminders.seated_users(t.id) if u not in off]
        found.update(seated)
        return [(u, notice) for u, _ in seated]
    return find


def _still_seated(t: Training, settings: Settings, kind: DayKind, day: date, found: dict[int, int]) -> Recheck:
    async def check(uow: UnitOfWork, user_ids: list[int]) -> list[tuple[int, Notice]] | None:
        now = await uow.training_reminders.seats_now(t.id, [found[u] for u in user_ids if u in found])
        if now is None or now.status != "open" or now.starts_at.astimezone(settings.tz).date() != day:
            return None
        notice = day_notice(kind, now, settings.timezone)
        return [(u, notice) for u in user_ids if found.get(u) in now.seated]
    return check


def closing_occasion(t: Training, settings: Settings) -> Occasion:
    closes = t.registration_closes_at
    return Occasion(f"tr:{CLOSE}:{t.id}:{_closes(t)}", closes - CLOSING_NOTICE, closes,
                    "registration already closed", _eligible_not_in(t, settings), _still_closing(t, settings),
                    "training called off or its deadline moved")


def _eligible_not_in(t: Training, settings: Settings) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        fresh = await uow.trainings.get(t.id)
        if fresh is None or fresh.status != "open":
            return []
        subscribed = await audience.subscribed(uow, TOPIC)
        inside = (await uow.training_reminders.enrolled([t.id], IN_IT))[t.id]
        candidates = [e for e in subscribed if e not in inside]
        recs = await audience.records(uow, candidates)
        names = await uow.trainings.agency_names()
        notice = closing_notice(fresh, settings.timezone)
        return [(subscribed[e][0], notice) for e in sorted(candidates)
                if e in recs and not unmet(fresh, recs[e], names)]
    return find


def _still_closing(t: Training, settings: Settings) -> Recheck:
    async def check(uow: UnitOfWork, user_ids: list[int]) -> list[tuple[int, Notice]] | None:
        now = await uow.training_reminders.seats_now(t.id, [])
        if now is None or now.status != "open" or now.registration_closes_at != t.registration_closes_at:
            return None
        notice = closing_notice(now, settings.timezone)
        return [(u, notice) for u in user_ids]
    return check


async def training_reminders(db: Database, settings: Settings, now: datetime) -> None:
    async with db.uow() as uow:
        starting = await uow.training_reminders.trainings_starting(now - CATCHUP, now + timedelta(days=2))
        closing = await uow.training_reminders.trainings_closing(now - CATCHUP, now + CLOSING_NOTICE)
    occasions = [o for t in starting for o in occasions_of(t, settings)]
    occasions += [closing_occasion(t, settings) for t in closing]
    await run_occasions(db, settings, now, occasions)


async def upcoming(uow: UnitOfWork, employee_id: int, enabled: bool, now: datetime, settings: Settings) -> Upcoming:
    """/pengingat: the H-1 and H-0 of the person's seats to come."""
    if not enabled:
        return Upcoming()
    return Upcoming([Next(TRAINING, o.due, t.title, occasion=o.key.split(":")[1])
                     for t in await uow.training_reminders.seats_to_come(employee_id, now)
                     for o in occasions_of(t, settings) if o.due > now])


KIND = ReminderKind(TRAINING, (TrainingTomorrow.template, TrainingToday.template), order=10, icon="🎓",
                    occasions=(H1, H0), upcoming=upcoming)
# Announcements of trainings one may join; its default is "on". Off cancels the closing notices queued.
TOPIC = Topic(TRAINING, ("on", "off"), (RegistrationClosing.template,), order=20)
JOB = Job("reminders_training", training_reminders, {"minutes": 1})


# --- rows already queued follow the training ----------------------------------------------------

def _prefixes(training_id: int, occasions: tuple[str, ...]) -> list[str]:
    """The start of every row key of these occasions of the training: "rm:tr:h1:12:"."""
    return [key_prefix(f"tr:{o}:{training_id}") for o in occasions]


async def called_off(uow: UnitOfWork, training_id: int) -> int:
    """HR called the training off: its reminders still waiting are cancelled; returns how many."""
    return await uow.outbox.cancel_by_prefix(_prefixes(training_id, (H1, H0, CLOSE)), "training called off")


async def registration_closed(uow: UnitOfWork, training_id: int) -> int:
    """HR closed registration early: "closing soon" reminders still waiting are cancelled."""
    return await uow.outbox.cancel_by_prefix(_prefixes(training_id, (CLOSE,)), "registration closed")


async def seat_given_up(uow: UnitOfWork, training_id: int, user_id: int) -> int:
    """The person gave up their seat: their H-1/H-0 of this training still waiting are cancelled."""
    return await uow.outbox.cancel_by_prefix(_prefixes(training_id, (H1, H0)), "seat given up",
                                                user_id=user_id)


async def follow_training(uow: UnitOfWork, t: Training, tz: str) -> tuple[int, int]:
    """After HR edited the training (its time, place, link, title or deadline): of its reminders still
    waiting, those of another day or deadline, or held until after what they remind of, are cancelled;
    the rest are rewritten to say what the training is now. Returns (cancelled, rewritten)."""
    if t.status != "open":
        return await called_off(uow, t.id), 0
    day, closes = _day(t, ZoneInfo(tz)).isoformat(), _closes(t)
    void: list[int] = []
    keep: dict[str, list[int]] = {H1: [], H0: [], CLOSE: []}
    for row_id, key, not_before in await uow.outbox.pending_by_prefix(_prefixes(t.id, (H1, H0, CLOSE))):
        parts = key.split(":")  # rm, tr, <occasion>, <training id>, <day or deadline>, <user id>
        occasion, stamp = (parts[2], parts[4]) if len(parts) == 6 else ("", "")
        if occasion in DAY_KINDS and stamp == day and not_before < t.starts_at:
            keep[occasion].append(row_id)
        elif occasion == CLOSE and stamp == closes and not_before < t.registration_closes_at:
            keep[CLOSE].append(row_id)
        else:
            void.append(row_id)
    cancelled = await uow.outbox.cancel_rows(void, "training moved")
    rewritten = 0
    for occasion, ids in keep.items():
        notice = closing_notice(t, tz) if occasion == CLOSE else day_notice(DAY_KINDS[occasion], t, tz)
        rewritten += await uow.outbox.set_params(ids, notice.to_params())
    return cancelled, rewritten
