"""Webhook mode: setWebhook and friends, and pushing queued updates to the bot in order.

Updates go out one at a time with the secret token header, retried with backoff and finally
dropped as Telegram does; a method the bot returns as its answer is executed.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import aiohttp
from yarl import URL

from bot.sandbox.emulator.protocol import ApiError, Ctx, Handler, Json, Params, Upload, bool_param, now
from bot.sandbox.emulator.state import Store

log = logging.getLogger(__name__)

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")

# Runs a Bot API method for a token: (http_status, response_body).
Call = Callable[[str, str, Params], Awaitable[tuple[int, Json]]]


@dataclass
class Webhook:
    url: str
    secret: str | None
    token: str
    max_connections: int = 40  # Telegram's default; at most this many updates in flight at once
    last_error_date: int | None = None
    last_error_message: str | None = None


class WebhookPush:
    """The webhook, if one is set, and the task that delivers to it."""

    def __init__(self, store: Store, call: Call, max_attempts: int, backoff: float) -> None:
        self.store = store
        self._call = call
        self.max_attempts = max(1, max_attempts)
        self.backoff = backoff
        self.hook: Webhook | None = None
        self._client: aiohttp.ClientSession | None = None
        self._task: asyncio.Task[None] | None = None

    def methods(self) -> dict[str, Handler]:
        return {"setWebhook": self._api_set_webhook, "deleteWebhook": self._api_delete_webhook,
                "getWebhookInfo": self._api_get_webhook_info}

    def start(self) -> None:
        self._client = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._task = asyncio.create_task(self._loop(), name="emulator-webhook")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._client is not None:
            await self._client.close()
            self._client = None

    async def _api_set_webhook(self, ctx: Ctx, params: Params) -> bool:
        url = str(params.get("url") or "")
        if bool_param(params.get("drop_pending_updates")):
            self.store.updates.clear()
        if not url:
            self.hook = None
            return True
        parsed = URL(url)
        if parsed.scheme not in ("http", "https") or not parsed.host:
            raise ApiError(400, "Bad Request: bad webhook: invalid URL")
        if parsed.host not in LOOPBACK_HOSTS:
            raise ApiError(400, "Bad Request: bad webhook: the emulator only delivers to loopback hosts")
        secret = params.get("secret_token") or None
        if secret is not None and not SECRET_RE.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        try:
            connections = int(params.get("max_connections") or 40)
        except (TypeError, ValueError):
            raise ApiError(400, "Bad Request: max_connections must be a number") from None
        self.hook = Webhook(url, secret, ctx.token, max(1, min(100, connections)))
        self.store.signal.fire()
        return True

    async def _api_delete_webhook(self, ctx: Ctx, params: Params) -> bool:
        if bool_param(params.get("drop_pending_updates")):
            self.store.updates.clear()
        self.hook = None
        self.store.signal.fire()
        return True

    async def _api_get_webhook_info(self, ctx: Ctx, params: Params) -> Json:
        hook = self.hook
        info: Json = {"url": hook.url if hook else "", "has_custom_certificate": False,
                      "pending_update_count": len(self.store.updates)}
        if hook is not None:
            info.update(max_connections=hook.max_connections, ip_address="127.0.0.1")
            if hook.last_error_date:
                info.update(last_error_date=hook.last_error_date, last_error_message=hook.last_error_message)
        return info

    async def _loop(self) -> None:
        """Deliver queued updates while a webhook is set: up to `max_connections` at once, as
        Telegram does, but one chat's updates one after another and in order."""
        running: dict[asyncio.Task[str | None], Json] = {}
        busy: set[object] = set()
        try:
            while not self.store.closing:
                hook = self.hook
                if hook is not None:
                    self._start_ready(hook, running, busy)
                if not running:
                    await self.store.signal.wait(None)
                    continue
                waiter = asyncio.ensure_future(self.store.signal.wait(None))
                done, _ = await asyncio.wait([*running, waiter], return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
                for task in done:
                    if task is waiter:
                        continue
                    update = running.pop(task)
                    self.store.pushing -= 1
                    busy.discard(_chat_of(update))
                    if task.result() == "abandoned":
                        self.store.updates.appendleft(update)  # the hook went away: it waits for the next
                    self.store.signal.fire()
        finally:
            for task in running:
                task.cancel()
            self.store.pushing -= len(running)

    def _start_ready(self, hook: Webhook, running: dict[asyncio.Task[str | None], Json], busy: set[object]) -> None:
        """Hand out queued updates, oldest first, skipping chats that have one in flight."""
        queue = self.store.updates
        skipped: list[Json] = []
        while queue and len(running) < hook.max_connections:
            update = queue.popleft()
            chat = _chat_of(update)
            if chat in busy:
                skipped.append(update)
                if len(skipped) > 4 * hook.max_connections:
                    break  # a long run of one chat's updates: wait for it rather than scan on
                continue
            busy.add(chat)
            self.store.pushing += 1
            self.store.handed_out = max(self.store.handed_out, update["update_id"])
            running[asyncio.create_task(self._deliver_update(update))] = update
        queue.extendleft(reversed(skipped))

    async def _deliver_update(self, update: Json) -> str:
        """POST one update with retries: "ok", "failed" (dropped) or "abandoned" (hook removed)."""
        for attempt in range(1, self.max_attempts + 1):
            hook = self.hook
            if hook is None:
                return "abandoned"
            status, error = await self._post_update(hook, update)
            entry = {"update_id": update["update_id"], "attempt": attempt, "status": status,
                     "error": error, "url": hook.url, "time": time.time(), "dropped": False}
            self.store.webhook_log.append(entry)
            if status is not None and 200 <= status < 300:
                self.store.updates_delivered += 1
                return "ok"
            hook.last_error_date = now()
            hook.last_error_message = error or f"Wrong response from the webhook: {status}"
            if attempt == self.max_attempts:
                entry["dropped"] = True
                log.warning("webhook: dropped update %s after %s attempts", update["update_id"], attempt)
            else:
                await asyncio.sleep(self.backoff * 2 ** (attempt - 1))
        return "failed"

    async def _post_update(self, hook: Webhook, update: Json) -> tuple[int | None, str | None]:
        if URL(hook.url).host not in LOOPBACK_HOSTS or self._client is None:
            return None, "webhook host is not loopback"
        headers = {"X-Telegram-Bot-Api-Secret-Token": hook.secret} if hook.secret else {}
        try:
            async with self._client.post(hook.url, json=update, headers=headers) as resp:
                if 200 <= resp.status < 300:
                    await self._run_webhook_reply(hook.token, resp)
                return resp.status, None
        except (aiohttp.ClientError, TimeoutError, OSError) as exc:
            return None, f"{type(exc).__name__}: {exc}"

    async def _run_webhook_reply(self, token: str, resp: aiohttp.ClientResponse) -> None:
        """Telegram executes a method the bot returns as its webhook answer; so do we."""
        params: Params = {}
        if resp.content_type == "application/json":
            try:
                body = await resp.json()
            except ValueError:
                return
            if isinstance(body, dict):
                params = dict(body)
        elif resp.content_type.startswith("multipart/"):
            reader = aiohttp.MultipartReader(resp.headers, resp.content)
            async for part in reader:
                if isinstance(part, aiohttp.BodyPartReader) and part.name:
                    params[part.name] = (Upload(part.filename, await part.read(decode=True))
                                         if part.filename else await part.text())
        method = params.pop("method", None)
        if isinstance(method, str) and method:
            await self._call(token, method, params)


def _chat_of(update: Json) -> object:
    """The chat an update belongs to (its ordering key); an update without one orders alone."""
    for key in ("message", "edited_message", "callback_query", "my_chat_member", "channel_post"):
        body = update.get(key)
        if isinstance(body, dict):
            if key == "callback_query":
                body = body.get("message") or {"chat": body.get("from")}
            chat = body.get("chat") or body.get("from")
            if isinstance(chat, dict) and "id" in chat:
                return chat["id"]
    return ("update", update.get("update_id"))
