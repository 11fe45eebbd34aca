"""The scheduler: the maintenance job, job settings, one leader on PostgreSQL."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from bot.database import open_database
from bot.scheduler import LOCK_KEY, SchedulerLeader, build_jobs, outbox_maintenance, start_scheduler
from db.engine import Database
from db.models import OutboxMessage, ProcessedUpdate, User
from services.announcements import Announcement
from services.jobs import Job
from services.settings import Settings
from tests.harness import Clock


async def _user(db: Database, clock: Clock) -> int:
    async with db.uow() as uow:
        user = uow.users.add(User(channel="telegram", external_id=555001, chat_id=555001, name="Warga",
                                  state_data={}, created_at=clock(), last_seen_at=clock()))
        await uow.flush()
        await uow.commit()
        return user.id


async def _row(db: Database, user_id: int, key: str, **values: object) -> None:
    async with db.uow() as uow:
        await uow.outbox.add(user_id, Announcement(key), dedupe_key=key)
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.dedupe_key == key).values(**values))
        await uow.commit()


async def _statuses(db: Database) -> dict[str, str]:
    async with db.uow() as uow:
        found = await uow.session.execute(select(OutboxMessage.dedupe_key, OutboxMessage.status))
        return {k: s for k, s in found.all()}


async def test_maintenance_releases_stale_claims_and_forgets_old_history(db: Database, settings: Settings,
                                                                         clock: Clock) -> None:
    uid = await _user(db, clock)
    now = clock()
    await _row(db, uid, "sent-31d", status="sent", sent_at=now - timedelta(days=31))
    await _row(db, uid, "sent-29d", status="sent", sent_at=now - timedelta(days=29))
    await _row(db, uid, "failed-40d", status="failed", last_error="Bad Request", created_at=now - timedelta(days=40))
    await _row(db, uid, "unreachable-40d", status="unreachable", created_at=now - timedelta(days=40))
    await _row(db, uid, "cancelled-31d", status="cancelled", created_at=now - timedelta(days=31))  # e.g. a stopped broadcast's
    await _row(db, uid, "cancelled-29d", status="cancelled", created_at=now - timedelta(days=29))
    await _row(db, uid, "claimed-6min", status="sending", claimed_at=now - timedelta(minutes=6))
    await _row(db, uid, "claimed-1min", status="sending", claimed_at=now - timedelta(minutes=1))
    await _row(db, uid, "pending", status="pending")
    async with db.uow() as uow:
        uow.session.add_all([ProcessedUpdate(channel="telegram", update_id=1, at=now - timedelta(days=8)),
                             ProcessedUpdate(channel="telegram", update_id=2, at=now - timedelta(days=6))])
        await uow.commit()

    await outbox_maintenance(db, settings, now)
    await outbox_maintenance(db, settings, now)  # a second run (catch-up, another leader) changes nothing more

    assert await _statuses(db) == {
        "sent-29d": "sent", "failed-40d": "failed", "unreachable-40d": "unreachable", "cancelled-29d": "cancelled",
        "claimed-6min": "pending",  # a dead sender's claim goes back to the queue
        "claimed-1min": "sending",  # a live sender may still be sending this one
        "pending": "pending",
    }
    async with db.uow() as uow:
        kept = (await uow.session.execute(select(ProcessedUpdate.update_id))).scalars().all()
    assert kept == [2]


async def test_jobs_run_inside_the_loop_with_coalescing_and_misfire_grace(
    db: Database, settings: Settings, clock: Clock,
) -> None:
    uid = await _user(db, clock)
    await _row(db, uid, "stale", status="sending", claimed_at=clock() - timedelta(minutes=10))
    ran: list[datetime] = []
    probe_ran = asyncio.Event()

    async def probe(_db: Database, _settings: Settings, now: datetime) -> None:
        ran.append(now)
        probe_ran.set()

    async def broken(_db: Database, _settings: Settings, now: datetime) -> None:
        raise RuntimeError("a bad run is logged; the scheduler carries on")

    async def daily(_db: Database, _settings: Settings, now: datetime) -> None: ...

    jobs = [*build_jobs(settings), Job("probe", probe, {"seconds": 30}), Job("broken", broken, {"minutes": 5}),
            Job("daily", daily, {"hour": 7, "minute": 0}, kind="cron")]
    handle = await start_scheduler(db, settings, jobs, clock=clock)
    try:
        assert handle.leading  # SQLite, or the only process on PostgreSQL
        await asyncio.wait_for(probe_ran.wait(), 10)  # interval jobs run at start, then every interval
        assert ran == [clock()]

        scheduled = {j.id: j for j in handle.scheduler.get_jobs()}
        assert set(scheduled) == {"outbox_maintenance", "housekeeping", "complaints_auto_close",
                                  "complaints_deadline_reminders", "reminders_training", "reminders_vacancies",
                                  "reminders_skp", "reminders_jp", "imports_purge", "probe", "broken", "daily"}
        for job in scheduled.values():
            assert (job.coalesce, job.max_instances, job.misfire_grace_time) == (True, 1, 3600)
        assert scheduled["outbox_maintenance"].trigger.interval == timedelta(minutes=1)
        assert str(scheduled["daily"].trigger.timezone) == settings.timezone  # cron in local time
        assert str(handle.scheduler.timezone) == "Asia/Makassar"

        for _ in range(100):  # the maintenance job ran at start too
            if (await _statuses(db))["stale"] == "pending":
                break
            await asyncio.sleep(0.05)
        assert (await _statuses(db))["stale"] == "pending"
        assert handle.scheduler.running
    finally:
        await handle.stop()
    assert not handle.scheduler.running


def test_the_job_list(settings) -> None:
    jobs = {j.name: j for j in build_jobs(settings)}
    maintenance, auto_close = jobs["outbox_maintenance"], jobs["complaints_auto_close"]
    assert list(jobs)[:2] == ["outbox_maintenance", "housekeeping"]  # the runtime's own first
    assert (maintenance.name, maintenance.func, maintenance.trigger, maintenance.kind) == (
        "outbox_maintenance", outbox_maintenance, {"minutes": 1}, "interval")
    assert (auto_close.name, auto_close.trigger) == ("complaints_auto_close", {"minutes": 10})


async def test_answered_complaints_close_after_the_reopen_window(app, person, channel, clock, settings) -> None:
    from tests.test_complaints_flows import OFFICER, complaints_in, deliver, file_report

    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi")
    await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Verifikasi")
    await officer.say("Lengkap")
    await officer.press("Proses")
    await officer.press("Tanpa catatan")
    await officer.press("Jawab")
    await officer.say("Sudah ditambal")
    await officer.press("Kirim ke pelapor")  # the answer is previewed first
    auto_close = next(j for j in build_jobs(settings) if j.name == "complaints_auto_close")
    clock.advance(days=13)
    await auto_close.func(app.db, settings, clock())
    assert (await complaints_in(app))[0].status == "dijawab"  # still inside the window
    clock.advance(days=2)
    await auto_close.func(app.db, settings, clock())
    assert (await complaints_in(app))[0].status == "ditutup"
    await deliver(app, channel)
    assert "Seberapa puas" in rina.last_text()


async def test_sqlite_always_leads(db: Database) -> None:
    if db.dialect != "sqlite":
        pytest.skip("SQLite has a single process")
    one, two = SchedulerLeader(db), SchedulerLeader(db)
    assert await one.acquire() and await two.acquire()
    await one.release()
    await two.release()


async def test_only_one_leader_on_postgresql(db: Database) -> None:
    if db.dialect != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    other = open_database(db.url)
    first, second = SchedulerLeader(db), SchedulerLeader(other)
    try:
        assert await first.acquire() is True
        assert await second.acquire() is False
        assert await first.healthy() and not second.leading
        await first.release()
        assert await second.acquire() is True  # the lock went back with the connection
        assert await first.acquire() is False
    finally:
        await first.release()
        await second.release()
        await other.dispose()


async def test_a_standby_takes_over_when_the_leader_goes(db: Database, settings: Settings, clock: Clock) -> None:
    if db.dialect != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's")
    other = open_database(db.url)
    calls: list[str] = []

    def job(who: str) -> Job:
        async def run(_db: Database, _settings: Settings, _now: datetime) -> None:
            calls.append(who)
        return Job("tick", run, {"hours": 1})

    leader = await start_scheduler(db, settings, [job("a")], clock=clock, retry=0.05)
    standby = await start_scheduler(other, settings, [job("b")], clock=clock, retry=0.05)
    try:
        assert leader.leading and not standby.leading
        assert not standby.scheduler.running  # a stand-by schedules nothing

        # The leader's connection dies (a network cut, a PostgreSQL restart): it loses the lock.
        async with db.engine.connect() as conn:
            await conn.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND objid = :k"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"),
                {"k": LOCK_KEY})
        await asyncio.wait_for(standby.wait_leading(), 10)
        for _ in range(100):
            if not leader.leading:
                break
            await asyncio.sleep(0.05)
        assert standby.leading and not leader.leading  # exactly one runs the jobs
        for _ in range(200):  # its catch-up run takes the job's lock and records itself first
            if "b" in calls:
                break
            await asyncio.sleep(0.05)
        assert "b" in calls
    finally:
        await leader.stop()
        await standby.stop()
        await other.dispose()
