"""What `sapa` needs of a Telegram engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from handlers.channel import Channel
from handlers.kit import Incoming, Reply

Handle = Callable[[Incoming], Awaitable[Any]]
ALLOWED_UPDATES = ["message", "callback_query"]


class Engine(Protocol):
    @property  # read-only here, so an engine may hold its own kind of Channel
    def channel(self) -> Channel: ...

    bot_id: int  # from getMe, known after start(): the scope of update ids (bot.core)

    async def start(self) -> str:
        """Connect; returns the bot's username and sets `bot_id`."""
        ...

    async def close(self) -> None: ...

    async def poll(self, handle: Handle, concurrency: int) -> None:
        """Long polling until cancelled, at most `concurrency` updates in progress (bot.polling:
        an update's offset is confirmed only once it and every earlier one is handled)."""
        ...

    async def set_webhook(self, url: str, secret: str | None, max_connections: int = 40) -> None: ...

    async def delete_webhook(self) -> None: ...

    async def set_commands(self, commands: list[tuple[str, str]], language: str | None) -> None: ...


def reply_markup(reply: Reply) -> dict[str, Any] | None:
    """The Bot API `reply_markup` of a reply; each engine turns it into its own type."""
    if reply.buttons:
        return {"inline_keyboard": [
            [{"text": b.text, "url": b.url} if b.url else {"text": b.text, "callback_data": b.data} for b in row]
            for row in reply.buttons]}
    if reply.keyboard:
        return {"keyboard": [
            [{"text": b.text, **({"request_contact": True} if b.request_contact else {}),
              **({"request_location": True} if b.request_location else {})} for b in row]
            for row in reply.keyboard], "resize_keyboard": True, "one_time_keyboard": True}
    if reply.remove_keyboard:
        return {"remove_keyboard": True}
    return None


def make_engine(name: str, token: str, api_url: str) -> Engine:
    if name == "ptb":
        from bot.engines.ptb import PtbEngine

        return PtbEngine(token, api_url)
    from bot.engines.aiogram import AiogramEngine

    return AiogramEngine(token, api_url)
