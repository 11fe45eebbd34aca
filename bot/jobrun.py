"""Running a scheduled job once, from the scheduler or `sapa jobs run`, and the table of jobs.

A job never runs twice at once, whichever processes start it: each run holds a lock of its
own for the job's name. On PostgreSQL that is an advisory lock on a connection kept for the
run (gone with the connection if the process dies); on SQLite, whose processes share a file,
an exclusive `flock` on a file beside the database (released by the kernel if the process
dies). Outbox dedupe keys already make a repeated run harmless; the lock keeps two runs from
doing the work twice side by side and makes `sapa jobs run` say so instead.

Each run is recorded (start, end, ok or failed) in `job_runs`, so another process can show it.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
import socket
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import IO, Literal

from sqlalchemy.ext.asyncio import AsyncConnection

from db.dialect import advisory_unlock, held_advisory_lock, sqlite_file
from db.engine import Database
from db.uow import UnitOfWork
from services.clock import Clock, utc_now
from services.jobs import Job
from services.settings import Settings

log = logging.getLogger(__name__)
Outcome = Literal["ok", "failed", "busy"]


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class JobLock:
    """One job's run lock, across processes; `acquire()` is False when another run holds it."""

    def __init__(self, db: Database, name: str) -> None:
        self.db, self.name = db, name
        self._conn: AsyncConnection | None = None
        self._file: IO[bytes] | None = None

    async def acquire(self) -> bool:
        if self.db.dialect == "postgresql":
            self._conn = await held_advisory_lock(self.db.engine, _key(self.name))
            return self._conn is not None
        path = sqlite_file(self.db.engine.url)
        if path is None:  # an in-memory database belongs to one process
            return True
        self._file = _flock(f"{path}.job-{self.name}.lock")
        return self._file is not None

    async def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            try:
                await advisory_unlock(conn, self.db.dialect, _key(self.name))
                await conn.commit()
            except Exception:  # a connection that cannot unlock must not go back to the pool holding it
                with contextlib.suppress(Exception):
                    await conn.invalidate()
            await conn.close()
        if self._file is not None:
            f, self._file = self._file, None
            f.close()  # closing the file drops the flock


def _flock(path: str) -> IO[bytes] | None:
    """The open lock file, or None when another process holds it (a local file: no await needed)."""
    f = open(path, "ab")  # noqa: SIM115 - kept open for the run: closing it drops the lock
    try:
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        f.close()
        return None
    return f


def _key(name: str) -> int:
    return zlib.crc32(f"sapa.job.{name}".encode())


async def run_once(db: Database, settings: Settings, job: Job, *, run_by: str, clock: Clock = utc_now,
                   ) -> tuple[Outcome, str | None]:
    """Run `job` now under its lock, recording the run; ("busy", None) when a run is under way."""
    lock = JobLock(db, job.name)
    if not await lock.acquire():
        return "busy", None
    try:
        await _record(db, lambda uow: uow.jobs.started(job.name, run_by, clock()))
        error: str | None = None
        try:
            await job.func(db, settings, clock())
        except asyncio.CancelledError:
            # Shutting down mid-run: its transaction rolls back, the next run does the work again.
            await _record(db, lambda uow: uow.jobs.finished(job.name, clock(), error="stopped by shutdown"))
            raise
        except Exception as e:
            error = f"{type(e).__name__}: {e}"
            log.exception("job %s failed", job.name)
        await _record(db, lambda uow: uow.jobs.finished(job.name, clock(), error=error))
        return ("failed", error) if error else ("ok", None)
    finally:
        await lock.release()


async def _record(db: Database, write: Callable[[UnitOfWork], Awaitable[object]]) -> None:
    # The record is for the operator: failing to write it must not stop or fail the job itself.
    try:
        async with db.uow() as uow:
            await write(uow)
            await uow.commit()
    except Exception:
        log.warning("could not record a job run", exc_info=True)


@dataclass(frozen=True)
class JobRow:
    name: str
    schedule: str  # "every 5 min", "daily 07:00 WITA"
    last_run: str | None  # local time of the last start
    outcome: str | None  # running | ok | failed
    error: str | None
    run_by: str | None
    next_run: str | None  # local time; None while no scheduler runs


@dataclass(frozen=True)
class JobTable:
    rows: list[JobRow]
    leader: str | None  # "host:pid since …" of a live leader
    leader_seen: str | None  # when a leader last checked in (shown when none is live)


def describe(job: Job, tz_name: str) -> str:
    if job.kind == "cron":
        hour, minute = job.trigger.get("hour"), job.trigger.get("minute", 0)
        if set(job.trigger) <= {"hour", "minute"} and hour is not None:
            return f"daily {int(hour):02d}:{int(minute):02d} {tz_name}"
        return "cron " + " ".join(f"{k}={v}" for k, v in job.trigger.items()) + f" ({tz_name})"
    every = timedelta(**job.trigger)
    seconds = int(every.total_seconds())
    for unit, size in (("h", 3600), ("min", 60)):
        if seconds % size == 0:
            return f"every {seconds // size} {unit}"
    return f"every {seconds} s"


def next_run(job: Job, last_started: datetime | None, now: datetime, settings: Settings) -> datetime:
    """When the leader runs `job` next: an interval from its last start (at once if never run)."""
    if job.kind == "cron":
        from apscheduler.triggers.cron import CronTrigger

        fire = CronTrigger(**job.trigger, timezone=settings.tz).get_next_fire_time(None, now.astimezone(settings.tz))
        return fire if fire is not None else now
    if last_started is None:
        return now
    return max(now, last_started + timedelta(**job.trigger))


async def job_table(db: Database, settings: Settings, jobs: list[Job], now: datetime) -> JobTable:
    async with db.uow() as uow:
        runs = await uow.jobs.runs()
        lead = await uow.jobs.leader()
    # A leader checks in every SAPA_SCHEDULER_STANDBY seconds; three missed check-ins: it is gone.
    alive = lead is not None and lead.seen_at >= now - timedelta(seconds=3 * settings.scheduler_standby)

    def local(at: datetime | None) -> str | None:
        return at.astimezone(settings.tz).strftime("%Y-%m-%d %H:%M:%S %Z") if at else None

    tz_name = datetime.now(settings.tz).strftime("%Z")
    rows = []
    for job in jobs:
        run = runs.get(job.name)
        rows.append(JobRow(job.name, describe(job, tz_name), local(run.started_at if run else None),
                           run.outcome if run else None, run.error if run else None, run.run_by if run else None,
                           local(next_run(job, run.started_at if run else None, now, settings)) if alive else None))
    leader = f"{lead.holder} since {local(lead.since)}" if lead and alive else None
    return JobTable(rows, leader, local(lead.seen_at) if lead and not alive else None)


def find_job(jobs: list[Job], name: str) -> Job | None:
    return next((j for j in jobs if j.name == name), None)

