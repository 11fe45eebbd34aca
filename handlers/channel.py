"""What a channel adapter must do, and the failures it reports, framework-neutral."""

from __future__ import annotations

from typing import Protocol

from handlers.kit import Reply


class DeliveryError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RetryAfter(DeliveryError):
    """429: everything waits `seconds`."""

    def __init__(self, reason: str, seconds: float) -> None:
        super().__init__(reason)
        self.seconds = seconds


class Unreachable(DeliveryError):
    """403: blocked, or never started the bot. Never retried."""


class Rejected(DeliveryError):
    """400: the request itself is wrong; retrying cannot help."""


class Transient(DeliveryError):
    """Network trouble or a 5xx: worth retrying with backoff."""


class Channel(Protocol):
    name: str

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        """Deliver one reply; returns the message id. Raises a DeliveryError."""
        ...

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None: ...

    async def download(self, file_id: str) -> bytes: ...
