"""The Bot API's wire conventions: error answers, parameters as clients send them."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

Json = dict[str, Any]
Params = dict[str, Any]

TOKEN_RE = re.compile(r"^\d+:[\w-]+$")


class ApiError(Exception):
    """A Bot API error answer: HTTP status ``code`` and Telegram's ``description``."""

    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after

    def payload(self) -> Json:
        body: Json = {"ok": False, "error_code": self.code, "description": self.description}
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


@dataclass
class Upload:
    """A file part of a multipart request."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"

    def __repr__(self) -> str:
        return f"<upload {self.filename!r}, {len(self.content)} bytes>"


@dataclass
class Ctx:
    """Who is calling: the token, the bot user it stands for, the HTTP request if any."""

    token: str
    bot_user: Json
    request: web.Request | None = None


Handler = Callable[[Ctx, Params], Awaitable[Any]]


def now() -> int:
    return int(time.time())


def json_value(value: Any, error: str) -> Any:
    """Forms carry objects as JSON strings; JSON bodies carry them as objects."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError(400, error) from None
    return value


def int_param(params: Params, name: str, error: str | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ApiError(400, error or f"Bad Request: invalid {name} specified")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ApiError(400, error or f"Bad Request: invalid {name} specified") from None


def bool_param(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1")
    return bool(value)


def loggable(params: Params) -> Json:
    """Params as JSON-safe values for the logs (uploads shown by name and size)."""
    return {k: (repr(v) if isinstance(v, Upload) else v) for k, v in params.items()}


async def read_params(request: web.Request) -> Params:
    """Merge query string and body (JSON, urlencoded or multipart) like the Bot API does."""
    params: Params = dict(request.query)
    if not request.body_exists:
        return params
    ctype = request.content_type
    try:
        if ctype == "application/json":
            body = await request.json()
            if not isinstance(body, dict):
                raise ApiError(400, "Bad Request: JSON object expected")
            params.update(body)
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = Upload(value.filename, value.file.read(), value.content_type)
                else:
                    params[key] = value
    except web.HTTPRequestEntityTooLarge:
        raise ApiError(413, "Request Entity Too Large") from None
    except ValueError:
        raise ApiError(400, "Bad Request: can't parse request body") from None
    return params


def client_gone(request: web.Request | None) -> bool:
    """True when the HTTP client of a long poll has disconnected."""
    if request is None:
        return False
    transport = request.transport
    return transport is None or transport.is_closing()
