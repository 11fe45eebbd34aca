"""Bot API calls as JSON on aiogram's aiohttp session, without aiogram's models.

A success is read with orjson and only what the caller needs is taken from it; anything else
(an HTTP error, `ok: false`, a body that is not JSON) is handed to aiogram's own
`check_response` with the aiogram method the call stands for, so every failure raises the
very exception aiogram raises (TelegramRetryAfter with its retry_after, TelegramForbiddenError,
TelegramBadRequest, ...), and the engine maps them to SAPA's as before.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import orjson
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.exceptions import TelegramAPIError, TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiohttp import ClientError, ClientTimeout

JSON = {"Content-Type": "application/json"}


class Unencodable(Exception):
    """orjson refuses the request (a lone surrogate in a string, say): send it through aiogram."""


class RawApi:
    def __init__(self, bot: Bot, session: AiohttpSession) -> None:
        self.bot = bot
        self.session = session  # bot.session, typed as the aiohttp one
        self._urls: dict[str, str] = {}

    def _url(self, method: str) -> str:
        url = self._urls.get(method)
        if url is None:
            url = self._urls[method] = self.session.api.api_url(token=self.bot.token, method=method)
        return url

    async def call(self, method: str, params: dict[str, Any], aiogram_method: Callable[[], TelegramMethod[Any]],
                   *, request_timeout: float | None = None) -> Any:
        """The `result` of a successful call; on failure aiogram's exception for `aiogram_method()`."""
        try:
            body = orjson.dumps(params)
        except TypeError as e:  # orjson.JSONEncodeError
            raise Unencodable(str(e)) from e
        http = await self.session.create_session()
        wait = ClientTimeout(total=self.session.timeout if request_timeout is None else request_timeout)
        try:
            async with http.post(self._url(method), data=body, headers=JSON, timeout=wait) as resp:
                raw = await resp.read()
                status = resp.status
        except TimeoutError as e:
            raise TelegramNetworkError(method=aiogram_method(), message="Request timeout error") from e
        except ClientError as e:
            raise TelegramNetworkError(method=aiogram_method(), message=f"{type(e).__name__}: {e}") from e
        if HTTPStatus.OK <= status <= HTTPStatus.IM_USED:
            try:
                answer = orjson.loads(raw)
            except orjson.JSONDecodeError:
                answer = None
            if isinstance(answer, dict) and answer.get("ok") is True and "result" in answer:
                return answer["result"]
        self.session.check_response(self.bot, aiogram_method(), status, raw.decode("utf-8", "replace"))
        raise TelegramAPIError(method=aiogram_method(), message=f"HTTP {status}: {raw[:200]!r}")  # not reached
