"""The operator's endpoints, on their own listen address: `/healthz` and Prometheus `/metrics`.

`/healthz` answers 200 when the database answers and its schema is the code's, else 503, with
the scheduler's role and the outbox backlog in the body. `/metrics` refreshes the database
figures, then renders this process's registry.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from aiohttp import web

from bot.metrics import Metrics
from db.engine import Database
from db.migrate import current_revision, head_revision
from services.clock import Clock, utc_now

log = logging.getLogger(__name__)
OUTBOX_STATUSES = ("pending", "sending", "sent", "failed", "unreachable", "cancelled")


@dataclass(frozen=True)
class Health:
    ok: bool
    database: str  # "ok" or the error
    database_ms: float
    schema: str  # "current", or "at X, code expects Y"
    scheduler: str  # "leader" | "standby"
    outbox: dict[str, int]
    outbox_oldest_pending_s: float


async def check_health(db: Database, leading: Callable[[], bool], clock: Clock = utc_now) -> Health:
    started = time.perf_counter()
    scheduler = "leader" if leading() else "standby"
    try:
        async with db.uow() as uow:
            revision = await current_revision(uow.session)
            counts = await uow.outbox.counts()
            now = clock()
            oldest = await uow.outbox.oldest_due(now)
    except Exception as e:  # the database is down or unreachable: say so, never raise
        return Health(False, f"{type(e).__name__}: {str(e)[:200]}", 0.0, "unknown", scheduler, {}, 0.0)
    head = head_revision()
    schema = "current" if revision == head else f"at {revision}, code expects {head}"
    age = max(0.0, (now - oldest).total_seconds()) if oldest else 0.0
    return Health(revision == head, "ok", round((time.perf_counter() - started) * 1000, 1), schema, scheduler,
                  counts, round(age, 1))


def ops_app(db: Database, metrics: Metrics, leading: Callable[[], bool],
            jobs: Callable[[], Awaitable[Any]] | None = None) -> web.Application:
    """`jobs`, when given, makes `GET /jobs`: the job table `sapa jobs` prints (bot.jobrun.JobTable)."""
    async def healthz(_request: web.Request) -> web.Response:
        h = await check_health(db, leading)
        return web.json_response(asdict(h), status=200 if h.ok else 503)

    async def prometheus(_request: web.Request) -> web.Response:
        h = await check_health(db, leading)
        metrics.leader.set(1 if h.scheduler == "leader" else 0)
        # The usual statuses always (a status whose rows are all gone reads 0, not its old count).
        for status in {*OUTBOX_STATUSES, *h.outbox}:
            metrics.outbox_rows.labels(status).set(h.outbox.get(status, 0))
        metrics.outbox_oldest_pending.set(h.outbox_oldest_pending_s)
        return web.Response(body=metrics.render(), content_type="text/plain", charset="utf-8",
                            headers={"X-Content-Type-Options": "nosniff"})

    async def job_list(_request: web.Request) -> web.Response:
        assert jobs is not None
        return web.json_response(asdict(await jobs()))

    app = web.Application()
    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", prometheus)
    if jobs is not None:
        app.router.add_get("/jobs", job_list)
    return app


async def start_ops(listen: str, app: web.Application) -> web.AppRunner:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    host, _, port = listen.rpartition(":")
    await web.TCPSite(runner, host, int(port)).start()
    log.info("health and metrics on http://%s/healthz and /metrics", listen)
    return runner
