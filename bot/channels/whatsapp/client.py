"""The smallest Cloud API client SAPA needs, over aiohttp (why not pywa: docs/decisions/whatsapp-client.md).

Four calls: send a message, upload a file, look a media id up, fetch the media. Errors come back
as Meta words them (`{"error": {"code": 131047, …}}`) and become the channel's DeliveryErrors.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from handlers.channel import DeliveryError, Rejected, RetryAfter, Transient, Unreachable

# Cloud API error codes SAPA acts on (developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes).
WINDOW_CLOSED = 131047  # re-engagement: more than 24 hours since the person's last message
PAIR_RATE = 131056  # too many messages to one person in a short time
THROUGHPUT = 130429  # the number's messages per second
UNDELIVERABLE = 131026  # not on WhatsApp, old app, or has not accepted the terms
TRANSIENT_CODES = {1, 2, 131000, 131016, 133004}  # unknown/temporary/service unavailable
PAIR_WAIT = 6.0  # seconds: roughly one message every 6 s to the same person


class WindowClosed(Rejected):
    """Free-form text outside the 24-hour window: only a template can reach the person now."""


class PairLimited(RetryAfter):
    """131056: this person got too many messages lately; others are not affected."""


def delivery_error(status: int, body: Any) -> DeliveryError:
    err = body.get("error") if isinstance(body, dict) else None
    err = err if isinstance(err, dict) else {}
    code = err.get("code")
    details = (err.get("error_data") or {}).get("details") if isinstance(err.get("error_data"), dict) else None
    reason = f"{status} {code}: {err.get('message') or 'error'}" + (f" ({details})" if details else "")
    if code == WINDOW_CLOSED:
        return WindowClosed(reason)
    if code == PAIR_RATE:
        return PairLimited(reason, PAIR_WAIT)
    if code == THROUGHPUT or status == 429:
        return RetryAfter(reason, 1.0)
    if code == UNDELIVERABLE:
        return Unreachable(reason)
    if status >= 500 or code in TRANSIENT_CODES:
        return Transient(reason)
    return Rejected(reason)


class CloudApi:
    def __init__(self, api_url: str, token: str, phone_number_id: str, timeout: float = 30.0) -> None:
        self.api_url = api_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self._auth = {"Authorization": f"Bearer {token}"}
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._session: aiohttp.ClientSession | None = None

    def _http(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=self._timeout, headers=self._auth)
        return self._session

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()

    async def _call(self, method: str, url: str, **kw: Any) -> dict[str, Any]:
        try:
            async with self._http().request(method, url, **kw) as res:
                raw = await res.read()
                try:
                    body = json.loads(raw) if raw else {}
                except ValueError:
                    body = {}
                if res.status >= 400 or not isinstance(body, dict):
                    raise delivery_error(res.status, body)
                return body
        except (aiohttp.ClientError, TimeoutError) as e:
            raise Transient(f"{type(e).__name__}: {e}") from e

    async def send(self, to: str, message: dict[str, Any]) -> str:
        """One message to one person; returns its `wamid`."""
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to, **message}
        body = await self._call("POST", f"{self.api_url}/{self.phone_number_id}/messages", json=payload)
        messages = body.get("messages") or [{}]
        return str(messages[0].get("id", ""))

    async def upload(self, content: bytes, mime_type: str, filename: str) -> str:
        form = aiohttp.FormData()
        form.add_field("messaging_product", "whatsapp")
        form.add_field("type", mime_type)
        form.add_field("file", content, filename=filename, content_type=mime_type)
        body = await self._call("POST", f"{self.api_url}/{self.phone_number_id}/media", data=form)
        return str(body["id"])

    async def download(self, media_id: str) -> bytes:
        """A media id → its URL (valid 5 minutes) → the bytes, both with the token."""
        if not media_id.replace("_", "").replace("-", "").isalnum():
            raise Rejected(f"not a media id: {media_id[:40]!r}")
        info = await self._call("GET", f"{self.api_url}/{media_id}")
        url = info.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise Rejected("the media has no URL")
        try:
            async with self._http().get(url) as res:
                if res.status >= 400:
                    raise delivery_error(res.status, {})
                return await res.read()
        except (aiohttp.ClientError, TimeoutError) as e:
            raise Transient(f"{type(e).__name__}: {e}") from e
