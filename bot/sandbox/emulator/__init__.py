"""A loopback Telegram Bot API emulator that is as strict as Telegram.

Real client libraries (aiogram, python-telegram-bot) talk to it over HTTP exactly
as they talk to ``api.telegram.org``; tests drive simulated users through the
Python API (``say``, ``press``, ...) or, from another process, through the
``/control/*`` HTTP API.  Everything the bot gets wrong is answered the way
Telegram answers it (400/403/429 with Telegram's descriptions) and recorded in
``bad_requests`` / ``forbidden`` / ``rate_limited`` so tests can assert on it.

Run standalone with ``python -m bot.sandbox.emulator --port 8081``.
"""

from bot.sandbox.emulator.core import (
    ApiError,
    ButtonNotFound,
    Emulator,
    Upload,
    format_text,
    parse_reply_markup,
    run_emulator,
)

__all__ = ["ApiError", "ButtonNotFound", "Emulator", "Upload", "format_text", "parse_reply_markup",
           "run_emulator"]
