"""The pair rate: roughly one message every 6 s to the same person, with a short burst allowed
(a reply of three messages must not wait 18 s). Sending within it spares everyone else the
131056 that a whole-channel pause would answer."""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

PAIR_INTERVAL = 6.0  # seconds per message, sustained
PAIR_BURST = 30  # messages at once (Meta's own burst is larger; this keeps well within it)
REMEMBERED = 10_000  # people with a recent bucket; the oldest are forgotten (a full bucket again)


class PairPacer:
    def __init__(self, interval: float = PAIR_INTERVAL, burst: int = PAIR_BURST,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep) -> None:
        self.interval, self.burst = interval, burst
        self.monotonic, self.sleep = monotonic, sleep
        self._buckets: OrderedDict[int, tuple[float, float]] = OrderedDict()  # chat → (tokens, at)

    async def wait(self, chat_id: int) -> None:
        """Take this person's next slot, waiting for it when their burst is spent."""
        while True:
            now = self.monotonic()
            tokens, at = self._buckets.pop(chat_id, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) / self.interval)
            if tokens >= 1:
                self._remember(chat_id, tokens - 1, now)
                return
            self._remember(chat_id, tokens, now)
            await self.sleep((1 - tokens) * self.interval)

    def held(self, chat_id: int) -> None:
        """Meta said 131056 all the same: this person's burst is spent."""
        self._remember(chat_id, 0.0, self.monotonic())

    def _remember(self, chat_id: int, tokens: float, at: float) -> None:
        self._buckets[chat_id] = (tokens, at)
        self._buckets.move_to_end(chat_id)
        while len(self._buckets) > REMEMBERED:
            self._buckets.popitem(last=False)
