"""Throughput and latency of SAPA against a bare aiogram echo bot, through the Bot API emulator.

    .venv/bin/python bench/throughput.py [--n 2000] [--users 400] [--paced 250]

Both bots run as real processes polling the same in-process emulator, one after the other, in
the same run, so the ratio is meaningful on whatever machine runs it. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.sandbox.emulator import Emulator  # noqa: E402
from tests.e2e import live_sapa, seeded_sqlite, wait_until  # noqa: E402


async def seeded_postgres(url: str) -> str:
    from bot.database import open_database
    from db.migrate import migrate
    from services.clock import utc_now
    from services.demo import is_empty, seed_demo

    await migrate(url)
    db = open_database(url)
    async with db.uow() as uow:
        if not await is_empty(uow):
            raise SystemExit("--postgres needs an empty database (users from an earlier run skew the figures)")
        await seed_demo(uow, utc_now())
        await uow.commit()
    await db.dispose()
    return url


class Replies:
    """Counts bot messages per chat and when the first reply after a mark arrived."""

    def __init__(self, emu: Emulator) -> None:
        self.count: dict[int, int] = {}
        self.total = 0
        self.first_after: dict[int, float] = {}
        self.waiting: set[int] = set()
        emu.listeners.append(self._on)

    def _on(self, record: dict[str, Any]) -> None:
        if record.get("edits"):
            return
        chat = record["chat_id"]
        self.count[chat] = self.count.get(chat, 0) + 1
        self.total += 1
        if chat in self.waiting:
            self.waiting.discard(chat)
            self.first_after[chat] = time.perf_counter()


async def burst(emu: Emulator, replies: Replies, messages: list[tuple[int, str]], per_update: int) -> float:
    """Inject all updates at once; seconds until every one is answered."""
    target = replies.total + per_update * len(messages)
    start = time.perf_counter()
    for user, text in messages:
        await emu.say(user, text, first_name=f"U{user}")
    await wait_until(lambda: replies.total >= target, 600, "the burst to be answered")
    return len(messages) / (time.perf_counter() - start)


async def paced(emu: Emulator, replies: Replies, users: list[int], text: str, rate: float) -> list[float]:
    """One update per user at `rate`/s; reply latency of each in ms."""
    sent_at: dict[int, float] = {}
    start = time.perf_counter()
    for i, user in enumerate(users):
        delay = start + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        replies.waiting.add(user)
        sent_at[user] = time.perf_counter()
        await emu.say(user, text, first_name=f"U{user}")
    await wait_until(lambda: all(u in replies.first_after for u in users), 120, "paced replies")
    return [(replies.first_after.pop(u) - sent_at[u]) * 1000 for u in users]


def pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


async def run_echo(args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    emu = Emulator(rate_limit=0)
    await emu.start()
    replies = Replies(emu)
    proc = await asyncio.create_subprocess_exec(sys.executable, str(ROOT / "bench" / "echo_bot.py"), emu.url,
                                                str(args.concurrency), stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    try:
        await burst(emu, replies, [(1, "warm")] * 1, 1)
        rate_new = await burst(emu, replies, [(10_000 + i, "/start") for i in range(args.n)], 1)
        returning = [(10_000 + i % args.users, "halo") for i in range(args.n)]
        rate_ret = await burst(emu, replies, returning, 1)
        lat = await paced(emu, replies, [10_000 + i for i in range(args.paced)], "halo", args.rate)
    finally:
        proc.terminate()
        await proc.wait()
        await emu.stop()
    return {"new": rate_new, "returning": rate_ret, "p50": pct(lat, 50), "p99": pct(lat, 99)}


async def run_sapa(args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    url = await seeded_postgres(args.postgres) if args.postgres else await seeded_sqlite(tmp / "bench.db")
    env = {"SAPA_DATABASE_URL": url, "SAPA_LOG_LEVEL": "WARNING",
           "SAPA_POLLING_CONCURRENCY": str(args.concurrency)}
    async with live_sapa(tmp, env) as emu:
        replies = Replies(emu)
        await burst(emu, replies, [(1, "/start")], 1)
        # /start from new people: each creates a user; the answer is one message (welcome + menu).
        rate_new = await burst(emu, replies, [(10_000 + i, "/start") for i in range(args.n)], 1)
        # Returning people change state: /bahasa writes their locale (answer: confirmation + menu).
        returning = [(10_000 + i % args.users, "/bahasa en" if (i // args.users) % 2 == 0 else "/bahasa id")
                     for i in range(args.n)]
        rate_ret = await burst(emu, replies, returning, 1)
        lat = await paced(emu, replies, [10_000 + i for i in range(args.paced)], "/bahasa id", args.rate)
    return {"new": rate_new, "returning": rate_ret, "p50": pct(lat, 50), "p99": pct(lat, 99)}


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=2000, help="updates per burst")
    p.add_argument("--users", type=int, default=400, help="returning users in the second burst")
    p.add_argument("--paced", type=int, default=250, help="updates in the latency run")
    p.add_argument("--rate", type=float, default=50.0, help="updates/s in the latency run")
    p.add_argument("--concurrency", type=int, default=16, help="polling task limit, both bots")
    p.add_argument("--postgres", metavar="URL", help="run SAPA on this EMPTY PostgreSQL database instead of SQLite")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as d:
        echo = await run_echo(args, Path(d))
        sapa = await run_sapa(args, Path(d))
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print(f"n={args.n} users={args.users} paced={args.paced}@{args.rate:g}/s concurrency={args.concurrency}")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"{'':26}{'echo (aiogram)':>16}{'SAPA (' + backend + ')':>16}{'ratio':>8}")
    for key, label in (("new", "/start, new users  msg/s"), ("returning", "state step, returning msg/s")):
        print(f"{label:26}{echo[key]:16.0f}{sapa[key]:16.0f}{sapa[key] / echo[key]:8.2f}")
    for key in ("p50", "p99"):
        print(f"{'latency ' + key + ' @50/s  ms':26}{echo[key]:16.1f}{sapa[key]:16.1f}")


if __name__ == "__main__":
    asyncio.run(main())
