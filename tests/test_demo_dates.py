"""Demo data people read in the sandbox: trainings on working days at round local times,
vacancies opening and closing at round times, whenever the sandbox is seeded (around Christmas
and New Year too, and at an odd minute)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from db.models import Vacancy
from db.models.training import Training
from handlers.features import bot
from services.demo import seed_demo
from services.demo_clock import DEMO_TZ
from services.vacancies import demo as vacancies_demo
from services.workdays import is_workday

# 22.32 WITA on: a Sunday before Christmas, Christmas Eve, Christmas Day, New Year's Eve, 2 January.
CLOCKS = [datetime(2026, 12, d, 14, 32, tzinfo=UTC) for d in (20, 24, 25, 31)] + [
    datetime(2027, 1, 2, 14, 32, tzinfo=UTC), datetime(2026, 12, 21, 0, 5, tzinfo=UTC)]


def _local(at: datetime) -> datetime:
    return at.replace(tzinfo=at.tzinfo or UTC).astimezone(DEMO_TZ)


@pytest.mark.parametrize("now", CLOCKS, ids=lambda d: d.strftime("%Y-%m-%d-%H%M"))
async def test_demo_trainings_fall_on_working_days_at_round_times(db, now: datetime) -> None:
    async with db.uow() as uow:
        await seed_demo(uow, now, bot().demo)
        await vacancies_demo.seed_hr_desk(uow, now)
        await uow.commit()
    async with db.uow() as uow:
        trainings = (await uow.session.execute(select(Training))).scalars().all()
        vacancies = (await uow.session.execute(select(Vacancy))).scalars().all()
    assert len(trainings) == 13 and len(vacancies) == 3
    for t in trainings:
        starts, ends, closes = _local(t.starts_at), _local(t.ends_at), _local(t.registration_closes_at)
        day = starts.date()
        while day <= ends.date():  # every day it runs
            assert is_workday(day), (t.code, day)
            day += timedelta(days=1)
        assert (starts.hour, starts.minute) == (8, 0), t.code
        assert ends.minute == 0 and 9 <= ends.hour <= 16, t.code
        assert is_workday(closes.date()) and (closes.hour, closes.minute) == (23, 59), t.code
        assert closes < starts
    upcoming = [t for t in trainings if t.code not in ("SKP-2026-01", "SIK-2026-01")]
    assert all(_local(t.registration_closes_at) > now for t in upcoming)  # still open to sign up
    attended = next(t for t in trainings if t.code == "SKP-2026-01")
    assert attended.ends_at.replace(tzinfo=UTC) < now
    running = next(t for t in trainings if t.code == "SIK-2026-01")
    assert running.starts_at.replace(tzinfo=UTC) < now  # HR can mark attendance
    if is_workday(_local(now).date()):
        assert _local(running.ends_at).date() >= _local(now).date()  # running today
    for v in vacancies:
        closes = _local(v.closes_at)
        assert is_workday(closes.date()) and (closes.hour, closes.minute) == (23, 59), v.code
        assert (_local(v.opens_at).hour, _local(v.opens_at).minute) == (8, 0), v.code
        assert v.closes_at.replace(tzinfo=UTC) > now + timedelta(days=20)
        if v.published_at is not None:
            assert v.opens_at.replace(tzinfo=UTC) <= now
