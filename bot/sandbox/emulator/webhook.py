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
        self.hook = Webhook(url, secret, ctx.token)
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
            info.update(max_connections=40, ip_address="127.0.0.1")
            if hook.last_error_date:
                info.update(last_error_date=hook.last_error_date, last_error_message=hook.last_error_message)
        return info

    async def _loop(self) -> None:
        """Deliver queued updates one by one, in order, while a webhook is set."""
        while not self.store.closing:
            hook = self.hook
            if hook is None or not self.store.updates:
                await self.store.signal.wait(None)
                continue
            update = self.store.updates[0]
            outcome = await self._deliver_update(update)
            if outcome != "abandoned" and self.store.updates and self.store.updates[0] is update:
                self.store.updates.popleft()
                self.store.handed_out = max(self.store.handed_out, update["update_id"])
                self.store.signal.fire()

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
