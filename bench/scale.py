"""Scale-out on one PostgreSQL: 1, 2 and 4 webhook workers behind nginx, through the emulator.

    .venv/bin/python bench/scale.py --postgres postgresql+asyncpg://postgres@127.0.0.1:5432/EMPTY_DB \
        [--users 10000] [--workers 1,2,4] [--connections 40]

Each simulated user sends /start once (a new person: dedupe row, user row, menu reply). The
emulator pushes the updates to nginx with Telegram's `max_connections` concurrency, nginx
spreads them over `sapa webhook --workers N`. Printed per N: msgs/s, CPU per update (user +
system of every worker process during the run), and the speed-up over one worker. On a
machine with C cores the speed-up is bounded by C (and PostgreSQL shares those cores): the
output says how many cores it had. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from throughput import Replies, cpu_seconds  # noqa: E402

from bot.balancer import start_balancer  # noqa: E402
from bot.sandbox.emulator import Emulator  # noqa: E402
from tests.e2e import fresh_database, sapa_process, wait_until  # noqa: E402
from tests.test_scale_out import _answers, free_ports, worker_pids  # noqa: E402


async def run(args: argparse.Namespace, workers: int, tmp: Path) -> tuple[float, float, bool]:
    await fresh_database(args.postgres)
    front, base, ops = free_ports(1), free_ports(workers), free_ports(workers)
    emu = Emulator(rate_limit=0)
    await emu.start()
    env = {"SAPA_BOT_TOKEN": "123456:SCALE", "SAPA_BOT_API_URL": emu.url, "SAPA_DATABASE_URL": args.postgres,
           "SAPA_WEBHOOK_URL": f"http://127.0.0.1:{front}/tg/hook", "SAPA_WEBHOOK_SECRET": "scale-bench",
           "SAPA_WEBHOOK_LISTEN": f"127.0.0.1:{base}", "SAPA_OPS_LISTEN": f"127.0.0.1:{ops}",
           "SAPA_WEBHOOK_MAX_CONNECTIONS": str(args.connections), "SAPA_LOG_LEVEL": "WARNING"}
    upstreams = [f"127.0.0.1:{base + i}" for i in range(workers)]
    try:
        async with start_balancer(f"127.0.0.1:{front}", upstreams, tmp / f"nginx{workers}") as nginx:
            cmd = ["webhook", "--workers", str(workers)]
            if not nginx:  # the kernel spreads connections instead: all workers on the front port
                env["SAPA_WEBHOOK_LISTEN"] = f"127.0.0.1:{front}"
                cmd.append("--reuse-port")
            async with sapa_process(cmd, env, tmp / f"sapa{workers}.log") as parent:
                await wait_until(lambda: emu.webhook_url is not None, 240, "the webhook")
                await wait_until(lambda: _answers(ops, workers), 240, "the workers")
                pids = await worker_pids(parent.pid) or [parent.pid]  # --workers 1 serves in-process
                for i in range(20):  # warm every worker's connections and caches
                    await emu.say(1 + i, "/start", first_name="Warm")
                await emu.wait_drained(timeout=120)
                replies = Replies(emu)
                before = sum(cpu_seconds(p) for p in pids)
                start = time.perf_counter()
                for i in range(args.users):
                    await emu.say(100_000 + i, "/start", first_name=f"U{i}")
                await wait_until(lambda: replies.total >= args.users, 1800, "every user answered")
                elapsed = time.perf_counter() - start
                cpu = sum(cpu_seconds(p) for p in pids) - before
    finally:
        await emu.stop()
    return args.users / elapsed, cpu * 1000 / args.users, nginx


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--postgres", required=True, metavar="URL", help="an EMPTY PostgreSQL database (it is truncated)")
    p.add_argument("--users", type=int, default=10_000)
    p.add_argument("--workers", default="1,2,4")
    p.add_argument("--connections", type=int, default=40, help="setWebhook max_connections")
    args = p.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as d:
        for n in (int(x) for x in args.workers.split(",")):
            results.append((n, *await run(args, n, Path(d))))
    cores = os.cpu_count() or 1
    print(f"machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, {platform.platform()}")
    print(f"users={args.users} max_connections={args.connections}; balancer: "
          f"{'nginx' if all(r[3] for r in results) else 'SO_REUSEPORT (nginx not installed)'}")
    print(f"{'workers':>8}{'msgs/s':>10}{'CPU ms/update':>15}{'speed-up':>10}{'msgs/s per core used':>22}")
    one = results[0][1]
    for n, rate, cpu, _ in results:
        print(f"{n:8}{rate:10.0f}{cpu:15.2f}{rate / one:10.2f}{rate / min(n, cores):22.0f}")
    best_cpu = min(r[2] for r in results)
    print(f"CPU per update bounds a host at ≈ {1000 / best_cpu:.0f} msgs/s per core for SAPA's workers alone; "
          f"a 16-core host (PostgreSQL on its own cores) by the same measure: ≈ {16 * 1000 / best_cpu:.0f} msgs/s")


if __name__ == "__main__":
    asyncio.run(main())
