"""One update → one unit of work → replies sent after the commit."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.background import Background, ChatWorker
from bot.delivery import Pause, send_replies
from bot.metrics import Metrics
from db.engine import Database
from db.uow import UnitOfWork
from handlers.channel import Channel
from handlers.chat import Chat
from handlers.i18n import pick_locale, t
from handlers.kit import Incoming, Kind, Reply
from handlers.router import Router
from services import users
from services.clock import Clock, utc_now
from services.settings import Settings

log = logging.getLogger(__name__)


class ChatLocks:
    """One chat's updates are handled one at a time, in arrival order (asyncio locks are FIFO)."""

    def __init__(self) -> None:
        self._locks: dict[tuple[str, int], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def hold(self, key: tuple[str, int]) -> AsyncIterator[None]:
        lock, users = self._locks.get(key) or (asyncio.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)


@dataclass
class App:
    settings: Settings
    db: Database
    router: Router
    channel: Channel
    clock: Clock = utc_now
    pause: Pause = field(default_factory=Pause)
    after_commit: Callable[[], None] | None = None  # called when a commit queued pushes: wakes the sender
    chats: ChatLocks = field(default_factory=ChatLocks)
    metrics: Metrics | None = None
    bot_id: int = 0  # the receiving bot (getMe): update ids are de-duplicated per bot
    background: Background = field(default_factory=Background)  # handlers' after-commit work
    # A channel only citizens use (WhatsApp): nobody there becomes a superadmin by SAPA_ADMIN_IDS,
    # which are Telegram ids; a number that happens to match one is still a citizen.
    citizens_only: bool = False

    async def handle(self, inc: Incoming) -> list[Reply] | None:
        """Process one update exactly once. None when it was a replay."""
        started = time.perf_counter()
        # Polling hands a batch to concurrent tasks; a person's quick "text, then photo" must
        # still reach their conversation in that order, and their replies leave in order too.
        async with self.chats.hold((inc.channel, inc.chat_id)):
            replies, outcome = await self._handle(inc)
        if self.metrics:
            self.metrics.handled(inc.kind.value, outcome, started)
        return replies

    async def _handle(self, inc: Incoming) -> tuple[list[Reply] | None, str]:
        outcome = "ok"
        try:
            chat = await self._process(inc)
        except Exception:
            log.exception("update %s failed; recorded so it is not replayed forever", inc.update_id)
            chat, outcome = None, "crash"
            if not await self._record_only(inc):
                return None, "replay"
            replies = [Reply(_crash_text(inc, self.settings))]
        else:
            if chat is None:
                await self._answer(inc, None)
                return None, "replay"
            replies = chat.replies
        await self._answer(inc, chat.toast if chat else None)
        delivered: set[int] = set()
        reachable = await send_replies(
            self.channel, inc.chat_id, replies, message_id=inc.message_id, pause=self.pause,
            delivered=delivered)
        if not reachable:
            await self._mark_unreachable(inc)
        elif chat is not None and chat.backed:
            await self._cancel_held(chat, replies, delivered)
        key = (inc.channel, inc.chat_id)
        for work in chat.before_next if chat is not None else ():
            # Still holding the chat's lock (its next update waits), with no transaction open.
            await self.background.run_now(work, ChatWorker(
                self.db, self.settings, self.channel, inc.chat_id, self.clock, self.pause, contextlib.nullcontext))
        for work in chat.later if chat is not None else ():
            # Started while this update holds the chat's lock: work that takes its turn waits for it.
            self.background.start(work, ChatWorker(self.db, self.settings, self.channel, inc.chat_id, self.clock,
                                                   self.pause, lambda: self.chats.hold(key)))
        return replies, outcome

    async def settle(self) -> None:
        """Wait until the after-commit work handlers started is done."""
        await self.background.settle()

    async def _process(self, inc: Incoming) -> Chat | None:
        now = self.clock()
        async with self.db.uow() as uow:
            fresh, sender = await uow.updates.first_time_with_sender(
                inc.channel, inc.update_id, inc.user_id, self.bot_id)
            if not fresh:
                return None
            person = await users.identify(
                uow, sender, channel=inc.channel, external_id=inc.user_id, chat_id=inc.chat_id,
                name=inc.display_name, username=inc.username, language_code=inc.language_code,
                now=now, admin_ids=[] if self.citizens_only else self.settings.admin_id_list,
            )
            chat = Chat(inc, person, uow, self.settings, now)
            await self.router.dispatch(chat)
            if (chat.state, chat.data) != (person.state, person.state_data):
                await users.save_state(uow, person, chat.state, chat.data)
            if chat.backed:  # only confirming replies pay for this; ordinary updates skip it
                await self._hold(uow, chat, now)
            await uow.commit()
        if self.after_commit and uow.outbox.queued:
            self.after_commit()
        return chat

    async def _hold(self, uow: UnitOfWork, chat: Chat, now: datetime) -> None:
        """Queue each confirming reply's notice, held back for the grace period, with the action."""
        not_before = now + timedelta(seconds=self.settings.confirm_grace)
        for b in chat.backed:
            # A repeated confirmation finds the row already there (same key): it stays one notice.
            await uow.outbox.add(chat.person.id, b.notice, dedupe_key=held_key(b.key),
                                 not_before=not_before)

    async def _cancel_held(self, chat: Chat, replies: list[Reply], delivered: set[int]) -> None:
        """The confirming replies that arrived make their held notices unnecessary."""
        sent = [held_key(b.key) for b in chat.backed
                if any(r is b.reply and i in delivered for i, r in enumerate(replies))]
        if not sent:
            return  # not delivered: the held notice goes out after the grace period
        try:
            async with self.db.uow() as uow:
                await uow.outbox.cancel_pending(sent)
                await uow.commit()
        except Exception:  # the person then gets the result twice, never not at all
            log.exception("could not cancel held notices %s", sent)

    async def _record_only(self, inc: Incoming) -> bool:
        async with self.db.uow() as uow:
            fresh = await uow.updates.first_time(inc.channel, inc.update_id, self.bot_id)
            await uow.commit()
        return fresh

    async def _answer(self, inc: Incoming, toast: str | None) -> None:
        if inc.kind is Kind.CALLBACK and inc.callback_id:
            try:
                await self.channel.answer_callback(inc.callback_id, toast)
            except Exception as e:  # an old query cannot be answered; the reply still goes out
                log.info("callback answer failed: %s", e)

    async def _mark_unreachable(self, inc: Incoming) -> None:
        async with self.db.uow() as uow:
            person = await uow.users.by_external(inc.channel, inc.user_id)
            if person:
                await uow.users.mark_unreachable(person.id)
                await uow.commit()


def held_key(key: str) -> str:
    """The outbox dedupe key of a confirming reply's held notice."""
    return f"held:{key}"


def _crash_text(inc: Incoming, settings: Settings) -> str:
    return t(pick_locale(None, inc.language_code, settings.default_locale), "error.internal")
