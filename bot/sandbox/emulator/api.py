"""The Bot API endpoint: token check, method lookup, the gates (holds, flood control), error log."""

from __future__ import annotations

import logging
import time

from aiohttp import web

from bot.sandbox.emulator.limits import RATE_LIMITED, Limits
from bot.sandbox.emulator.protocol import (
    TOKEN_RE,
    ApiError,
    Ctx,
    Handler,
    Json,
    Params,
    loggable,
    read_params,
)
from bot.sandbox.emulator.state import Store

log = logging.getLogger(__name__)


class BotApi:
    """Runs one method call the way Telegram does and records every refusal for tests."""

    def __init__(self, store: Store, limits: Limits, *, token_check: bool, bot_name: str,
                 bot_username: str) -> None:
        self.store = store
        self.limits = limits
        self.token_check = token_check
        self.bot_name = bot_name
        self.bot_username = bot_username
        self._methods: dict[str, Handler] = {}

    def register(self, methods: dict[str, Handler]) -> None:
        """Add a part's methods; names are case-insensitive, as on Telegram."""
        self._methods.update({name.lower(): handler for name, handler in methods.items()})

    def authorized(self, token: str) -> bool:
        return not self.token_check or TOKEN_RE.match(token) is not None

    def bot_user(self, token: str) -> Json:
        prefix = token.split(":", 1)[0]
        return {"id": int(prefix) if prefix.isdigit() else 1, "is_bot": True,
                "first_name": self.bot_name, "username": self.bot_username}

    async def handle(self, request: web.Request) -> web.Response:
        try:
            params = await read_params(request)
        except ApiError as exc:
            self._record_error(request.match_info["method"], exc, {})
            return web.json_response(exc.payload(), status=exc.code)
        status, body = await self.call(request.match_info["token"], request.match_info["method"],
                                       params, request=request)
        return web.json_response(body, status=status)

    async def call(self, token: str, method: str, params: Params,
                   request: web.Request | None = None) -> tuple[int, Json]:
        """Execute one Bot API method; returns ``(http_status, response_body)``."""
        name = method.lower()
        try:
            if not self.authorized(token):
                raise ApiError(401, "Unauthorized")
            handler = self._methods.get(name)
            if handler is None:
                raise ApiError(404, "Not Found: method not found")
            if await self.limits.held(name, params, request):
                return 502, {"ok": False, "error_code": 502, "description": "Bad Gateway: caller left while held"}
            if name in RATE_LIMITED:
                self.limits.check_rate()
            result = await handler(Ctx(token, self.bot_user(token), request), params)
        except ApiError as exc:
            self._record_error(method, exc, params)
            return exc.code, exc.payload()
        if name in RATE_LIMITED:
            self.limits.count_send()
        return 200, {"ok": True, "result": result}

    def _record_error(self, method: str, exc: ApiError, params: Params) -> None:
        entry = {"method": method, "error_code": exc.code, "description": exc.description,
                 "params": loggable(params), "time": time.time()}
        if exc.code == 429:
            self.store.rate_limited.append(entry)
        elif exc.code == 403:
            self.store.forbidden.append(entry)
        elif 400 <= exc.code < 500:
            self.store.bad_requests.append(entry)
            log.warning("Bot API %s → %s %s", method, exc.code, exc.description)
