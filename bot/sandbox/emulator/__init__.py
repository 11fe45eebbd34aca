"""A loopback Telegram Bot API emulator that is as strict as Telegram.

Real client libraries (aiogram, python-telegram-bot) talk to it over HTTP exactly
as they talk to ``api.telegram.org``; tests drive simulated users through the
Python API (``say``, ``press``, ...) or, from another process, through the
``/control/*`` HTTP API.  Everything the bot gets wrong is answered the way
Telegram answers it (400/403/429 with Telegram's descriptions) and recorded in
``bad_requests`` / ``forbidden`` / ``rate_limited`` so tests can assert on it.

One module per concern; ``Emulator`` (app.py) is the facade composing them:
state (the shared store), api (the endpoint and its gates), checks (strict text/markup
validation), methods (messages, callbacks, commands), polling (getUpdates), webhook (push),
files, limits (429/403/holds), users (simulated people), control (``/control/*``), inspection.

Run standalone with ``python -m bot.sandbox.emulator --port 8081``.
"""

from bot.sandbox.emulator.app import Emulator, run_emulator
from bot.sandbox.emulator.checks import format_text, parse_reply_markup
from bot.sandbox.emulator.files import StoredFile
from bot.sandbox.emulator.limits import Hold
from bot.sandbox.emulator.protocol import ApiError, Upload
from bot.sandbox.emulator.users import ButtonNotFound

__all__ = ["ApiError", "ButtonNotFound", "Emulator", "Hold", "StoredFile", "Upload", "format_text",
           "parse_reply_markup", "run_emulator"]
