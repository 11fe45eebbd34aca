"""What `sapa` needs of a Telegram engine."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from handlers.channel import Channel
from handlers.kit import Incoming

Handle = Callable[[Incoming], Awaitable[Any]]


class Engine(Protocol):
    channel: Channel

    async def start(self) -> str:
        """Connect; returns the bot's username."""
        ...

    async def close(self) -> None: ...

    async def poll(self, handle: Handle, concurrency: int) -> None:
        """Long polling until cancelled, at most `concurrency` updates in progress."""
        ...

    async def set_webhook(self, url: str, secret: str | None) -> None: ...

    async def delete_webhook(self) -> None: ...

    async def set_commands(self, commands: list[tuple[str, str]], language: str | None) -> None: ...


def make_engine(name: str, token: str, api_url: str) -> Engine:
    if name == "ptb":
        from bot.engines.ptb import PtbEngine

        return PtbEngine(token, api_url)
    from bot.engines.aiogram import AiogramEngine

    return AiogramEngine(token, api_url)
