"""A file's rows read off the event loop, a chunk at a time, where they cannot stall the bot.

openpyxl is pure Python: a big sheet is seconds of CPU holding the GIL, and in a thread the event
loop then gets only slices of it, so every other chat's reply waits. A big file is therefore read
in a worker process (spawned, not forked: the bot has threads), a small one in a thread. Either
way the stream stays open where it is read, between calls that each return CHUNK rows: the bot
shows how far it got and can stop, and only rows up to the limit ever exist. This module imports
no database or import kind, so the worker process stays small (the bot decides the kind).
A refusal crosses the process boundary as plain values (an exception's params would not).
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import uuid
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from types import TracebackType
from typing import Any, cast

from services.errors import InvalidInput
from services.spreadsheet import Row, Stream, open_table

CHUNK = 2000
OFF_PROCESS_BYTES = 256 * 1024  # above this a file is read in a worker process
_POOL: list[ProcessPoolExecutor] = []
_OPEN: dict[str, Stream] = {}  # in the process that reads: reading key → its open stream
Answer = tuple[str, object]  # ("ok", value) or ("refused", (code, params))


def _start(key: str, content: bytes, name: str, max_rows: int) -> Answer:
    try:
        stream = open_table(content, name, (), max_rows=max_rows)
    except InvalidInput as e:
        return "refused", (e.code, e.params)
    _OPEN[key] = stream
    return "ok", stream.header


def _next(key: str, n: int) -> Answer:
    stream = _OPEN.get(key)
    if stream is None:
        return "ok", []
    try:
        rows = list(itertools.islice(stream.rows, n))
    except InvalidInput as e:
        _OPEN.pop(key, None)
        return "refused", (e.code, e.params)
    if len(rows) < n:
        _OPEN.pop(key, None)
    return "ok", rows


def _close(key: str) -> Answer:
    _OPEN.pop(key, None)
    return "ok", None


class Reading:
    """`async with Reading(content, name, max_rows) as r:` → `r.header`, then `async for chunk in r.chunks()`."""

    def __init__(self, content: bytes, name: str, max_rows: int) -> None:
        self.content, self.name, self.max_rows = content, name, max_rows
        self.big, self.key = len(content) >= OFF_PROCESS_BYTES, uuid.uuid4().hex
        self.header: list[str] = []

    async def __aenter__(self) -> Reading:
        self.header = await self._call(_start, self.key, self.content, self.name, self.max_rows)
        return self

    async def __aexit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        try:
            await self._call(_close, self.key)
        except Exception:  # noqa: BLE001 — the worker is gone; so is the stream
            pass

    async def chunks(self) -> AsyncIterator[list[tuple[int, Row]]]:
        while True:
            chunk: list[tuple[int, Row]] = await self._call(_next, self.key, CHUNK)
            if chunk:
                yield chunk
            if len(chunk) < CHUNK:
                return

    # Any: what `fn` answered, whose type only the caller (which named `fn`) knows.
    async def _call(self, fn: Callable[..., Answer], *args: object) -> Any:
        if not self.big:
            answer = await asyncio.to_thread(fn, *args)
        else:
            if not _POOL:
                _POOL.append(ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")))
            try:
                answer = await asyncio.get_running_loop().run_in_executor(_POOL[0], fn, *args)
            except BrokenProcessPool:  # the worker died (killed, out of memory): the next file gets a new one
                _POOL.clear()
                raise
        status, value = answer
        if status == "refused":
            code, params = cast(tuple[str, dict[str, Any]], value)
            raise InvalidInput(code, **params)
        return value
