"""`/wa/hook`: Meta's verification (GET) and signed deliveries (POST), on SAPA's aiohttp server.

A POST is answered only after its messages' units of work committed, as Telegram's webhook is:
a crash before that makes Meta deliver again, and the wamid makes the second delivery harmless.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Collection
from typing import Any

from aiohttp import web

from bot.channels.whatsapp.intake import Status, parse, resolve_number
from handlers.kit import Incoming

log = logging.getLogger(__name__)
PATH = "/wa/hook"
SIGNATURE_HEADER = "X-Hub-Signature-256"


def signature(app_secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(app_secret.encode(), body, hashlib.sha256).hexdigest()


def add_routes(
    app: web.Application, *, verify_token: str, app_secret: str, handle: Callable[[Incoming], Awaitable[Any]],
    on_statuses: Callable[[list[Status]], Awaitable[Any]], commands: Collection[str],
    recall: Callable[[int], Awaitable[list[str]]], path: str = PATH,
) -> None:
    async def verify(request: web.Request) -> web.Response:
        q = request.query
        if q.get("hub.mode") == "subscribe" and hmac.compare_digest(
                q.get("hub.verify_token", "").encode(), verify_token.encode()):
            return web.Response(text=q.get("hub.challenge", ""))
        log.warning("whatsapp: webhook verification with a wrong token from %s", request.remote)
        return web.Response(status=403, text="forbidden")

    async def receive(request: web.Request) -> web.Response:
        raw = await request.read()
        given = request.headers.get(SIGNATURE_HEADER, "")
        if not hmac.compare_digest(given.encode(), signature(app_secret, raw).encode()):
            log.warning("whatsapp: webhook call without a valid signature from %s", request.remote)
            return web.Response(status=403, text="forbidden")
        try:
            body = json.loads(raw)
        except (ValueError, RecursionError) as e:
            log.warning("whatsapp: signed but not JSON from %s: %s", request.remote, type(e).__name__)
            return web.Response(status=400, text="bad body")
        batch = parse(body, commands)
        for inc in batch.messages:
            await handle(await resolve_number(inc, recall))
        if batch.statuses:
            await on_statuses(batch.statuses)
        return web.Response(text="ok")

    app.router.add_get(path, verify)
    app.router.add_post(path, receive)
