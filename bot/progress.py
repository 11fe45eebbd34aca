"""The author's live progress message of a running broadcast, edited in place every few seconds.

Runs beside the outbox sender on the leading process only (one editor per message). Each tick
reads the broadcasts' counts from the outbox rows (services.broadcasts.progress.due) and edits
each author's message when its text changed; once nothing is left to send, the last edit is the
delivery report and the broadcast is marked done once the report arrived (a refused report is
sent again at the next tick). A crash between the report and the mark repeats the report at the
next start: harmless.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import tzinfo

from bot.delivery import Pause
from db.engine import Database
from handlers.broadcasts import views
from handlers.channel import Channel, DeliveryError, Rejected, RetryAfter
from handlers.i18n import pick_locale
from handlers.kit import Reply
from services.broadcasts import progress
from services.clock import Clock, utc_now
from services.quiet_hours import QuietHours

log = logging.getLogger(__name__)
EVERY = 3.0  # seconds between edits of one message: Telegram frowns on faster edits


class ProgressEditor:
    def __init__(self, db: Database, channel: Channel, pause: Pause, *, rate: float, quiet: QuietHours, tz: tzinfo,
                 default_locale: str = "id", clock: Clock = utc_now, every: float = EVERY) -> None:
        self.db, self.channel, self.pause = db, channel, pause
        self.rate, self.quiet, self.tz = rate, quiet, tz
        self.default_locale, self.clock, self.every = default_locale, clock, every
        self._shown: dict[int, str] = {}  # broadcast id → the text its message shows now

    async def run(self) -> None:
        while True:
            try:
                await self.tick()
            except Exception:
                log.exception("broadcast progress: tick failed; trying again shortly")
            await asyncio.sleep(self.every)

    async def tick(self) -> int:
        """Edit every running broadcast's message once if it changed; returns how many were edited."""
        now = self.clock()
        async with self.db.uow() as uow:
            items = await progress.due(uow, now=now, rate=self.rate, quiet=self.quiet, tz=self.tz)
            await uow.commit()
        edited = 0
        for p in items:
            if p.chat_id is None:
                continue
            loc = pick_locale(p.locale, p.language_code, self.default_locale)
            reply = views.progress(loc, p, self.tz)
            message_id: int | None | bool = p.message_id
            if self._shown.get(p.id) != reply.text:
                message_id = await self._show(p.chat_id, p.message_id, reply)
                if message_id is False:
                    continue
                self._shown[p.id] = reply.text
                edited += 1
            elif not p.finished:
                continue
            # The report is a message of its own (the progress message may be far up by now). It
            # follows the outbox's last rows, so a 429 here is likely: then the broadcast stays
            # unfinished and the next tick sends the report again, until it arrives.
            final = p.finished and await self._show(p.chat_id, None, views.report(loc, p)) is not False
            if final:
                self._shown.pop(p.id, None)
            async with self.db.uow() as uow:
                await progress.shown(uow, p.id, message_id=message_id or None, now=self.clock(), final=final)
                await uow.commit()
        return edited

    async def _show(self, chat_id: int, message_id: int | None, reply: Reply) -> int | None | bool:
        """Edit the message (or send it when there is none or it is gone); False when nothing arrived."""
        await self.pause.wait()
        try:
            return await self.channel.send(chat_id, reply, edit_message_id=message_id)
        except Rejected as e:
            if "not modified" in e.reason:
                return message_id
            if message_id is None:
                log.warning("broadcast progress to %s refused: %s", chat_id, e.reason)
                return False
        except RetryAfter as e:
            self.pause.hold(e.seconds)
            return False
        except DeliveryError as e:
            log.info("broadcast progress to %s not shown: %s", chat_id, e.reason)
            return False
        try:  # the old message is gone (deleted): a new one takes its place
            return await self.channel.send(chat_id, reply)
        except DeliveryError as e:
            log.info("broadcast progress to %s not shown: %s", chat_id, e.reason)
            return False
