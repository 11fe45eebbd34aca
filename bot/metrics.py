"""Prometheus metrics of one process: updates, handling latency, Bot API errors, the outbox.

A `Metrics` is made per process (`new_metrics()`) and handed to what records into it; nothing
registers in prometheus_client's global registry, so tests and several Apps in one process
never share counters. Database-backed figures (the outbox by status) are read when scraped.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

from handlers.channel import Channel, Rejected, RetryAfter, Transient, Unreachable
from handlers.kit import Reply

# Handling an update: most take a few ms; a slow disk or a big import shows in the tail.
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
ERROR_CODES: tuple[tuple[type[Exception], str], ...] = (
    (Unreachable, "403"), (RetryAfter, "429"), (Rejected, "400"), (Transient, "5xx"),
)


@dataclass(frozen=True)
class Metrics:
    registry: CollectorRegistry
    updates: Counter
    latency: Histogram
    api_calls: Counter
    outbox_rows: Gauge
    outbox_oldest_pending: Gauge
    leader: Gauge

    def handled(self, kind: str, outcome: str, started: float) -> None:
        self.updates.labels(kind, outcome).inc()
        self.latency.observe(time.perf_counter() - started)

    def render(self) -> bytes:
        return generate_latest(self.registry)


def new_metrics() -> Metrics:
    r = CollectorRegistry()
    return Metrics(
        registry=r,
        updates=Counter("sapa_updates", "Updates handled, by kind and outcome (ok, replay, crash).",
                        ["kind", "outcome"], registry=r),
        latency=Histogram("sapa_update_seconds", "Handling one update: receipt to last reply sent.",
                          buckets=LATENCY_BUCKETS, registry=r),
        api_calls=Counter("sapa_bot_api_sends", "Messages sent to the Bot API, by result code (200, 400, 403, "
                          "429, 5xx).", ["code"], registry=r),
        outbox_rows=Gauge("sapa_outbox_rows", "Outbox rows by status (whole database).", ["status"], registry=r),
        outbox_oldest_pending=Gauge("sapa_outbox_oldest_pending_seconds",
                                    "Age of the oldest pending outbox row that is due.", registry=r),
        leader=Gauge("sapa_scheduler_leader", "1 while this process leads the scheduler and sends the outbox.",
                     registry=r),
    )


class MeteredChannel:
    """A Channel that counts each send's result: one place sees replies and outbox pushes alike."""

    def __init__(self, inner: Channel, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics
        self.name = inner.name

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        try:
            result = await self.inner.send(chat_id, reply, edit_message_id=edit_message_id)
        except Exception as e:
            self.metrics.api_calls.labels(_code(e)).inc()
            raise
        self.metrics.api_calls.labels("200").inc()
        return result

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        await self.inner.answer_callback(callback_id, text)

    async def download(self, file_id: str) -> bytes:
        return await self.inner.download(file_id)

    def __getattr__(self, name: str) -> Any:  # engine-specific extras pass through
        return getattr(self.inner, name)


def _code(e: Exception) -> str:
    return next((code for kind, code in ERROR_CODES if isinstance(e, kind)), "other")
