"""The operator's controls: each job's runs recorded, `sapa jobs`, `sapa jobs run NAME`, /jobs."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from sqlalchemy import select

from bot.cli import main
from bot.database import open_database
from bot.jobrun import JobLock, job_table, run_once, this_process
from bot.metrics import new_metrics
from bot.ops import ops_app
from bot.scheduler import start_scheduler
from db.engine import Database
from db.models import AuditLog, JobRun
from services.jobs import Job
from services.settings import Settings
from tests.e2e import seeded_sqlite
from tests.harness import Clock
from tests.test_cli import _query


async def _runs(db: Database) -> dict[str, JobRun]:
    async with db.uow() as uow:
        return await uow.jobs.runs()


async def test_the_scheduler_records_each_run_and_who_leads(db: Database, settings: Settings, clock: Clock) -> None:
    async def fine(_db: Database, _s: Settings, _now: datetime) -> None: ...

    async def broken(_db: Database, _s: Settings, _now: datetime) -> None:
        raise RuntimeError("no such table: trainings")

    jobs = [Job("fine", fine, {"minutes": 5}), Job("broken", broken, {"hours": 1}),
            Job("daily", fine, {"hour": 7, "minute": 0}, kind="cron")]
    handle = await start_scheduler(db, settings, jobs, clock=clock)
    try:
        for _ in range(200):
            runs = await _runs(db)
            if {r.outcome for r in runs.values()} == {"ok", "failed"}:
                break
            await asyncio.sleep(0.05)
        table = await job_table(db, settings, jobs, clock())  # what another process (`sapa jobs`) sees
    finally:
        await handle.stop()
    rows = {r.name: r for r in table.rows}
    assert (rows["fine"].outcome, rows["broken"].outcome, rows["daily"].outcome) == ("ok", "failed", None)
    assert rows["broken"].error == "RuntimeError: no such table: trainings"
    assert rows["fine"].run_by == f"scheduler {this_process()}"
    assert rows["fine"].last_run is not None and rows["fine"].last_run.endswith("WITA")  # local time
    assert rows["fine"].schedule == "every 5 min" and rows["daily"].schedule == "daily 07:00 WITA"
    assert rows["daily"].next_run is not None and rows["daily"].next_run.endswith("07:00:00 WITA")
    assert table.leader is not None and table.leader.startswith(this_process())
    assert (await job_table(db, settings, jobs, clock())).leader is None  # a stopped leader resigns


async def test_a_job_never_runs_twice_at_once(db: Database, settings: Settings, clock: Clock) -> None:
    calls: list[datetime] = []

    async def probe(_db: Database, _s: Settings, now: datetime) -> None:
        calls.append(now)

    job = Job("probe", probe)
    other = open_database(db.url)  # another process's pool (PostgreSQL: another session)
    held = JobLock(other, "probe")
    try:
        assert await held.acquire()
        assert await run_once(db, settings, job, run_by="cli:test", clock=clock) == ("busy", None)
        assert calls == []
        assert await JobLock(db, "other_job").acquire()  # the lock is per job
    finally:
        await held.release()
        await other.dispose()
    assert await run_once(db, settings, job, run_by="cli:test", clock=clock) == ("ok", None)
    assert calls == [clock()] and (await _runs(db))["probe"].run_by == "cli:test"


async def test_ops_serves_the_job_table(db: Database, settings: Settings, clock: Clock) -> None:
    async def fine(_db: Database, _s: Settings, _now: datetime) -> None: ...

    jobs = [Job("fine", fine)]
    await run_once(db, settings, jobs[0], run_by="cli:test", clock=clock)
    app = ops_app(db, new_metrics(), lambda: True, lambda: job_table(db, settings, jobs, clock()))
    async with TestClient(TestServer(app)) as client:
        data = await (await client.get("/jobs")).json()
    assert [(r["name"], r["outcome"], r["schedule"]) for r in data["rows"]] == [("fine", "ok", "every 1 min")]
    assert data["leader"] is None


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("SAPA_BOT_TOKEN", "SAPA_ENGINE", "SAPA_DATABASE_URL", "SAPA_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    url = asyncio.run(seeded_sqlite(tmp_path / "cli.db"))
    monkeypatch.setenv("SAPA_DATABASE_URL", url)
    monkeypatch.setenv("SAPA_TIMEZONE", "Asia/Makassar")
    return url




def test_sapa_jobs_run_runs_it_now_audited_and_sapa_jobs_shows_it(env, capsys, monkeypatch) -> None:
    monkeypatch.setattr("getpass.getuser", lambda: "budi")
    assert main(["jobs", "run", "outbox_maintenance"]) == 0
    assert "outbox_maintenance: ok" in capsys.readouterr().out
    [entry] = _query(env, select(AuditLog).where(AuditLog.action == "job.run"))
    assert (entry.actor_label, entry.target, entry.details["outcome"]) == ("cli:budi", "job:outbox_maintenance", "ok")
    [run] = _query(env, select(JobRun))
    assert (run.name, run.outcome, run.run_by) == ("outbox_maintenance", "ok", "cli:budi")

    assert main(["jobs"]) == 0
    out = capsys.readouterr().out
    line = next(ln for ln in out.splitlines() if ln.startswith("outbox_maintenance"))
    assert "every 1 min" in line and "WITA" in line and "ok (cli:budi)" in line
    assert "reminders_training" in out and "no scheduler is running" in out


def test_an_unknown_job_lists_the_names(env, capsys) -> None:
    assert main(["jobs", "run", "reminder_training"]) == 1
    err = capsys.readouterr().err
    assert "no job named 'reminder_training'" in err and "reminders_training" in err and "outbox_maintenance" in err


def test_a_job_already_running_is_not_started_again(env, capsys) -> None:
    db = open_database(env)
    held = JobLock(db, "housekeeping")
    assert asyncio.run(held.acquire())  # the scheduler of a running `sapa run` is in the middle of it
    try:
        assert main(["jobs", "run", "housekeeping"]) == 1
        assert "housekeeping is running right now" in capsys.readouterr().err
        assert _query(env, select(AuditLog).where(AuditLog.action == "job.run")) == []
    finally:
        asyncio.run(held.release())
        asyncio.run(db.dispose())
    assert main(["jobs", "run", "housekeeping"]) == 0
