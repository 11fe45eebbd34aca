"""A reminder job that finds 20,000 people due, while a person keeps chatting: rows/s and reply latency.

    .venv/bin/python bench/reminders.py [--n 20000] [--batch 500] [--postgres URL]

In one process, as the bot runs it: the training H-1 job (services.training.reminders) queues a
row for each of N seated participants in batches of --batch, each batch its own transaction,
while a chat task sends "/start" through App.handle back to back. Reported: the job's rows/s,
and the chat's p50/p99/max reply latency before the job (baseline) and during it.
Not a test: it asserts nothing. --postgres needs an empty database.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.core import App  # noqa: E402
from bot.database import open_database  # noqa: E402
from db.migrate import migrate  # noqa: E402
from db.models import Employee, Enrolment, Training, User  # noqa: E402
from handlers import build_router  # noqa: E402
from handlers.features import bot  # noqa: E402
from handlers.kit import Incoming, Kind  # noqa: E402
from services.demo import seed_demo  # noqa: E402
from services.settings import load_settings  # noqa: E402
from services.training.reminders import training_reminders  # noqa: E402
from tests.harness import FakeChannel  # noqa: E402

NOW = datetime(2026, 11, 24, 8, 30, tzinfo=UTC)  # Tuesday 16:30 WITA: the H-1 of Wednesday's training is due


async def prepare(url: str, n: int) -> None:
    await migrate(url)
    db = open_database(url)
    async with db.uow() as uow:
        await seed_demo(uow, NOW - timedelta(days=1), bot().demo)
        starts = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)
        t = Training(code="BENCH", title="Pelatihan besar", organiser="BKPSDM", starts_at=starts,
                     ends_at=starts + timedelta(hours=8), place="Aula", jp=8, quota=n,
                     registration_closes_at=starts - timedelta(days=3), status="open", jabatan_kinds=[], agency_ids=[])
        uow.session.add(t)
        await uow.flush()
        for start in range(0, n, 2000):
            emps = [Employee(nip=f"8{i:017d}", name=f"ASN {i}", employment="PNS")
                    for i in range(start, min(n, start + 2000))]
            uow.session.add_all(emps)
            await uow.flush()
            uow.session.add_all([User(channel="telegram", external_id=7_000_000 + e.id, chat_id=7_000_000 + e.id,
                                      role="asn", employee_id=e.id, state_data={}) for e in emps])
            uow.session.add_all([Enrolment(training_id=t.id, employee_id=e.id, status="seat") for e in emps])
            await uow.flush()
        await uow.commit()
    if url.startswith("postgresql"):
        # As autovacuum would within a minute: without statistics PostgreSQL plans the per-batch
        # seat probe as if the training had no seats (a walk over the whole training's index).
        async with db.engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql("ANALYZE")
    await db.dispose()


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(q * len(s)))] * 1000 if s else float("nan")


async def chat(app: App, stop: asyncio.Event, out: list[float]) -> None:
    ids = itertools.count(1_000_000)
    while not stop.is_set():
        inc = Incoming(channel="telegram", update_id=next(ids), chat_id=555, user_id=555, kind=Kind.COMMAND,
                       text="/start", command="start", display_name="Rina", language_code="id")
        t0 = time.perf_counter()
        await app.handle(inc)
        out.append(time.perf_counter() - t0)
        await asyncio.sleep(0.005)


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=20000)
    p.add_argument("--batch", type=int, default=100)
    p.add_argument("--postgres")
    p.add_argument("--profile", action="store_true")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        t0 = time.perf_counter()
        await prepare(url, args.n)
        print(f"prepared {args.n} people in {time.perf_counter() - t0:.1f}s ({url.split(':')[0]})")
        settings = load_settings(database_url=url, timezone="Asia/Makassar", quiet_hours="off",
                                 reminder_batch=args.batch, _env_file=None)
        db = open_database(url)
        app = App(settings, db, build_router(), FakeChannel(), lambda: NOW)
        baseline: list[float] = []
        stop = asyncio.Event()
        task = asyncio.create_task(chat(app, stop, baseline))
        await asyncio.sleep(3.0)
        stop.set()
        await task
        during: list[float] = []
        stop = asyncio.Event()
        task = asyncio.create_task(chat(app, stop, during))
        t0 = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats
            prof = cProfile.Profile()
            prof.enable()
        await training_reminders(db, settings, NOW)
        if args.profile:
            prof.disable()
            pstats.Stats(prof).sort_stats("cumulative").print_stats(25)
        elapsed = time.perf_counter() - t0
        stop.set()
        await task
        async with db.uow() as uow:
            queued = (await uow.outbox.counts()).get("pending", 0)
        await db.dispose()
    print(f"job: {queued} rows in {elapsed:.2f}s = {queued / elapsed:,.0f} rows/s (batch {args.batch})")
    for name, xs in (("baseline", baseline), ("during job", during)):
        print(f"chat {name:>10}: {len(xs)} replies, p50 {pct(xs, 0.5):.1f} ms, p99 {pct(xs, 0.99):.1f} ms, "
              f"max {max(xs) * 1000:.1f} ms, mean {statistics.mean(xs) * 1000:.1f} ms")


if __name__ == "__main__":
    asyncio.run(main())
