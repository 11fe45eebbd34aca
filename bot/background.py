"""Runs the after-commit work handlers leave (`Chat.after_commit`) as tasks, with a `Worker` each."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime

from bot.delivery import Pause, expand
from db.engine import Database
from db.uow import UnitOfWork
from handlers.channel import Channel, DeliveryError, RetryAfter
from handlers.chat import Work
from handlers.kit import Reply
from services.clock import Clock
from services.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class ChatWorker:
    db: Database
    settings: Settings
    channel: Channel
    chat_id: int
    clock: Clock
    pause: Pause
    chat_turn: Callable[[], AbstractAsyncContextManager[None]]  # the App's lock on this chat's updates

    def uow(self) -> AbstractAsyncContextManager[UnitOfWork]:
        return self.db.uow()

    def now(self) -> datetime:
        return self.clock()

    def turn(self) -> AbstractAsyncContextManager[None]:
        return self.chat_turn()

    async def fetch(self, file_id: str) -> bytes:
        return await self.channel.download(file_id)

    async def send(self, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        """Long text is split (the buttons ride on the last part, whose id is returned)."""
        last = None
        for part in expand(reply) if edit_message_id is None else [reply]:
            last = await self._one(part, edit_message_id)
            if last is None:
                return None
        return last

    async def _one(self, reply: Reply, edit_message_id: int | None) -> int | None:
        for _ in range(3):
            await self.pause.wait()
            try:
                return await self.channel.send(self.chat_id, reply, edit_message_id=edit_message_id)
            except RetryAfter as e:
                self.pause.hold(e.seconds)
            except DeliveryError as e:  # an edit not possible (same text, too old), the person gone…
                log.info("background message to %s failed: %s", self.chat_id, e.reason)
                return None
        return None


class Background:
    """Running after-commit work; `settle()` waits for all of it (tests, shutdown)."""

    def __init__(self) -> None:
        self.tasks: set[asyncio.Task[None]] = set()

    def start(self, work: Work, worker: ChatWorker) -> None:
        task = asyncio.create_task(self._run(work, worker))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def run_now(self, work: Work, worker: ChatWorker) -> None:
        """Run it here and now (the caller holds the chat's turn), with the same last guard."""
        await self._run(work, worker)

    @staticmethod
    async def _run(work: Work, worker: ChatWorker) -> None:
        try:
            await work(worker)
        except Exception:  # the work says what went wrong to the chat itself; this is the last guard
            log.exception("background work for chat %s failed", worker.chat_id)

    async def settle(self) -> None:
        while self.tasks:
            await asyncio.gather(*list(self.tasks), return_exceptions=True)
