"""A loopback WhatsApp Cloud API, as strict as Meta on what SAPA sends (checks.py), with the
24-hour window (131047), the pair rate (131056), templates it knows, media by id, signed
webhooks to the bot, and a clock that can close a person's window.

131047 is answered in the send's response, or, with `late_window_errors`, as Meta often does it:
the text is accepted and a `failed` status with 131047 follows. A number marked `undeliverable`
is accepted and then reported `failed` with 131026, as Meta does.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp import web

from bot.sandbox.wa_emulator.checks import Json, Templates, WaError, check_message

WINDOW = 24 * 3600.0
PAIR_INTERVAL, PAIR_BURST = 6.0, 45  # about one message per 6 s to one person, a burst allowed


@dataclass
class Sent:
    to: int
    wamid: str
    kind: str
    message: Json

    @property
    def text(self) -> str:
        m = self.message
        if self.kind == "text":
            return str(m["text"]["body"])
        if self.kind == "interactive":
            return str(m["interactive"]["body"]["text"])
        if self.kind == "template":
            return f"[template {m['template']['name']}] " + " | ".join(
                p["text"] for c in m["template"].get("components") or [] for p in c.get("parameters") or [])
        return f"[{self.kind}]"

    def choices(self) -> list[tuple[str, str]]:
        """(title, id) of its reply buttons or list rows."""
        if self.kind != "interactive":
            return []
        action = self.message["interactive"]["action"]
        if "buttons" in action:
            return [(b["reply"]["title"], b["reply"]["id"]) for b in action["buttons"]]
        return [(r["title"], r["id"]) for s in action.get("sections", []) for r in s["rows"]]


@dataclass
class Hold:
    """Messages to one person wait here (a test kills the bot while a reply is in flight)."""

    reached: asyncio.Event = field(default_factory=asyncio.Event)
    released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        self.released.set()


@dataclass
class WaState:
    inbound_at: dict[int, float] = field(default_factory=dict)  # the clock's time of each person's last message
    buckets: dict[int, tuple[float, float]] = field(default_factory=dict)
    sent: list[Sent] = field(default_factory=list)
    errors: list[tuple[int, WaError]] = field(default_factory=list)  # (to, error) of every refusal
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    undeliverable: set[int] = field(default_factory=set)
    webhooks: list[Json] = field(default_factory=list)  # every body posted to the bot
    transcript: list[Json] = field(default_factory=list)  # both directions, in order (the sandbox page)
    holds: dict[int, Hold] = field(default_factory=dict)


class WaEmulator:
    def __init__(self, *, token: str, phone_number_id: str, app_secret: str, templates: Templates | None = None,
                 version: str = "v21.0", monotonic: Callable[[], float] = time.monotonic,
                 late_window_errors: bool = False) -> None:
        self.token, self.phone_number_id, self.app_secret, self.version = token, phone_number_id, app_secret, version
        self.templates: Templates = dict(templates or {})
        self.monotonic = monotonic
        self.late_window_errors = late_window_errors
        self.offset = 0.0  # the clock control: seconds added to real time
        self.state = WaState()
        self.hook_url: str | None = None
        self.base_url = ""
        self._ids = itertools.count(1)
        self.app = web.Application(client_max_size=20 * 2**20)
        self.app.router.add_post(f"/{version}/{{phone}}/messages", self._messages)
        self.app.router.add_post(f"/{version}/{{phone}}/media", self._upload)
        self.app.router.add_get(f"/{version}/{{media_id}}", self._media_info)
        self.app.router.add_get("/media-file/{media_id}", self._media_file)
        self._runner: web.AppRunner | None = None
        self._http: aiohttp.ClientSession | None = None
        self._tasks: set[asyncio.Task[int]] = set()

    # -- life ---------------------------------------------------------------------------------

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.base_url = f"http://{host}:{self._runner.addresses[0][1]}"
        return f"{self.base_url}/{self.version}"

    async def settle(self) -> None:
        """Wait for the status webhooks under way."""
        while self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)

    async def stop(self) -> None:
        await self.settle()
        if self._http:
            await self._http.close()
        if self._runner:
            await self._runner.cleanup()

    def now(self) -> float:
        return time.time() + self.offset

    def hold(self, wa_id: int) -> Hold:
        """The next message to this person waits until released."""
        self.state.holds[wa_id] = Hold()
        return self.state.holds[wa_id]

    def record(self, wa_id: int, side: str, item: Json) -> None:
        self.state.transcript.append({"seq": len(self.state.transcript) + 1, "wa_id": wa_id, "from": side, **item})

    def close_window(self, wa_id: int) -> None:
        """The person's last message is now 25 hours old: only a template reaches them."""
        if wa_id in self.state.inbound_at:
            self.state.inbound_at[wa_id] = min(self.state.inbound_at[wa_id], self.now() - WINDOW - 3600)

    def new_id(self, prefix: str = "wamid.EMU") -> str:
        return f"{prefix}{next(self._ids):08d}{hashlib.sha1(str(self.now()).encode()).hexdigest()[:12]}"

    # -- the Graph API --------------------------------------------------------------------------

    def _auth(self, request: web.Request) -> None:
        if not hmac.compare_digest(request.headers.get("Authorization", ""), f"Bearer {self.token}"):
            raise WaError(190, "Invalid OAuth access token - Cannot parse access token", status=401)

    def _phone(self, request: web.Request) -> None:
        if request.match_info["phone"] != self.phone_number_id:
            raise WaError(100, "Unsupported post request. Object with ID does not exist",
                          request.match_info["phone"][:30])

    async def _messages(self, request: web.Request) -> web.Response:
        to = 0
        try:
            self._auth(request)
            self._phone(request)
            try:
                m = await request.json()
            except ValueError:
                raise WaError(100, "(#100) Invalid parameter", "the body is not JSON") from None
            kind = check_message(m, set(self.state.media), self.templates)
            to = int(str(m["to"]).lstrip("+"))
            if (hold := self.state.holds.pop(to, None)) is not None:
                hold.reached.set()
                await hold.released.wait()
                if request.transport is None or request.transport.is_closing():
                    return web.Response(status=499)  # the sender died meanwhile: nothing was delivered
            closed = kind != "template" and self.now() - self.state.inbound_at.get(to, -WINDOW * 2) > WINDOW
            if closed and self.late_window_errors:
                wamid = self.new_id()
                self.state.errors.append((to, WaError(131047, "Re-engagement message", "reported late")))
                self._later(self.post_status(to, wamid, "failed", 131047, "Re-engagement message"))
                return web.json_response({"messaging_product": "whatsapp", "messages": [{"id": wamid}]})
            if closed:
                raise WaError(131047, "Re-engagement message", "Message failed to send because more than 24 "
                              "hours have passed since the customer last replied to this number.")
            self._pair(to)
        except WaError as e:
            self.state.errors.append((to, e))
            return web.json_response(e.body(), status=e.status)
        wamid = self.new_id()
        sent = Sent(to, wamid, kind, m)
        self.state.sent.append(sent)
        self.record(to, "bot", {"wamid": wamid, "kind": kind, "text": sent.text, "message": m})
        if to in self.state.undeliverable:  # accepted, then reported failed, as Meta does
            self._later(self.post_status(to, wamid, "failed", 131026, "Message undeliverable"))
        return web.json_response({"messaging_product": "whatsapp", "contacts": [{"input": str(m["to"]),
                                  "wa_id": str(to)}], "messages": [{"id": wamid}]})

    def _later(self, coro: Coroutine[Any, Any, int]) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _pair(self, to: int) -> None:
        now = self.monotonic()
        tokens, at = self.state.buckets.get(to, (float(PAIR_BURST), now))
        tokens = min(float(PAIR_BURST), tokens + (now - at) / PAIR_INTERVAL)
        if tokens < 1:
            self.state.buckets[to] = (tokens, now)
            raise WaError(131056, "(Business Account, Consumer Account) pair rate limit hit",
                          "Too many messages sent from this phone number to the same phone number in a short period")
        self.state.buckets[to] = (tokens - 1, now)

    async def _upload(self, request: web.Request) -> web.Response:
        try:
            self._auth(request)
            self._phone(request)
            form = await request.post()
            f = form.get("file")
            if form.get("messaging_product") != "whatsapp" or not isinstance(f, web.FileField):
                raise WaError(100, "(#100) Invalid parameter", "messaging_product and file are required")
        except WaError as e:
            return web.json_response(e.body(), status=e.status)
        media_id = self.store_media(f.file.read(), f.content_type)
        return web.json_response({"id": media_id})

    def store_media(self, content: bytes, mime: str) -> str:
        media_id = str(10**15 + next(self._ids))
        self.state.media[media_id] = (content, mime)
        return media_id

    async def _media_info(self, request: web.Request) -> web.Response:
        try:
            self._auth(request)
            media_id = request.match_info["media_id"]
            if media_id not in self.state.media:
                raise WaError(100, "(#100) Invalid parameter", f"media {media_id[:30]} does not exist")
        except WaError as e:
            return web.json_response(e.body(), status=e.status)
        content, mime = self.state.media[media_id]
        return web.json_response({"messaging_product": "whatsapp", "url": f"{self.base_url}/media-file/{media_id}",
                                  "mime_type": mime, "sha256": hashlib.sha256(content).hexdigest(),
                                  "file_size": len(content), "id": media_id})

    async def _media_file(self, request: web.Request) -> web.Response:
        try:
            self._auth(request)
        except WaError as e:
            return web.json_response(e.body(), status=e.status)
        found = self.state.media.get(request.match_info["media_id"])
        if found is None:
            return web.Response(status=404)
        return web.Response(body=found[0], content_type=found[1])

    # -- webhooks to the bot ------------------------------------------------------------------

    def envelope(self, value: Json) -> Json:
        return {"object": "whatsapp_business_account", "entry": [{"id": "WABA-EMU", "changes": [{
            "field": "messages", "value": {"messaging_product": "whatsapp", "metadata": {
                "display_phone_number": "6281100000000", "phone_number_id": self.phone_number_id}, **value}}]}]}

    async def post(self, body: Json | bytes, *, sign: bool = True, signature: str | None = None) -> int:
        """POST a webhook body to the bot (signed with the app secret unless told otherwise)."""
        if self.hook_url is None:
            raise RuntimeError("no webhook URL: set hook_url")
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"}
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        elif sign:
            headers["X-Hub-Signature-256"] = "sha256=" + hmac.new(
                self.app_secret.encode(), raw, hashlib.sha256).hexdigest()
        if not isinstance(body, bytes):
            self.state.webhooks.append(body)
        self._http = self._http or aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60))
        async with self._http.post(self.hook_url, data=raw, headers=headers) as res:
            await res.read()
            return res.status

    async def post_status(self, to: int, wamid: str, status: str, code: int | None = None, title: str = "") -> int:
        s: Json = {"id": wamid, "status": status, "timestamp": str(int(self.now())), "recipient_id": str(to)}
        if code is not None:
            s["errors"] = [{"code": code, "title": title, "message": title, "error_data": {"details": title}}]
        return await self.post(self.envelope({"statuses": [s]}))
