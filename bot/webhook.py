"""Webhook endpoint: check the secret, commit the update, then answer 200."""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.updates import incoming_from_json
from handlers.kit import Incoming

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_app(path: str, secret: str | None, handle: Callable[[Incoming], Awaitable[Any]]) -> web.Application:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if secret and not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook call with a wrong secret from %s", request.remote)
            return web.json_response({"ok": False, "error": "unauthorized"}, status=401)
        try:
            update = await request.json(loads=json.loads)
            inc = incoming_from_json(update) if isinstance(update, dict) and "update_id" in update else None
        except (ValueError, RecursionError) as e:  # not JSON, too deeply nested, or not an update's shape
            # The client's fault, not ours: one line, no traceback, and never a 500 (which Telegram retries).
            log.warning("webhook: bad update body from %s: %s", request.remote, _short(e))
            return web.json_response({"ok": False, "error": "bad update"}, status=400)
        if inc is not None:
            # Answered only after the unit of work committed: a crash before this
            # point makes Telegram retry, and the update id makes the retry harmless.
            await handle(inc)
        return web.json_response({"ok": True})

    async def health(_request: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    app = web.Application(client_max_size=2**20)
    app.router.add_post(path, receive)
    app.router.add_get("/healthz", health)
    return app


def _short(e: BaseException) -> str:
    return f"{type(e).__name__}: {str(e)[:200]}"
