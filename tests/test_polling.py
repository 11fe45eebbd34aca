"""The engine-neutral polling loop against a fake Telegram: offsets confirm only finished updates."""

from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any

import pytest

from bot.polling import Poller


class FakeTelegram:
    """getUpdates as Telegram does it: the offset forgets earlier updates; answers from it onward."""

    def __init__(self, ids: list[int] | None = None) -> None:
        self.queue: list[dict[str, Any]] = [{"update_id": i} for i in ids or []]
        self.offsets: list[int | None] = []
        self.failures = 0  # the next n calls raise, like a network error
        self.news = asyncio.Event()

    def add(self, *ids: int) -> None:
        self.queue += [{"update_id": i} for i in ids]
        self.news.set()

    async def fetch(self, offset: int | None, wait: int, limit: int) -> list[dict[str, Any]]:
        self.offsets.append(offset)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("network down")
        if offset is not None:
            self.queue = [u for u in self.queue if u["update_id"] >= offset]
        if not self.queue and wait:
            self.news.clear()
            try:
                await asyncio.wait_for(self.news.wait(), 0.05)
            except TimeoutError:
                return []
        batch = sorted(self.queue, key=lambda u: u["update_id"])[:limit]
        return [dict(u) for u in reversed(batch)]  # the loop must not rely on the order in a batch


class Handler:
    """Records every call; updates in `blocked` wait until released."""

    def __init__(self, blocked: set[int] | None = None) -> None:
        self.calls: Counter[int] = Counter()
        self.started: list[int] = []
        self.done: list[int] = []
        self.active = 0
        self.most_active = 0
        self.gates = {i: asyncio.Event() for i in blocked or ()}
        self.fail_first: set[int] = set()

    async def __call__(self, update: dict[str, Any]) -> None:
        uid = update["update_id"]
        self.calls[uid] += 1
        self.started.append(uid)
        self.active += 1
        self.most_active = max(self.most_active, self.active)
        try:
            if uid in self.fail_first:
                self.fail_first.discard(uid)
                raise RuntimeError("database is down")
            await asyncio.sleep(0)
            if uid in self.gates:
                await self.gates[uid].wait()
            self.done.append(uid)
        finally:
            self.active -= 1


async def no_sleep(_seconds: float) -> None:
    await asyncio.sleep(0)


async def until(predicate: Any, within: float = 5.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while not predicate():
        assert loop.time() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_a_slow_update_holds_the_offset_but_not_the_bot() -> None:
    tg = FakeTelegram([1, 2, 3])
    handle = Handler(blocked={1})
    poller = Poller(tg.fetch, handle, concurrency=4, long_poll=1)
    task = asyncio.create_task(poller.run())
    await until(lambda: handle.done == [2, 3])
    tg.add(4, 5)
    await until(lambda: 5 in handle.done)
    await asyncio.sleep(0.1)  # several more getUpdates while 1 is still in progress
    assert [o for o in tg.offsets if o is not None and o > 1] == []
    assert handle.calls == {1: 1, 2: 1, 3: 1, 4: 1, 5: 1}  # re-fetched, never handled twice
    handle.gates[1].set()
    await until(lambda: 6 in tg.offsets)
    assert all(n == 1 for n in handle.calls.values())
    await stop(task)


async def test_concurrency_is_bounded_and_updates_start_in_order() -> None:
    tg = FakeTelegram([9, 3, 5, 4, 8, 6, 7, 1, 2])
    handle = Handler(blocked=set(range(1, 10)))
    poller = Poller(tg.fetch, handle, concurrency=3, long_poll=1)
    task = asyncio.create_task(poller.run())
    await until(lambda: len(handle.started) == 3)
    await asyncio.sleep(0.05)
    assert handle.started == [1, 2, 3] and handle.most_active == 3
    for i in range(1, 10):
        handle.gates[i].set()
    await until(lambda: len(handle.done) == 9)
    assert handle.started == list(range(1, 10)) and handle.most_active == 3
    await until(lambda: 10 in tg.offsets)
    await stop(task)


async def test_network_errors_back_off_and_recover() -> None:
    tg = FakeTelegram([1])
    tg.failures = 3
    delays: list[float] = []

    async def sleep(seconds: float) -> None:
        delays.append(seconds)
        await asyncio.sleep(0)

    handle = Handler()
    task = asyncio.create_task(Poller(tg.fetch, handle, concurrency=2, long_poll=1, sleep=sleep).run())
    await until(lambda: handle.done == [1])
    assert delays == [1.0, 2.0, 4.0]
    await until(lambda: 2 in tg.offsets)
    await stop(task)


async def test_an_update_that_fails_is_retried_before_its_offset_is_confirmed() -> None:
    tg = FakeTelegram([1, 2])
    handle = Handler(blocked={1})
    handle.fail_first = {1}
    task = asyncio.create_task(Poller(tg.fetch, handle, concurrency=2, long_poll=1, sleep=no_sleep).run())
    await until(lambda: handle.calls[1] == 2 and handle.done == [2])
    assert [o for o in tg.offsets if o is not None and o > 1] == []
    handle.gates[1].set()
    await until(lambda: 3 in tg.offsets)
    assert handle.done == [2, 1]
    await stop(task)


async def test_stopping_confirms_what_finished_and_never_what_was_cut_off() -> None:
    tg = FakeTelegram([1, 2, 3])
    handle = Handler(blocked={2})
    task = asyncio.create_task(Poller(tg.fetch, handle, concurrency=4, long_poll=1, stop_grace=0.1).run())
    await until(lambda: handle.done == [1, 3])
    await stop(task)
    assert tg.offsets[-1] == 2  # the final confirmation stops at the update that was cut off
    assert max(o for o in tg.offsets if o is not None) == 2

    handle2 = Handler()
    tg2 = FakeTelegram([1, 2])
    task = asyncio.create_task(Poller(tg2.fetch, handle2, concurrency=4, long_poll=1).run())
    await until(lambda: handle2.done == [1, 2])
    await stop(task)
    assert tg2.offsets[-1] == 3  # everything finished: a clean restart is not handed it again


async def test_updates_without_a_numeric_id_are_skipped() -> None:
    offsets: list[int | None] = []

    async def fetch(offset: int | None, wait: int, limit: int) -> list[dict[str, Any]]:
        offsets.append(offset)
        await asyncio.sleep(0.01)
        return [{"update_id": "x"}, {"no": "id"}, {"update_id": None}] + ([{"update_id": 1}] if offset is None else [])

    handle = Handler()
    task = asyncio.create_task(Poller(fetch, handle, concurrency=2, long_poll=1).run())
    await until(lambda: handle.done == [1] and 2 in offsets)
    await stop(task)
    assert handle.calls == {1: 1}


def test_concurrency_must_be_positive() -> None:
    with pytest.raises(ValueError):
        Poller(FakeTelegram().fetch, Handler(), concurrency=0)


async def test_a_backlog_costs_one_request_per_batch_not_per_free_slot() -> None:
    """2,000 waiting updates at concurrency 4: about twenty getUpdates, every update handled once, in order."""
    tg = FakeTelegram(list(range(1, 2001)))
    handle = Handler()
    poller = Poller(tg.fetch, handle, concurrency=4, long_poll=1)
    task = asyncio.create_task(poller.run())
    await until(lambda: len(handle.done) == 2000, within=20)
    assert handle.calls == {i: 1 for i in range(1, 2001)} and handle.most_active <= 4
    assert handle.started == list(range(1, 2001))
    assert len(tg.offsets) <= 2000 // 100 + 5, len(tg.offsets)
    await until(lambda: 2001 in tg.offsets)
    await stop(task)
