"""Who the bot may write to, and how fast: flood control (429), blocked users (403), held calls."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from bot.sandbox.emulator.protocol import ApiError, Json, Params, client_gone, int_param
from bot.sandbox.emulator.state import Store

# Methods that count against the global flood limit (Telegram limits messages, not edits).
RATE_LIMITED = frozenset({"sendmessage", "sendphoto", "senddocument"})
UNSET: Any = object()


@dataclass
class Hold:
    """One Bot API call kept unanswered until released, so a test can kill the bot mid-request."""

    method: str  # lower case
    chat_id: int
    reached: asyncio.Event = field(default_factory=asyncio.Event)  # the call has arrived and waits
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        self.released.set()


class Limits:
    """The gates a Bot API call passes before it runs."""

    def __init__(self, store: Store, rate_limit: float | None, retry_after: int) -> None:
        self.store = store
        self.rate_limit = rate_limit
        self.retry_after = max(1, int(retry_after))
        self.blocked: set[int] = set()
        self._send_times: deque[float] = deque()
        self._holds: list[Hold] = []

    def hold(self, method: str, chat_id: int) -> Hold:
        """The next `method` call for `chat_id` waits, unanswered and not executed, until released."""
        hold = Hold(method.lower(), chat_id)
        self._holds.append(hold)
        return hold

    async def held(self, name: str, params: Params, request: web.Request | None) -> bool:
        """Wait out a hold on this call; True when its caller went away meanwhile (then it never happened)."""
        hold = next((h for h in self._holds if h.method == name and str(params.get("chat_id")) == str(h.chat_id)),
                    None)
        if hold is None:
            return False
        self._holds.remove(hold)
        hold.reached.set()
        await hold.released.wait()
        return client_gone(request)

    def check_rate(self) -> None:
        """Global sliding-window flood control over the last second."""
        if not self.rate_limit:
            return
        now = time.monotonic()
        while self._send_times and self._send_times[0] <= now - 1.0:
            self._send_times.popleft()
        if len(self._send_times) >= self.rate_limit:
            raise ApiError(429, f"Too Many Requests: retry after {self.retry_after}",
                           retry_after=self.retry_after)

    def count_send(self) -> None:
        """A rate-limited call succeeded: it fills the window."""
        self._send_times.append(time.monotonic())

    def target_chat(self, params: Params) -> int:
        """Resolve chat_id like Telegram: unknown users and blockers are 403s."""
        raw = params.get("chat_id")
        if raw is None or raw == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat_id = int_param(params, "chat_id", "Bad Request: chat not found")
        assert chat_id is not None
        if chat_id not in self.store.users:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise ApiError(400, "Bad Request: chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    def block(self, user_id: int, blocked: bool = True) -> None:
        """Mark the user as having blocked (or unblocked) the bot."""
        self.store.touch_user(user_id)
        if blocked:
            self.blocked.add(user_id)
        else:
            self.blocked.discard(user_id)

    def configure(self, *, rate_limit: Any = UNSET, retry_after: int | None = None) -> Json:
        """Change flood control at runtime; ``rate_limit`` 0/None means unlimited."""
        if rate_limit is not UNSET:
            self.rate_limit = float(rate_limit) if rate_limit else None
        if retry_after is not None:
            self.retry_after = max(1, int(retry_after))
        return {"rate_limit": self.rate_limit, "retry_after": self.retry_after}

    def reset(self) -> None:
        """Unblock everyone and empty the window; holds stay armed."""
        self.blocked.clear()
        self._send_times.clear()
