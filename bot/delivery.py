"""Turn replies into sends: split long text, honour 429, mark 403, log 400."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import replace

from handlers.channel import Channel, Rejected, RetryAfter, Transient, Unreachable
from handlers.kit import Reply
from handlers.render import split

log = logging.getLogger(__name__)
CAPTION_LIMIT = 1024


def expand(reply: Reply) -> list[Reply]:
    """One Reply → messages within Telegram's limits; buttons ride on the last one."""
    limit = CAPTION_LIMIT if reply.attachment else 4096
    parts = split(reply.text, limit)
    if len(parts) == 1:
        return [replace(reply, text=parts[0])]
    head = [Reply(p) for p in parts[:-1]]
    if reply.attachment:  # caption too long: send the file with the first part, the rest as text
        return [replace(reply, text=parts[0], buttons=[], keyboard=None)] + [
            Reply(p) for p in parts[1:-1]] + [replace(reply, text=parts[-1], attachment=None, edit=False)]
    head[0] = replace(head[0], edit=reply.edit)
    return head + [replace(reply, text=parts[-1], edit=False)]


class Pause:
    """A bot-wide pause after a 429: every sender waits it out.

    It also remembers when the bot's messages left in the last second (replies and outbox
    sends alike), so the outbox can leave the room that replies took: a reply never waits
    for a broadcast, the broadcast yields instead (OutboxSender's `reserve`).
    """

    WINDOW = 1.0  # Telegram's (and the emulator's) flood window, seconds

    def __init__(self) -> None:
        self._until = 0.0
        self._sent: deque[float] = deque()

    def note(self, at: float | None = None) -> None:
        """A message left now (monotonic seconds; the loop's clock unless given)."""
        self._sent.append(asyncio.get_running_loop().time() if at is None else at)
        if len(self._sent) > 4096:  # a bot with no outbox reading it: keep it bounded
            self._sent.popleft()

    def sent_within(self, now: float) -> tuple[int, float]:
        """(messages in the window ending `now`, when the oldest of them leaves it)."""
        cutoff = now - self.WINDOW + 1e-6
        while self._sent and self._sent[0] <= cutoff:
            self._sent.popleft()
        return len(self._sent), (self._sent[0] + self.WINDOW if self._sent else now)

    def hold(self, seconds: float) -> None:
        loop = asyncio.get_running_loop()
        self._until = max(self._until, loop.time() + seconds)

    async def wait(self) -> None:
        loop = asyncio.get_running_loop()
        while (delay := self._until - loop.time()) > 0:  # noqa: ASYNC110 - the deadline may move
            await asyncio.sleep(delay)


async def send_replies(
    channel: Channel, chat_id: int, replies: list[Reply], *, message_id: int | None, pause: Pause,
    attempts: int = 3, delivered: set[int] | None = None,
) -> bool:
    """Send replies in order. False if the person is unreachable (403).

    `delivered` collects the indexes of the replies all of whose parts went out.
    """
    missed: set[int] = set()
    for index, reply in ((i, part) for i, r in enumerate(replies) for part in expand(r)):
        try:
            if not await _send_part(channel, chat_id, reply, message_id, pause, attempts):
                missed.add(index)
        except Unreachable:
            return False
    if delivered is not None:
        delivered.update(i for i in range(len(replies)) if i not in missed)
    return True


async def _send_part(channel: Channel, chat_id: int, reply: Reply, message_id: int | None, pause: Pause,
                     attempts: int) -> bool:
    """One message; False when it did not arrive."""
    edit_id = message_id if reply.edit else None
    for attempt in range(attempts):
        await pause.wait()
        try:
            await channel.send(chat_id, reply, edit_message_id=edit_id)
            if edit_id is None:  # edits do not count against Telegram's message rate
                pause.note()
            return True
        except RetryAfter as e:
            pause.hold(e.seconds)
        except Rejected as e:
            if edit_id is not None and "not modified" not in e.reason:
                edit_id = None  # the old message is gone: send the reply as a new one
                continue
            log.warning("reply to %s refused: %s", chat_id, e.reason)
            return "not modified" in e.reason  # then the message already says exactly this
        except Transient as e:
            log.warning("reply to %s failed (attempt %d): %s", chat_id, attempt + 1, e.reason)
            await asyncio.sleep(0.5 * 2**attempt)
    return False
