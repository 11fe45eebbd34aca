"""The emulator's facade: the aiohttp app wiring every part's routes, start/stop, the Python API.

``Emulator`` owns no behaviour of its own: each concern is a part (api, methods, polling,
webhook, files, limits, users, control, inspection) and the parts share one ``Store``.

Known simplifications: only private chats exist; ``Markdown``/``MarkdownV2``
texts are accepted without validation; URL-sourced files are never fetched
(nothing beyond 127.0.0.1 is contacted); webhooks may only point at loopback.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Callable
from typing import Any

from aiohttp import web

from bot.sandbox.emulator import inspection
from bot.sandbox.emulator.api import BotApi
from bot.sandbox.emulator.control import Control
from bot.sandbox.emulator.files import UPLOAD_LIMIT, Files, StoredFile
from bot.sandbox.emulator.limits import UNSET, Hold, Limits
from bot.sandbox.emulator.methods import BotMethods
from bot.sandbox.emulator.polling import Polling
from bot.sandbox.emulator.protocol import (
    Json,
    Params,
)
from bot.sandbox.emulator.state import Store
from bot.sandbox.emulator.users import Users
from bot.sandbox.emulator.webhook import WebhookPush

log = logging.getLogger(__name__)


class Emulator:
    """The fake Telegram: an aiohttp app plus the state of users, chats and messages.

    ``app`` exists right after construction so other modules can add routes
    (e.g. a web chat page) before :meth:`start`.
    """

    def __init__(
        self,
        rate_limit: float | None = 30.0,
        retry_after: int = 1,
        token_check: bool = False,
        *,
        bot_name: str = "SAPA Bot",
        bot_username: str = "sapa_test_bot",
        webhook_max_attempts: int = 5,
        webhook_backoff: float = 0.05,
        first_update_id: int = 1,
    ) -> None:
        # Telegram never hands a bot an update id twice; a restarted emulator that counted from 1
        # again would look like a replay to a bot that kept its database (`sapa sandbox`).
        self.store = Store(next_update_id=first_update_id, handed_out=first_update_id - 1)
        self.limits = Limits(self.store, rate_limit, retry_after)
        self.api = BotApi(self.store, self.limits, token_check=token_check, bot_name=bot_name,
                          bot_username=bot_username)
        self.files = Files(self.api.authorized)
        self.webhook = WebhookPush(self.store, self.api.call, webhook_max_attempts, webhook_backoff)
        self.polling = Polling(self.store, self.webhook)
        self.users = Users(self.store, self.files)
        self.bot_methods = BotMethods(self.store, self.limits, self.files)
        for part in (self.bot_methods, self.polling, self.webhook, self.files):
            self.api.register(part.methods())
        self.offsets = self.polling.offsets
        # The logs tests assert on are the store's own lists (cleared in place, never replaced).
        self.listeners = self.store.listeners
        self.transcript = self.store.transcript
        self.callback_answers = self.store.callback_answers
        self.bad_requests = self.store.bad_requests
        self.rate_limited = self.store.rate_limited
        self.forbidden = self.store.forbidden
        self.chat_actions = self.store.chat_actions
        self.webhook_log = self.store.webhook_log

        self._runner: web.AppRunner | None = None
        self._port: int | None = None
        self._host = "127.0.0.1"
        self.app: web.Application = self.build_app()

    # ------------------------------------------------------------------ lifecycle

    def build_app(self) -> web.Application:
        """The aiohttp application serving the Bot API, file downloads and /control/."""
        app = web.Application(client_max_size=UPLOAD_LIMIT + 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self.api.handle)
        Control(self).add_routes(app)
        self.files.add_routes(app)
        return app

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> None:
        """Serve on ``host:port`` (port 0 picks a free port; see :attr:`url`)."""
        self.store.closing = False
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=2.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host or None, port)
        await site.start()
        self._host = host
        self._port = self._runner.addresses[0][1]
        self.webhook.start()
        log.debug("Telegram emulator listening on %s", self.url)

    async def stop(self) -> None:
        """Stop serving; pending long polls return at once."""
        self.store.closing = True
        self.store.signal.fire()
        await self.webhook.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Emulator:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("emulator is not started")
        return self._port

    @property
    def url(self) -> str:
        """Base URL for clients, e.g. ``http://127.0.0.1:8081`` (wildcard binds map to loopback)."""
        host = "127.0.0.1" if self._host in ("", "0.0.0.0", "::") else self._host
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}"

    @property
    def webhook_url(self) -> str | None:
        """Where updates go while a webhook is set (None: getUpdates mode)."""
        return self.webhook.hook.url if self.webhook.hook else None

    @property
    def seq(self) -> int:
        """The global change counter: bumped by every send, edit and delete."""
        return self.store.seq

    async def call(self, token: str, method: str, params: Params,
                   request: web.Request | None = None) -> tuple[int, Json]:
        """Execute one Bot API method; returns ``(http_status, response_body)``."""
        return await self.api.call(token, method, params, request)

    # ------------------------------------------------------------------ files, commands, limits

    def store_file(self, kind: str, content: bytes, *, file_name: str | None = None,
                   mime_type: str | None = None, declared_size: int | None = None,
                   url: str | None = None) -> StoredFile:
        """Register a file so it can be referenced by file_id and downloaded via getFile."""
        return self.files.store_file(kind, content, file_name=file_name, mime_type=mime_type,
                                     declared_size=declared_size, url=url)

    def commands(self, language_code: str = "", scope: Json | None = None) -> list[Json]:
        """The commands the bot registered for ``scope`` (default scope) and language."""
        return self.bot_methods.commands(language_code, scope)

    @property
    def rate_limit(self) -> float | None:
        """Sends per second before 429s (None: unlimited); tests may set it."""
        return self.limits.rate_limit

    @rate_limit.setter
    def rate_limit(self, value: float | None) -> None:
        self.limits.rate_limit = value

    @property
    def retry_after(self) -> int:
        return self.limits.retry_after

    @retry_after.setter
    def retry_after(self, value: int) -> None:
        self.limits.retry_after = value

    def hold(self, method: str, chat_id: int) -> Hold:
        """The next `method` call for `chat_id` waits, unanswered and not executed, until released."""
        return self.limits.hold(method, chat_id)

    def block(self, user_id: int, blocked: bool = True) -> None:
        """Mark the user as having blocked (or unblocked) the bot."""
        self.limits.block(user_id, blocked)

    def configure(self, *, rate_limit: Any = UNSET, retry_after: int | None = None) -> Json:
        """Change flood control at runtime; ``rate_limit`` 0/None means unlimited."""
        return self.limits.configure(rate_limit=rate_limit, retry_after=retry_after)

    # ------------------------------------------------------------------ simulated users

    async def say(self, user_id: int, text: str, *, first_name: str = "User", username: str | None = None,
                  language_code: str = "id") -> Json:
        """The user sends ``text``; returns the Update. ``/cmd`` gets a bot_command entity."""
        return await self.users.say(user_id, text, first_name=first_name, username=username,
                                    language_code=language_code)

    async def press(self, user_id: int, button_text: str | None = None, *, data: str | None = None,
                    message_id: int | None = None) -> Json:
        """The user taps an inline button; returns the callback_query Update.

        Raises :class:`ButtonNotFound` (a LookupError) when no such button is on screen.
        """
        return await self.users.press(user_id, button_text, data=data, message_id=message_id)

    async def share_contact(self, user_id: int, phone_number: str, *, own: bool = True) -> Json:
        """The user shares a contact (their own by default, as a request_contact button does)."""
        return await self.users.share_contact(user_id, phone_number, own=own)

    async def send_location(self, user_id: int, lat: float, lon: float) -> Json:
        """The user shares a location."""
        return await self.users.send_location(user_id, lat, lon)

    async def send_document(self, user_id: int, file_name: str, content: bytes,
                            mime_type: str = "application/octet-stream", caption: str | None = None,
                            *, declared_size: int | None = None) -> Json:
        """The user sends a file; ``declared_size`` fakes a bigger file without allocating it."""
        return await self.users.send_document(user_id, file_name, content, mime_type, caption,
                                              declared_size=declared_size)

    async def send_photo(self, user_id: int, content: bytes, caption: str | None = None) -> Json:
        """The user sends a photo (any bytes; size sniffed from PNG/JPEG/GIF headers)."""
        return await self.users.send_photo(user_id, content, caption)

    # ------------------------------------------------------------------ inspection

    def sent(self, chat_id: int | None = None) -> list[Json]:
        """Every bot message in send order, in its current state (deleted ones flagged)."""
        return inspection.sent(self.store, chat_id)

    def last(self, chat_id: int) -> Json | None:
        """The newest not-deleted bot message in the chat."""
        return inspection.last(self.store, chat_id)

    def texts(self, chat_id: int) -> list[str]:
        """Texts/captions (as sent, with markup) of the not-deleted messages; "" for bare media."""
        return inspection.texts(self.store, chat_id)

    def changes(self, chat_id: int | None = None, after: int = 0) -> list[Json]:
        """Messages sent, edited or deleted after global ``seq`` ``after``, oldest change first."""
        return inspection.changes(self.store, chat_id, after)

    async def wait_for(self, chat_id: int, predicate: Callable[[Json], bool] | None = None, *,
                       count: int | None = None, timeout: float = 10.0,  # noqa: ASYNC109 - part of the test API
                       since: int | None = None) -> Json:
        """Wait for a bot message in ``chat_id`` and return it.

        Without ``count``: the first message sent or edited after ``since`` (default: the
        user's last simulated action in that chat) that satisfies ``predicate``.
        With ``count``: the count-th matching message of the chat, whenever it was sent.
        Raises TimeoutError listing what was sent and which requests failed.
        """
        return await inspection.wait_for(self.store, chat_id, predicate, count=count, timeout=timeout,
                                         since=since)

    async def wait_drained(self, timeout: float = 10.0) -> None:  # noqa: ASYNC109 - part of the test API
        """Wait until every injected update was handed to the bot.

        That is: returned by getUpdates, or answered (or finally dropped) by the webhook.
        """
        await inspection.wait_drained(self.store, timeout)

    def stats(self) -> Json:
        return inspection.stats(self.store)

    @property
    def pending_updates(self) -> list[Json]:
        return copy.deepcopy(list(self.store.updates))

    @property
    def updates_delivered(self) -> int:
        return self.store.updates_delivered

    def reset(self) -> None:
        """Forget messages, errors, pending updates and blocks; users stay known.

        update_id, message_id and seq keep counting up so a running bot's offset and
        a poller's ``after`` stay valid.
        """
        self.limits.reset()
        self.store.reset()


# --------------------------------------------------------------------------- standalone


async def run_emulator(host: str = "127.0.0.1", port: int = 8081, **kwargs: Any) -> None:
    """Start an emulator and serve until cancelled."""
    emulator = Emulator(**kwargs)
    await emulator.start(host, port)
    print(f"Telegram emulator listening on {emulator.url}", flush=True)
    try:
        await asyncio.Event().wait()
    finally:
        await emulator.stop()
