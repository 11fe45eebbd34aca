"""The outbox sender: drains queued pushes, paced evenly, durable across crashes.

A row is claimed ('sending') in a short committed transaction before any network call and
its result is written in another one after the send, so a crash re-sends at most the rows
that were claimed at that moment — never more than `in_flight`. Every row ends 'sent',
'failed' (with the reason) or 'unreachable'.

What a send's outcome writes is in bot/outbox_results.py; the sender as a process of its own
(`python -m bot.outbox`, settings from SAPA_* variables) in bot/outbox_process.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import math
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from bot.delivery import Pause, expand
from bot.outbox_results import Outcome, record
from db.engine import Database
from db.repositories.outbox import Claimed
from handlers.channel import Channel, Rejected, RetryAfter, Transient, Unreachable
from handlers.i18n import pick_locale
from handlers.kit import Reply
from services.clock import Clock, utc_now
from services.notice import UnfitParams

log = logging.getLogger(__name__)

Render = Callable[[str, dict[str, Any], str], Reply]
Sleep = Callable[[float], Awaitable[Any]]

IDLE_POLL = 1.0  # seconds between looks at the queue when nobody called wake()
STALE_AFTER = timedelta(minutes=5)  # PostgreSQL: another sender may still be working on younger claims
WRITE_RETRIES = 3  # a failed result write is retried before the rows are left to release_stale


def reply_reserve(rate: float) -> int:
    """Messages per second the outbox leaves free of the configured rate: ~4%, at least one."""
    return 0 if math.isinf(rate) else max(1, math.ceil(rate * 0.04))


class OutboxSender:
    """Claims due rows, renders them in the recipient's language and sends them."""

    def __init__(
        self, db: Database, channel: Channel, render: Render, *, rate: float, in_flight: int, pause: Pause,
        clock: Clock = utc_now, max_attempts: int = 5, backoff_base: float = 2.0, default_locale: str = "id",
        sleep: Sleep = asyncio.sleep, monotonic: Callable[[], float] = time.monotonic, reserve: int = 0,
        only_channel: str | None = None,
    ) -> None:
        if not rate > 0:
            raise ValueError("rate must be above 0")
        if in_flight < 1 or max_attempts < 1:
            raise ValueError("in_flight and max_attempts must be at least 1")
        self.db = db
        self.channel = channel
        self.only_channel = only_channel  # with several channels: each sender claims its people's rows
        self.render = render
        self.pause = pause
        self.clock = clock
        self.in_flight = in_flight
        self.max_attempts = max_attempts
        self.backoff_base = backoff_base
        self.default_locale = default_locale
        self.sleep = sleep
        self.monotonic = monotonic
        self.interval = 0.0 if math.isinf(rate) else 1.0 / rate
        # At most this many of the bot's messages (replies included) in any second: what replies
        # take, the outbox gives up; `reserve` stays free for arrival jitter and a sudden reply.
        self.room = math.inf if math.isinf(rate) else max(1.0, rate - reserve)
        self._refill_at = max(1, in_flight // 2)
        self._next_at = -math.inf  # the start-time schedule: the earliest moment of the next send
        self._gate = asyncio.Lock()  # one sender at a time waits for the next slot
        self._wake = asyncio.Event()

    # -- public -------------------------------------------------------------------------------

    def wake(self) -> None:
        """Look at the queue now (the App calls this after committing rows)."""
        self._wake.set()

    async def run(self) -> None:
        """Send until cancelled; idle it looks at the queue every second or when woken."""
        await self.release_stale()
        while True:
            self._wake.clear()  # cleared before draining: a wake() during the drain is not lost
            try:
                processed = await self.drain_once()
            except Exception:
                log.exception("outbox drain failed; trying again shortly")
                processed = 0
            if processed == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._wake.wait(), IDLE_POLL)

    async def release_stale(self) -> int:
        """Rows a crashed sender left 'sending' go back to the queue.

        SQLite has one sending process, so every such row is ours from a previous life; on
        PostgreSQL another process may be sending right now, so only old claims are taken back.
        """
        cutoff = None if self.db.dialect == "sqlite" else self.clock() - STALE_AFTER
        async with self.db.uow() as uow:
            n = await uow.outbox.release_stale(cutoff)
            await uow.commit()
        if n:
            log.warning("outbox: %d row(s) left 'sending' by a previous run go back to the queue", n)
        return n

    async def drain_once(self) -> int:
        """Send everything due now; returns how many claimed rows got a result.

        Rows are claimed as slots free up, so never more than `in_flight` rows are claimed
        and unsettled at once; results of finished sends ride with the next claim.
        """
        running: dict[asyncio.Task[Outcome], Claimed] = {}
        finished: list[Outcome] = []
        orphans: list[Claimed] = []  # claimed by a write that completed while we were being stopped
        settled = 0
        try:
            while True:
                wanted = self.in_flight - len(running)
                exchange = asyncio.ensure_future(self._exchange(finished, wanted))
                try:
                    claimed = await asyncio.shield(exchange)
                except asyncio.CancelledError:
                    # Let the write finish so its results stay written and its claims go back.
                    with contextlib.suppress(Exception):
                        orphans = await exchange
                        finished = []
                    raise
                settled += len(finished)
                finished = []
                for row in claimed:
                    running[asyncio.create_task(self._deliver(row))] = row
                if not running:
                    return settled
                # Refill when half the slots are free: half as many transactions on the one
                # SQLite writer, while the rows still claimed keep the pace going meanwhile.
                while True:
                    done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                    for task in done:
                        running.pop(task)
                        finished.append(task.result())
                    if not running or self.in_flight - len(running) >= self._refill_at:
                        break
        except BaseException:
            await self._abandon(running, finished, orphans)
            raise

    # -- database -----------------------------------------------------------------------------

    async def _exchange(self, outcomes: list[Outcome], claim: int) -> list[Claimed]:
        """One short transaction: write the results we have, claim up to `claim` more rows."""
        for attempt in range(WRITE_RETRIES):
            try:
                async with self.db.uow() as uow:
                    now = self.clock()
                    await record(uow, outcomes, now, max_attempts=self.max_attempts, backoff_base=self.backoff_base)
                    rows = await uow.outbox.claim(claim, now, self.only_channel) if claim > 0 else []
                    await uow.commit()
                return rows
            except Exception:
                if attempt == WRITE_RETRIES - 1:
                    raise
                log.exception("outbox: database write failed (attempt %d); retrying", attempt + 1)
                await self.sleep(1.0)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _abandon(
        self, running: dict[asyncio.Task[Outcome], Claimed], finished: list[Outcome], orphans: list[Claimed],
    ) -> None:
        """Stopping (cancelled or failing): keep the results we have, give unsent claims back."""
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        for task in running:
            if not task.cancelled() and task.exception() is None:
                finished.append(task.result())
        done_ids = {o.row.id for o in finished}
        unsent = [row.id for row in [*running.values(), *orphans] if row.id not in done_ids]
        if not finished and not unsent:
            return
        try:
            async with self.db.uow() as uow:
                await record(uow, finished, self.clock(), max_attempts=self.max_attempts,
                             backoff_base=self.backoff_base)
                await uow.outbox.release(unsent)
                await uow.commit()
        except Exception:  # release_stale takes them back at the next start
            log.exception("outbox: could not settle %d row(s) while stopping", len(finished) + len(unsent))

    # -- network ------------------------------------------------------------------------------

    async def _slot(self) -> None:
        """Wait for this send's start time: 1/rate after the previous one, and no 429 pause."""
        async with self._gate:
            while True:
                await self.pause.wait()
                now = self.monotonic()
                if self._next_at > now:
                    await self.sleep(self._next_at - now)  # then look at the pause again
                    continue
                if not math.isinf(self.room):
                    recent, frees_at = self.pause.sent_within(now)
                    if recent >= self.room:  # replies took part of this second: wait for room
                        await self.sleep(max(frees_at - now, 0.001))
                        continue
                    self.pause.note(now)
                # A late wake-up (a busy loop) is made up on the next slot, not lost: the schedule
                # keeps to the rate on average; the window above still caps any second.
                behind = now - self._next_at
                self._next_at = (self._next_at if behind < self.interval else now) + self.interval
                return

    async def _deliver(self, row: Claimed) -> Outcome:
        """Render and send one row (several messages when long); never raises."""
        locale = pick_locale(row.locale, row.language_code, self.default_locale)
        try:
            parts = expand(self.render(row.template, row.params, locale))
        except KeyError as e:
            if e.args and e.args[0] == row.template:
                return Outcome(row, "failed", f"unknown template {row.template!r}")
            return Outcome(row, "failed", f"rendering {row.template!r} failed: missing {e}")
        except UnfitParams as e:  # the row was written by code that no longer matches its type
            return Outcome(row, "failed", f"params do not fit the notice: {e}")
        except Exception as e:  # a renderer bug fails the row; retrying would fail the same way
            return Outcome(row, "failed", f"rendering {row.template!r} failed: {type(e).__name__}: {e}")
        for i, part in enumerate(parts):
            where = f"part {i + 1}/{len(parts)}: " if len(parts) > 1 else ""
            limited = 0
            while True:
                await self._slot()
                try:
                    await self.channel.send(row.chat_id, part)
                    break
                except RetryAfter as e:
                    self.pause.hold(e.seconds)
                    limited += 1
                    # Before the first part nothing arrived: the row waits in the queue. After
                    # it, re-queueing would repeat earlier parts, so wait out the pause here.
                    if i == 0 or limited >= self.max_attempts:
                        return Outcome(row, "rate_limited", f"{where}{e.reason}", e.seconds)
                except Unreachable as e:
                    return Outcome(row, "unreachable", e.reason)
                except Rejected as e:
                    return Outcome(row, "failed", f"{where}{e.reason}")
                except Transient as e:
                    return Outcome(row, "retry", f"{where}{e.reason}")
                except Exception as e:  # an adapter bug must not lose the row
                    log.exception("outbox row %d: unexpected send error", row.id)
                    return Outcome(row, "retry", f"{where}{type(e).__name__}: {e}")
        return Outcome(row, "sent")


if __name__ == "__main__":  # `python -m bot.outbox`, as deployments run it
    from bot.outbox_process import main

    main()
