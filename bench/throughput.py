"""Throughput and latency of SAPA against a bare aiogram echo bot, through the Bot API emulator.

    .venv/bin/python bench/throughput.py [--n 2000] [--users 400] [--paced 250]
        [--baseline ../other-checkout] [--profile DIR]

It prints msgs/s and CPU per update (user + system of the bot process, all threads, during
each measured burst: steadier than rates on a shared machine) for a bare echo bot, an echo bot
answering with a menu (HTML + six buttons, SAPA's typical reply) and SAPA, and the ratios.
All bots run as real processes polling the same in-process emulator, one after the other, in
the same run, so the ratio is meaningful on whatever machine runs it. `--baseline` runs SAPA from
another checkout too, right after this one (a before/after in one run); `--profile` records each
SAPA's process with py-spy during the bursts and prints where its samples went (bench/stacks.py).
Not a test: it asserts nothing.
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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.stacks import profiled, summarise  # noqa: E402
from bot.sandbox.emulator import Emulator  # noqa: E402
from tests.e2e import sapa_process, seeded_sqlite, wait_until  # noqa: E402


async def seeded_postgres(url: str) -> str:
    from bot.database import open_database
    from db.migrate import migrate
    from handlers.features import bot
    from services.clock import utc_now
    from services.demo import is_empty, seed_demo

    await migrate(url)
    db = open_database(url)
    async with db.uow() as uow:
        if not await is_empty(uow):
            raise SystemExit("--postgres needs an empty database (users from an earlier run skew the figures)")
        await seed_demo(uow, utc_now(), bot().demo)
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process, all its threads (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def quiet(pid: int, *, within: float = 60.0) -> None:
    """Wait until the bot is idle (< 2 % of a core over 0.5 s): one-off start-up work (SAPA warms
    matplotlib in a thread once polling runs) must not be charged to the first burst's updates."""
    deadline = time.perf_counter() + within
    while time.perf_counter() < deadline:
        before = cpu_seconds(pid)
        await asyncio.sleep(0.5)
        if cpu_seconds(pid) - before < 0.01:
            return


@dataclass
class Figures:
    rate: dict[str, float] = field(default_factory=dict)  # msgs/s per phase
    cpu: dict[str, float] = field(default_factory=dict)  # ms of CPU per update per phase
    lat: dict[str, float] = field(default_factory=dict)  # p50/p99 ms at the paced rate


async def phase(fig: Figures, key: str, pid: int, emu: Emulator, replies: Replies,
                messages: list[tuple[int, str]]) -> None:
    before = cpu_seconds(pid)
    fig.rate[key] = await burst(emu, replies, messages, 1)
    fig.cpu[key] = (cpu_seconds(pid) - before) * 1000 / len(messages)


async def drive(args: argparse.Namespace, emu: Emulator, pid: int, step: Callable[[int], str],
                warm: str) -> Figures:
    """The same three phases for every bot: new users, returning users' steps, a paced run."""
    fig = Figures()
    replies = Replies(emu)
    await burst(emu, replies, [(1, warm)] * 20, 1)
    await quiet(pid)
    await phase(fig, "new", pid, emu, replies, [(10_000 + i, "/start") for i in range(args.n)])
    await phase(fig, "returning", pid, emu, replies, [(10_000 + i % args.users, step(i)) for i in range(args.n)])
    lat = await paced(emu, replies, [10_000 + i for i in range(args.paced)], step(0), args.rate)
    fig.lat = {"p50": pct(lat, 50), "p99": pct(lat, 99)}
    return fig


async def run_echo(args: argparse.Namespace, mode: str) -> Figures:
    emu = Emulator(rate_limit=0)
    await emu.start()
    proc = await asyncio.create_subprocess_exec(sys.executable, str(ROOT / "bench" / "echo_bot.py"), emu.url,
                                                str(args.concurrency), mode, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.DEVNULL)
    try:
        return await drive(args, emu, proc.pid, lambda i: "halo", "warm")
    finally:
        proc.terminate()
        await proc.wait()
        await emu.stop()


async def run_sapa(args: argparse.Namespace, tmp: Path, root: Path, label: str, extra: dict[str, str]) -> Figures:
    if args.postgres:
        url = await seeded_postgres(args.postgres)
    else:
        url = await seeded_sqlite(tmp / f"{label}.db")
    emu = Emulator(rate_limit=0)
    await emu.start()
    env = {"SAPA_BOT_TOKEN": "123456:BENCH", "SAPA_BOT_API_URL": emu.url, "SAPA_DATABASE_URL": url,
           "SAPA_LOG_LEVEL": "WARNING", "SAPA_POLLING_CONCURRENCY": str(args.concurrency), **extra}
    try:
        async with sapa_process(["run"], env, tmp / f"{label}.log", root) as proc:
            await wait_until(lambda: bool(emu.commands()) or proc.returncode is not None, 60, "sapa to start")
            out = Path(args.profile) / f"{label}.txt" if args.profile else None
            async with profiled(proc.pid, out):
                # Returning people change state: /bahasa writes their locale (answer: confirmation + menu).
                fig = await drive(args, emu, proc.pid,
                                  lambda i: "/bahasa en" if (i // args.users) % 2 == 0 else "/bahasa id", "/start")
            if out and out.exists():
                print(f"profile of SAPA {label} ({out}):\n{summarise(out)}")
            return fig
    finally:
        await emu.stop()


async def reset_postgres(url: str) -> None:
    """Empty the --postgres database again for the baseline run."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def parse() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=2000, help="updates per burst")
    p.add_argument("--users", type=int, default=400, help="returning users in the second burst")
    p.add_argument("--paced", type=int, default=250, help="updates in the latency run")
    p.add_argument("--rate", type=float, default=50.0, help="updates/s in the latency run")
    p.add_argument("--concurrency", type=int, default=16, help="polling task limit, every bot")
    p.add_argument("--postgres", metavar="URL", help="run SAPA on this EMPTY PostgreSQL database instead of SQLite")
    p.add_argument("--baseline", metavar="DIR", help="also run SAPA from this checkout (e.g. a worktree of main)")
    p.add_argument("--profile", metavar="DIR", help="py-spy record each SAPA run into DIR and summarise it")
    p.add_argument("--sapa-env", metavar="K=V", action="append", default=[], help="extra environment for SAPA")
    p.add_argument("--baseline-env", metavar="K=V", action="append", default=[],
                   help="extra environment for the baseline (e.g. the same checkout with SAPA_EVENT_LOOP=asyncio)")
    args = p.parse_args()
    args.sapa_env = dict(kv.split("=", 1) for kv in args.sapa_env)
    args.baseline_env = dict(kv.split("=", 1) for kv in args.baseline_env)
    if args.profile:
        Path(args.profile).mkdir(parents=True, exist_ok=True)
    args.baseline = Path(args.baseline).resolve() if args.baseline else None
    return args


async def main(args: argparse.Namespace) -> None:
    base: Figures | None = None
    with tempfile.TemporaryDirectory() as d:
        echo = await run_echo(args, "text")
        keys = await run_echo(args, "keyboard")
        sapa = await run_sapa(args, Path(d), ROOT, "now", args.sapa_env)
        if args.baseline:
            if args.postgres:
                await reset_postgres(args.postgres)
            base = await run_sapa(args, Path(d), args.baseline, "baseline", args.sapa_env | args.baseline_env)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print(f"n={args.n} users={args.users} paced={args.paced}@{args.rate:g}/s concurrency={args.concurrency}")
    backend = "PostgreSQL" if args.postgres else "SQLite"
    head = f"{'':30}{'echo':>10}{'keyboard':>10}{'SAPA':>10}{'÷echo':>8}{'÷keyb.':>8}"
    if base:
        head += f"{'baseline':>10}{'÷echo':>8}{'÷keyb.':>8}"
    print(f"SAPA on {backend}; echo = bare aiogram echo, keyboard = aiogram menu reply (HTML + 6 buttons)")
    if base:
        print(f"baseline = SAPA from {args.baseline} {args.baseline_env or ''}, run right after")
    print(head)
    for key, label in (("new", "/start, new users"), ("returning", "state step, returning")):
        line = f"{label + '  msg/s':30}{echo.rate[key]:10.0f}{keys.rate[key]:10.0f}"
        for fig in (sapa, base) if base else (sapa,):
            line += f"{fig.rate[key]:10.0f}{fig.rate[key] / echo.rate[key]:8.2f}{fig.rate[key] / keys.rate[key]:8.2f}"
        print(line)
        line = f"{label + '  CPU ms/update':30}{echo.cpu[key]:10.2f}{keys.cpu[key]:10.2f}"
        for fig in (sapa, base) if base else (sapa,):
            line += f"{fig.cpu[key]:10.2f}{fig.cpu[key] / echo.cpu[key]:8.2f}{fig.cpu[key] / keys.cpu[key]:8.2f}"
        print(line)
    for key in ("p50", "p99"):
        line = f"{'latency ' + key + f' @{args.rate:g}/s  ms':30}{echo.lat[key]:10.1f}{keys.lat[key]:10.1f}"
        for fig in (sapa, base) if base else (sapa,):
            line += f"{fig.lat[key]:10.1f}{'':16}"
        print(line)
    goal = 2 * keys.lat["p99"] + 20
    print(f"p99 goal (2 × keyboard echo p99 + 20 ms): {goal:.1f} ms → {'met' if sapa.lat['p99'] <= goal else 'missed'}")


if __name__ == "__main__":
    asyncio.run(main(parse()))
