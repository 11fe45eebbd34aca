"""`sapa jobs` (the scheduled jobs: schedule, last run, next run, leader) and `sapa jobs run NAME`."""

from __future__ import annotations

import argparse
import getpass
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from services.settings import Settings


def add_parsers(sub: Any) -> None:  # noqa: ANN401 - argparse's private _SubParsersAction
    jobs = sub.add_parser("jobs", help="scheduled jobs: last and next run, the leader; `jobs run NAME` runs one now")
    jobs.set_defaults(func=_list)
    actions = jobs.add_subparsers(metavar="ACTION")
    run = actions.add_parser("run", help="run a job once now (never alongside another run of it); audited")
    run.add_argument("name")
    run.set_defaults(func=_run)


def operator() -> str:
    """Who ran it, for the audit log: the OS account behind the command line."""
    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no name for this uid (a bare container)
        return "cli"


async def _list(settings: Settings, _args: argparse.Namespace) -> int:
    from bot.database import open_database
    from bot.jobrun import job_table
    from bot.scheduler import build_jobs
    from db.migrate import migrate
    from services.clock import utc_now

    await migrate(settings.database_url)
    db = open_database(settings.database_url)
    try:
        table = await job_table(db, settings, build_jobs(settings), utc_now())
    finally:
        await db.dispose()
    head = ("JOB", "SCHEDULE", "LAST RUN", "OUTCOME", "NEXT RUN")
    lines = [(r.name, r.schedule, r.last_run or "never", _outcome(r.outcome, r.run_by), r.next_run or "-")
             for r in table.rows]
    widths = [max(len(row[i]) for row in [head, *lines]) for i in range(len(head))]
    for row in [head, *lines]:
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
    if table.leader:
        print(f"\nscheduler leader: {table.leader}")
    else:
        seen = f" (a leader was last seen {table.leader_seen})" if table.leader_seen else ""
        print(f"\nno scheduler is running{seen}: next runs start with `sapa run` or `sapa webhook`")
    for r in table.rows:
        if r.outcome == "failed" and r.error:
            print(f"{r.name} failed: {r.error}")
    return 0


def _outcome(outcome: str | None, run_by: str | None) -> str:
    if outcome is None:
        return "-"
    return f"{outcome} ({run_by})" if run_by and run_by.startswith("cli") else outcome


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.database import open_database
    from bot.jobrun import find_job, run_once
    from bot.scheduler import build_jobs
    from db.migrate import migrate
    from services.clock import utc_now

    jobs = build_jobs(settings)
    job = find_job(jobs, args.name)
    if job is None:
        print(f"sapa: no job named {args.name!r}; the jobs are: {', '.join(j.name for j in jobs)}", file=sys.stderr)
        return 1
    await migrate(settings.database_url)
    db = open_database(settings.database_url)
    who = operator()
    try:
        started = time.perf_counter()
        outcome, error = await run_once(db, settings, job, run_by=who)
        seconds = round(time.perf_counter() - started, 2)
        if outcome == "busy":
            print(f"sapa: {job.name} is running right now (in the scheduler or another `sapa jobs run`); "
                  "not started a second time — see `sapa jobs`", file=sys.stderr)
            return 1
        async with db.uow() as uow:
            # The outcome only: staff read the audit log; the error's technical text is the
            # operator's, in `sapa jobs`, job_runs and the log.
            uow.audit.record(who, "job.run", f"job:{job.name}", at=utc_now(), outcome=outcome, seconds=seconds)
            await uow.commit()
    finally:
        await db.dispose()
    if outcome == "failed":
        print(f"sapa: {job.name} failed after {seconds} s: {error}", file=sys.stderr)
        return 1
    print(f"{job.name}: ok in {seconds} s (pushes it queued go out through the running bot's outbox)")
    return 0
