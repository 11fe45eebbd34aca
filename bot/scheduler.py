"""Fixed jobs on APScheduler 3, run by one process.

Jobs own no state: each run computes from the database what is due and writes outbox rows
whose dedupe keys make a repeated run harmless, so a run missed during downtime is simply
caught up by the next one. On PostgreSQL the process holding an advisory lock runs the jobs
and the others stand by; on SQLite there is one process and it always leads.

A feature lists its jobs in its manifest (`Feature(jobs=...)`); `build_jobs()` collects them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_PAUSED
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.jobrun import run_once, this_process
from db.dialect import advisory_unlock, held_advisory_lock
from db.engine import Database
from handlers.features import bot
from services.clock import Clock, utc_now
from services.jobs import Job
from services.reminders.housekeeping import housekeeping
from services.settings import Settings

log = logging.getLogger(__name__)

LOCK_KEY = zlib.crc32(b"sapa.scheduler")  # one advisory lock key per database
STANDBY_RETRY = 30.0  # seconds between a stand-by's attempts to lead (and the leader's health checks)
JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}

STALE_CLAIM = timedelta(minutes=5)
KEEP_UPDATES = timedelta(days=7)
KEEP_SENT = timedelta(days=30)  # delivered and cancelled rows


async def outbox_maintenance(db: Database, settings: Settings, now: datetime) -> None:
    """Take back claims a dead sender left behind; forget old update ids, delivered and cancelled pushes."""
    async with db.uow() as uow:
        released = await uow.outbox.release_stale(now - STALE_CLAIM)
        forgotten = await uow.updates.forget_before(now - KEEP_UPDATES)
        deleted = await uow.outbox.delete_history_before(now - KEEP_SENT)
        await uow.commit()
    if released or forgotten or deleted:
        log.info("outbox maintenance: %d stale claim(s) released, %d update id(s) forgotten, "
                 "%d sent or cancelled row(s) deleted", released, forgotten, deleted)


RUNTIME_JOBS = (Job("outbox_maintenance", outbox_maintenance, {"minutes": 1}),
                Job("housekeeping", housekeeping, {"hours": 1}))


def build_jobs(settings: Settings) -> list[Job]:
    """Every scheduled job: the runtime's own, then each feature's (from its manifest)."""
    return [*RUNTIME_JOBS, *bot().jobs]


class SchedulerLeader:
    """Leadership through `pg_try_advisory_lock` on a connection kept open while leading.

    The lock belongs to the database session, so the connection stays checked out for as
    long as this process leads; it is unlocked before the connection goes back to the pool.
    SQLite: a single process, always the leader.
    """

    def __init__(self, db: Database, key: int = LOCK_KEY) -> None:
        self.db = db
        self.key = key
        self._conn: AsyncConnection | None = None
        self._leading = False

    @property
    def leading(self) -> bool:
        return self._leading

    async def acquire(self) -> bool:
        """Try once to lead; True if this process leads (now or already)."""
        if self._leading:
            return True
        if self.db.dialect != "postgresql":
            self._leading = True
            return True
        conn = await held_advisory_lock(self.db.engine, self.key)
        if conn is None:
            return False
        self._conn, self._leading = conn, True
        return True

    async def healthy(self) -> bool:
        """Still leading? A dropped connection has lost the lock with it."""
        if not self._leading:
            return False
        if self._conn is None:
            return True
        try:
            await self._conn.execute(text("SELECT 1"))
            await self._conn.commit()
            return True
        except Exception:
            log.warning("scheduler: the advisory-lock connection is gone; leadership lost")
            await self._drop(invalidate=True)
            return False

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await advisory_unlock(self._conn, self.db.dialect, self.key)
                await self._conn.commit()
            except Exception:  # a connection that cannot unlock must not return to the pool
                await self._drop(invalidate=True)
                return
        await self._drop(invalidate=False)

    async def _drop(self, *, invalidate: bool) -> None:
        conn, self._conn, self._leading = self._conn, None, False
        if conn is not None:
            with contextlib.suppress(Exception):
                if invalidate:
                    await conn.invalidate()
                await conn.close()


class SchedulerHandle:
    """The running scheduler (or the stand-by waiting to lead); `await stop()` ends it."""

    def __init__(self, db: Database, settings: Settings, jobs: list[Job], *, clock: Clock,
                 leader: SchedulerLeader, retry: float) -> None:
        self.db = db
        self.settings = settings
        self.jobs = jobs
        self.clock = clock
        self.leader = leader
        self.retry = retry
        self.scheduler = AsyncIOScheduler(timezone=settings.tz, job_defaults=dict(JOB_DEFAULTS))
        self._task: asyncio.Task[None] | None = None
        self._became_leader = asyncio.Event()
        self.holder = this_process()

    @property
    def leading(self) -> bool:
        return self.leader.leading and self.scheduler.running

    async def wait_leading(self) -> None:
        await self._became_leader.wait()

    async def _start(self) -> None:
        if not await self._try_lead():
            log.info("scheduler: another process leads; standing by")
        self._task = asyncio.create_task(self._keep_leading(), name="scheduler-leadership")

    async def _try_lead(self) -> bool:
        try:
            if not await self.leader.acquire():
                return False
        except Exception:
            log.exception("scheduler: could not try the leader lock")
            return False
        self._launch()
        await self._record_lead(first=True)
        return True

    def _launch(self) -> None:
        self.scheduler.remove_all_jobs()
        for job in self.jobs:
            extra: dict[str, Any] = {}
            if job.kind == "interval" and job.run_at_start:
                extra["next_run_time"] = datetime.now(self.scheduler.timezone)  # APScheduler runs on real time
            self.scheduler.add_job(self._run_job, job.kind, args=[job], id=job.name, name=job.name,
                                   replace_existing=True, **job.trigger, **extra)
        if self.scheduler.state == STATE_PAUSED:  # leadership regained
            self.scheduler.resume()
        elif not self.scheduler.running:
            self.scheduler.start()
        self._became_leader.set()
        log.info("scheduler: leading, %d job(s): %s", len(self.jobs), ", ".join(j.name for j in self.jobs))

    async def _run_job(self, job: Job) -> None:
        try:
            outcome, _ = await run_once(self.db, self.settings, job, run_by=f"scheduler {self.holder}",
                                        clock=self.clock)
        except asyncio.CancelledError:
            # Shutting down mid-run: the run's transaction rolls back and the next leader's run
            # does it again (dedupe keys make that harmless). Not an error of the job.
            log.info("scheduled job %s stopped mid-run by shutdown", job.name)
            return
        except Exception:  # one bad run must not stop the next (run_once logs the job's own errors)
            log.exception("scheduled job %s could not run", job.name)
            return
        if outcome == "busy":  # `sapa jobs run` is running it: the next tick catches up
            log.info("scheduled job %s skipped: a run started elsewhere is still under way", job.name)

    async def _record_lead(self, *, first: bool) -> None:
        # For `sapa jobs` in another process; the advisory lock, not this row, decides who leads.
        try:
            async with self.db.uow() as uow:
                if first:
                    await uow.jobs.lead(self.holder, self.clock())
                else:
                    await uow.jobs.still_leading(self.holder, self.clock())
                await uow.commit()
        except Exception:
            log.warning("scheduler: could not record the leader", exc_info=True)

    async def _keep_leading(self) -> None:
        """Every `retry` seconds: the leader checks its lock's connection, a stand-by tries to lead."""
        while True:
            await asyncio.sleep(self.retry)
            if not self.leader.leading:
                await self._try_lead()
            elif not await self.leader.healthy():
                self._step_down()
            else:
                await self._record_lead(first=False)

    def _step_down(self) -> None:
        self.scheduler.pause()
        self.scheduler.remove_all_jobs()
        self._became_leader.clear()
        log.warning("scheduler: lost the leader lock; standing by")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        if self.leader.leading:
            with contextlib.suppress(Exception):
                async with self.db.uow() as uow:
                    await uow.jobs.resign(self.holder)
                    await uow.commit()
        await self.leader.release()


async def start_scheduler(
    db: Database, settings: Settings, jobs: list[Job], *, clock: Clock = utc_now,
    leader: SchedulerLeader | None = None, retry: float | None = None,
) -> SchedulerHandle:
    """Start inside the running loop: lead at once if possible, else stand by and retry
    (every `retry` seconds; default SAPA_SCHEDULER_STANDBY, 30)."""
    retry = settings.scheduler_standby if retry is None else retry
    handle = SchedulerHandle(db, settings, jobs, clock=clock, leader=leader or SchedulerLeader(db), retry=retry)
    await handle._start()
    return handle
