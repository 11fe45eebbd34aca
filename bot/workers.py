"""`sapa webhook --workers N`: N webhook processes on one PostgreSQL, kept running.

Worker i listens on SAPA_WEBHOOK_LISTEN's port + i (a load balancer such as nginx spreads
Telegram's calls over them; see the README's "Deploying"), or, with --reuse-port, all on the
same port through SO_REUSEPORT and the kernel spreads them. Worker 0 alone registers the
webhook with Telegram. A worker that dies is started again; SIGTERM stops them all.
The database de-duplicates updates and elects one scheduler leader, which alone sends the
outbox, so the bot's send rate is the same whatever N is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys

from services.settings import Settings

log = logging.getLogger(__name__)
RESTART_DELAY = 1.0


def worker_env(settings: Settings, index: int, *, reuse_port: bool) -> dict[str, str]:
    """The environment of worker `index`: its own listen ports unless they share one."""
    env = {k: v for k, v in os.environ.items()}
    host, _, port = settings.webhook_listen.rpartition(":")
    env["SAPA_WEBHOOK_LISTEN"] = f"{host}:{int(port) + (0 if reuse_port else index)}"
    if reuse_port:
        env["SAPA_WEBHOOK_REUSE_PORT"] = "true"
    if settings.ops_listen:
        ops_host, _, ops_port = settings.ops_listen.rpartition(":")
        env["SAPA_OPS_LISTEN"] = f"{ops_host}:{int(ops_port) + index}"
    return env


async def run_workers(settings: Settings, count: int, *, engine: str | None, reuse_port: bool) -> int:
    if settings.database_url.startswith("sqlite"):
        print("--workers needs PostgreSQL (SAPA_DATABASE_URL=postgresql+asyncpg://…): SQLite has one writer "
              "and one process", file=sys.stderr)
        return 2
    from db.migrate import migrate

    await migrate(settings.database_url)  # once, before any worker starts
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    tasks = [asyncio.create_task(_keep_running(settings, i, engine, reuse_port, stop)) for i in range(count)]
    log.info("started %d webhook worker(s)%s", count, " sharing one port (SO_REUSEPORT)" if reuse_port else "")
    await asyncio.gather(*tasks)
    return 0


async def _keep_running(settings: Settings, index: int, engine: str | None, reuse_port: bool,
                        stop: asyncio.Event) -> None:
    args = [sys.executable, "-m", "bot.cli", "webhook", "--worker-index", str(index)]
    if engine:
        args += ["--engine", engine]
    while not stop.is_set():
        proc = await asyncio.create_subprocess_exec(*args, env=worker_env(settings, index, reuse_port=reuse_port))
        waiter = asyncio.create_task(stop.wait())
        exited = asyncio.create_task(proc.wait())
        await asyncio.wait([waiter, exited], return_when=asyncio.FIRST_COMPLETED)
        if stop.is_set():
            with contextlib.suppress(ProcessLookupError):
                proc.terminate()
            try:
                await asyncio.wait_for(proc.wait(), 15)
            except TimeoutError:
                proc.kill()
                await proc.wait()
            waiter.cancel()
            return
        waiter.cancel()
        log.warning("webhook worker %d (pid %d) exited with %s; starting it again", index, proc.pid, proc.returncode)
        await asyncio.sleep(RESTART_DELAY)
