"""Training reminders driven by a fake clock: H-1 at the local hour (WITA and WIB), H-0 in the
morning, registration closing to eligible subscribers, catch-up after downtime, drops with a
reason, unsubscribing and unreachable people."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from db.models import Enrolment, Training, User
from handlers import build_router
from handlers.features import bot
from handlers.notices import render_notice
from services import subscriptions as subs
from services.reminders import prefs
from services.training.reminders import training_reminders
from tests.reminder_helpers import marks, rows, world, zone
from tests.training_helpers import training

build_router()
# Wednesday 25 Nov 2026 08:00 WITA = 00:00 UTC; in WIB the same instant is 07:00.
START = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
MON = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def _training(db, people, code="RM-1", starts=START, seated=("siti", "ahmad"), closes=None):  # noqa: ANN001
    async with db.uow() as uow:
        t = await training(uow, MON, code, days=0)
        t.starts_at, t.ends_at = starts, starts + timedelta(hours=8)
        t.registration_closes_at = closes or starts - timedelta(days=1)
        for name in seated:
            uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=people[name].employee_id,
                                                  status="seat"))
        await uow.commit()
        return t.id


@pytest.mark.parametrize(("tz", "h1_utc"), [("Asia/Makassar", 8), ("Asia/Jakarta", 9)])
async def test_h1_at_the_local_hour_then_h0_in_the_morning(db, settings, tz, h1_utc) -> None:  # noqa: ANN001
    s = zone(settings, tz)
    people = await world(db, MON)
    tid = await _training(db, people)
    day_before = datetime(2026, 11, 24, h1_utc, 0, tzinfo=UTC)  # 16:00 local on Tuesday
    await training_reminders(db, s, day_before - timedelta(minutes=1))
    assert await rows(db, f"rm:tr:h1:{tid}:") == []
    await training_reminders(db, s, day_before)
    await training_reminders(db, s, day_before + timedelta(minutes=1))  # a second run adds nothing
    got = await rows(db, f"rm:tr:h1:{tid}:")
    assert sorted(r.user_id for r in got) == sorted([people["siti"].id, people["ahmad"].id])
    assert {r.dedupe_key for r in got} == {f"rm:tr:h1:{tid}:2026-11-25:{p.id}" for p in
                                           (people["siti"], people["ahmad"])}
    assert all(r.template == "rm.tr.h1" and r.not_before == day_before for r in got)
    text_id = render_notice("rm.tr.h1", got[0].params, "id").text
    text_en = render_notice("rm.tr.h1", got[0].params, "en").text
    local = "08.00 WITA" if tz == "Asia/Makassar" else "07.00 WIB"
    assert "Besok" in text_id and local in text_id and "Aula" in text_id
    assert "Tomorrow" in text_en and local in text_en
    # H-0: the same morning at 06:00 local (in WIB the training starts at 07:00, so still 06:00).
    morning = datetime(2026, 11, 25, 6, tzinfo=s.tz).astimezone(UTC)
    await training_reminders(db, s, morning - timedelta(seconds=1))
    assert await rows(db, f"rm:tr:h0:{tid}:") == []
    await training_reminders(db, s, morning)
    today = await rows(db, f"rm:tr:h0:{tid}:")
    assert len(today) == 2 and "Hari ini" in render_notice("rm.tr.h0", today[0].params, "id").text


async def test_downtime_catches_up_once_and_drops_what_became_pointless(db, settings, caplog) -> None:  # noqa: ANN001
    """Down from 05:00 to 07:00 WITA on Tuesday: the 06:00 H-0 of a training at 09:00 goes out once
    at 07:00; a training that started at 06:30, during the outage, gets only a logged drop."""
    people = await world(db, MON)
    tid = await _training(db, people, starts=datetime(2026, 11, 24, 1, 0, tzinfo=UTC))  # 09:00 WITA
    late_id = await _training(db, people, "RM-2", starts=datetime(2026, 11, 23, 22, 30, tzinfo=UTC),
                              seated=("budi",))  # 06:30 WITA
    await training_reminders(db, settings, datetime(2026, 11, 23, 21, 0, tzinfo=UTC))  # 05:00, then down
    assert await rows(db, f"rm:tr:h0:{tid}:") == [] and await rows(db, f"rm:tr:h0:{late_id}:") == []
    back = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 07:00 WITA
    with caplog.at_level(logging.INFO, logger="services.reminders.core"):
        await training_reminders(db, settings, back)
        await training_reminders(db, settings, back + timedelta(minutes=1))
    h0 = await rows(db, f"rm:tr:h0:{tid}:")
    assert sorted(r.user_id for r in h0) == sorted([people["siti"].id, people["ahmad"].id])
    assert await rows(db, f"rm:tr:h0:{late_id}:") == []
    dropped = [r.getMessage() for r in caplog.records if "dropped" in r.getMessage()]
    assert len([m for m in dropped if f"tr:h0:{late_id}" in m]) == 1, dropped
    assert "training already started" in next(m for m in dropped if f"tr:h0:{late_id}" in m)
    assert (await marks(db, f"tr:h0:{late_id}"))[f"tr:h0:{late_id}:2026-11-24"].startswith("dropped:")
    keys = [r.dedupe_key for r in await rows(db)]
    assert len(keys) == len(set(keys))


async def test_switching_off_cancels_queued_rows_and_stops_the_next(db, settings) -> None:  # noqa: ANN001
    people = await world(db, MON)
    tid = await _training(db, people)
    night = settings.model_copy(update={"reminder_hour": 22})  # 22:00 WITA: quiet, held until 06:00
    await training_reminders(db, night, datetime(2026, 11, 24, 14, 0, tzinfo=UTC))
    held = await rows(db, f"rm:tr:h1:{tid}:")
    assert len(held) == 2 and all(r.not_before == datetime(2026, 11, 24, 22, 0, tzinfo=UTC) for r in held)
    async with db.uow() as uow:
        await prefs.switch(uow, people["siti"], "training", False, kinds=bot().reminders, topics=bot().topics, now=MON, settings=night)
        await uow.commit()
    assert [r.user_id for r in await rows(db, f"rm:tr:h1:{tid}:")] == [people["ahmad"].id]
    await training_reminders(db, night, datetime(2026, 11, 24, 22, 30, tzinfo=UTC))  # H-0 at 06:00 WITA
    assert [r.user_id for r in await rows(db, f"rm:tr:h0:{tid}:")] == [people["ahmad"].id]


async def test_unreachable_people_are_skipped_until_they_write_again(db, settings) -> None:  # noqa: ANN001
    people = await world(db, MON)
    tid = await _training(db, people)
    async with db.uow() as uow:
        await uow.session.execute(update(User).where(User.id == people["siti"].id).values(unreachable=True))
        await uow.commit()
    await training_reminders(db, settings, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))
    assert [r.user_id for r in await rows(db, f"rm:tr:h1:{tid}:")] == [people["ahmad"].id]
    async with db.uow() as uow:  # she writes again: users.identify clears the flag
        await uow.session.execute(update(User).where(User.id == people["siti"].id).values(unreachable=False))
        await uow.commit()
    await training_reminders(db, settings, datetime(2026, 11, 24, 22, 0, tzinfo=UTC))
    assert sorted(r.user_id for r in await rows(db, f"rm:tr:h0:{tid}:")) == sorted(
        [people["siti"].id, people["ahmad"].id])


async def test_registration_closing_reaches_eligible_subscribers_not_signed_up(db, settings) -> None:  # noqa: ANN001
    people = await world(db, MON)
    closes = datetime(2026, 11, 27, 8, 0, tzinfo=UTC)
    tid = await _training(db, people, "RM-3", starts=datetime(2026, 12, 7, 0, 0, tzinfo=UTC), seated=("siti",),
                          closes=closes)
    async with db.uow() as uow:
        await uow.session.execute(update(Training).where(Training.id == tid).values(registration_closes_at=closes))
        await subs.set(uow, people["budi"], "training", "off", topics=bot().topics, now=MON)
        await uow.commit()
    await training_reminders(db, settings, closes - timedelta(hours=48, minutes=1))
    assert await rows(db, f"rm:tr:close:{tid}:") == []
    await training_reminders(db, settings, closes - timedelta(hours=48))
    got = await rows(db, f"rm:tr:close:{tid}:")
    assert sorted(r.user_id for r in got) == sorted([people["ahmad"].id, people["nur"].id])  # not siti, not budi
    en = render_notice("rm.tr.closing", got[0].params, "en").text
    assert "closes 27 Nov 2026, 16.00 WITA" in en
    # Unsubscribing in /langganan cancels what is still queued.
    async with db.uow() as uow:
        await uow.session.execute(update(type(got[0])).where(type(got[0]).id.in_([r.id for r in got]))
                                  .values(not_before=closes))
        await subs.set(uow, people["nur"], "training", "off", topics=bot().topics, now=MON)
        await uow.commit()
    assert [r.user_id for r in await rows(db, f"rm:tr:close:{tid}:")] == [people["ahmad"].id]
    # After registration closed, a late first run drops the occasion instead of sending.
    tid2 = await _training(db, people, "RM-4", starts=datetime(2026, 12, 8, tzinfo=UTC), seated=())
    async with db.uow() as uow:
        await uow.session.execute(update(Training).where(Training.id == tid2).values(
            registration_closes_at=closes + timedelta(hours=1)))
        await uow.commit()
    await training_reminders(db, settings, closes + timedelta(hours=2))  # down since before it fell due
    assert await rows(db, f"rm:tr:close:{tid2}:") == []
    assert list((await marks(db, f"tr:close:{tid2}")).values()) == ["dropped: registration already closed"]
