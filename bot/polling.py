"""Long polling that never confirms an update before it is committed (both engines use it).

Telegram forgets every update below the `offset` of a getUpdates call, so the offset we send
is the lowest update id not yet finished here: an update in flight at a crash (kill -9) is
delivered again after the restart, and `App.handle`'s de-duplication makes a committed one a
no-op. The loop keeps fetching while it has capacity, so one slow update does not stall the
bot; updates Telegram hands out again because the offset is held back are recognised (still
in flight, waiting, or already finished) and never handled twice. At most `concurrency`
updates are in progress and at most one batch (100) waits beside them: the next getUpdates
goes out when that batch is used up, so a backlog costs one request per hundred updates, not
one per free slot.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.updates import incoming_from_json
from handlers.kit import Incoming

log = logging.getLogger(__name__)

Json = dict[str, Any]
Fetch = Callable[[int | None, int, int], Awaitable[list[Json]]]  # (offset, timeout, limit) → raw updates
HandleJson = Callable[[Json], Awaitable[Any]]
Sleep = Callable[[float], Awaitable[Any]]

MAX_BATCH = 100  # Telegram's getUpdates limit
MAX_BACKOFF = 30.0
STOP_GRACE = 10.0  # seconds the updates in progress get to finish when polling stops
# Telegram answers at once while any update at or past the offset exists, so with the offset
# held back by an update in progress a long poll returns immediately with what we already have:
# then wait this long (or until something finishes) before asking again, instead of spinning.
REPOLL = 0.3


class Poller:
    """Fetch → handle concurrently → confirm only what is finished."""

    def __init__(self, fetch: Fetch, handle: HandleJson, *, concurrency: int, long_poll: int = 10,
                 sleep: Sleep = asyncio.sleep, stop_grace: float = STOP_GRACE) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.fetch = fetch
        self.handle = handle
        self.concurrency = concurrency
        self.long_poll = long_poll  # seconds a getUpdates may wait for news
        self.sleep = sleep
        self.stop_grace = stop_grace
        self.running: dict[int, asyncio.Task[None]] = {}
        self.waiting: list[Json] = []  # fetched, not started yet (in id order): at most one batch
        self.finished: set[int] = set()  # done here, but an earlier update still holds the offset
        self.next_new: int | None = None  # one past the highest update id started
        self._freed = asyncio.Event()

    @property
    def offset(self) -> int | None:
        """What the next getUpdates confirms: everything below the lowest unfinished update."""
        held = [*self.running, *(u["update_id"] for u in self.waiting[:1])]
        return min(held) if held else self.next_new

    async def run(self) -> None:
        """Poll until cancelled; updates in progress then get `stop_grace` seconds to finish."""
        failures = 0
        try:
            while True:
                self._start_waiting()
                if self.waiting or len(self.running) >= self.concurrency:
                    self._freed.clear()
                    await self._freed.wait()
                    continue
                offset = self.offset
                self.finished = {u for u in self.finished if offset is None or u >= offset}
                try:
                    batch = await self.fetch(offset, self.long_poll, MAX_BATCH)
                except asyncio.CancelledError:
                    raise
                except Exception as e:  # network, 409 from another instance, 5xx: wait, then again
                    failures += 1
                    delay = min(MAX_BACKOFF, 0.5 * 2 ** min(failures, 10))
                    log.warning("getUpdates failed (%s); retrying in %.1f s", e, delay)
                    await self.sleep(delay)
                    continue
                failures = 0
                if not self._accept(batch) and batch and self.running:
                    self._freed.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._freed.wait(), REPOLL)
        finally:
            await self._stop()

    def _accept(self, batch: list[Json]) -> int:
        """Queue the new updates of a batch, in id order; how many were new."""
        new = 0
        numbered = [u for u in batch if isinstance(u.get("update_id"), int)]
        for update in sorted(numbered, key=lambda u: u["update_id"]):
            uid = update["update_id"]
            if uid in self.running or uid in self.finished:
                continue  # re-delivered because the offset is held back: already ours
            if self.next_new is not None and uid < self.next_new:
                continue  # waiting already, or finished and confirmed below the offset
            self.next_new = uid + 1
            self.waiting.append(update)
            new += 1
        self._start_waiting()
        return new

    def _start_waiting(self) -> None:
        """Start waiting updates, oldest first, while there is room."""
        while self.waiting and len(self.running) < self.concurrency:
            update = self.waiting.pop(0)
            uid = update["update_id"]
            self.running[uid] = asyncio.create_task(self._one(uid, update), name=f"update-{uid}")

    async def _one(self, uid: int, update: Json) -> None:
        attempt = 0
        try:
            while True:
                try:
                    await self.handle(update)
                    break
                except asyncio.CancelledError:
                    raise
                except Exception:
                    # Not committed (the database failed): the offset stays here and it is tried
                    # again. After a commit a retry is a replay that de-duplication absorbs.
                    attempt += 1
                    delay = min(MAX_BACKOFF, 0.5 * 2 ** min(attempt, 10))
                    log.exception("update %d failed; retrying in %.1f s", uid, delay)
                    await self.sleep(delay)
            self.finished.add(uid)
        finally:
            self.running.pop(uid, None)
            self._freed.set()

    async def _stop(self) -> None:
        offset = self.offset
        if self.running:
            tasks = dict(self.running)
            _, pending = await asyncio.wait(list(tasks.values()), timeout=self.stop_grace)
            unfinished = [uid for uid, task in tasks.items() if task in pending]
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            # A cancelled update was not committed: the offset must not pass it.
            offset = min(unfinished) if unfinished else self.offset
        # Confirm what finished, so a clean restart is not handed it again (harmless if it fails).
        if offset is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.fetch(offset, 0, 1), 5)


async def poll_updates(fetch: Fetch, handle: Callable[[Incoming], Awaitable[Any]], concurrency: int,
                       *, long_poll: int = 10) -> None:
    """The engines' `poll`: raw updates from `fetch`, each turned into an Incoming and handled."""
    async def one(update: Json) -> None:
        inc = incoming_from_json(update)
        if inc is not None:  # an update kind SAPA does not handle is simply confirmed
            await handle(inc)

    await Poller(fetch, one, concurrency=concurrency, long_poll=long_poll).run()
