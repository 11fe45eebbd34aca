"""The control API: tests in another process and the web chat act as users and read back over HTTP.

Each endpoint is JSON in, JSON out; bad input is a 400 and a button not on screen a 404.
"""

from __future__ import annotations

import base64
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from bot.sandbox.emulator.protocol import Json
from bot.sandbox.emulator.users import ButtonNotFound

if TYPE_CHECKING:
    from bot.sandbox.emulator.app import Emulator


class Control:
    """``/control/*`` over the emulator's own Python API."""

    def __init__(self, emu: Emulator) -> None:
        self.emu = emu

    def add_routes(self, app: web.Application) -> None:
        for method, path, handler in self.routes():
            app.router.add_route(method, f"/control/{path}", handler)

    def routes(self) -> list[tuple[str, str, Callable[[web.Request], Awaitable[web.Response]]]]:
        return [
            ("POST", "message", self._control(self._ctl_message)),
            ("POST", "press", self._control(self._ctl_press)),
            ("POST", "contact", self._control(self._ctl_contact)),
            ("POST", "location", self._control(self._ctl_location)),
            ("POST", "document", self._control(self._ctl_document)),
            ("POST", "photo", self._control(self._ctl_photo)),
            ("POST", "block", self._control(self._ctl_block)),
            ("GET", "sent", self._control(self._ctl_sent)),
            ("GET", "transcript", self._control(self._ctl_transcript)),
            ("GET", "bad_requests", self._control(lambda q, b: self._ok({"bad_requests": self.emu.store.bad_requests}))),
            ("GET", "stats", self._control(lambda q, b: self._ok(self.emu.stats()))),
            ("GET", "webhook_log", self._control(lambda q, b: self._ok({"webhook_log": self.emu.store.webhook_log}))),
            ("POST", "reset", self._control(self._ctl_reset)),
            ("POST", "config", self._control(self._ctl_config)),
        ]

    @staticmethod
    async def _ok(value: Any) -> Any:
        return value

    @staticmethod
    def _control(handler: Callable[[Any, Json], Awaitable[Any]]) -> Callable[[web.Request], Awaitable[web.Response]]:
        """Wrap a control handler: JSON in/out, bad input → 400, missing button → 404."""
        async def endpoint(request: web.Request) -> web.Response:
            try:
                body: Json = {}
                if request.method == "POST" and request.body_exists:
                    body = await request.json()
                    if not isinstance(body, dict):
                        raise ValueError("JSON object expected")
                return web.json_response(await handler(request.query, body))
            except ButtonNotFound as exc:
                return web.json_response({"ok": False, "error": str(exc)}, status=404)
            except (KeyError, ValueError, TypeError) as exc:
                return web.json_response({"ok": False, "error": f"{type(exc).__name__}: {exc}"}, status=400)
        return endpoint

    async def _ctl_message(self, query: Any, body: Json) -> Json:
        extra = {k: body[k] for k in ("first_name", "username", "language_code") if body.get(k)}
        return await self.emu.say(int(body["user_id"]), str(body["text"]), **extra)

    async def _ctl_press(self, query: Any, body: Json) -> Json:
        message_id = int(body["message_id"]) if body.get("message_id") is not None else None
        return await self.emu.press(int(body["user_id"]), body.get("button_text"), data=body.get("data"),
                                message_id=message_id)

    async def _ctl_contact(self, query: Any, body: Json) -> Json:
        return await self.emu.share_contact(int(body["user_id"]), str(body["phone_number"]),
                                        own=bool(body.get("own", True)))

    async def _ctl_location(self, query: Any, body: Json) -> Json:
        return await self.emu.send_location(int(body["user_id"]), float(body["latitude"]), float(body["longitude"]))

    async def _ctl_document(self, query: Any, body: Json) -> Json:
        content = base64.b64decode(body["content_base64"], validate=True)
        return await self.emu.send_document(int(body["user_id"]), str(body["file_name"]), content,
                                        body.get("mime_type") or "application/octet-stream",
                                        body.get("caption"), declared_size=body.get("declared_size"))

    async def _ctl_photo(self, query: Any, body: Json) -> Json:
        content = base64.b64decode(body["content_base64"], validate=True)
        return await self.emu.send_photo(int(body["user_id"]), content, body.get("caption"))

    async def _ctl_block(self, query: Any, body: Json) -> Json:
        self.emu.block(int(body["user_id"]), bool(body.get("blocked", True)))
        return {"ok": True}

    async def _ctl_sent(self, query: Any, body: Json) -> Json:
        chat_id = int(query["chat_id"]) if query.get("chat_id") else None
        # `queries`: callback query ids (comma-separated) whose answers the web chat waits for, to
        # show an answer's text as Telegram's pop-up does.
        asked = set(filter(None, str(query.get("queries") or "").split(",")))
        answers = [{"id": a["callback_query_id"], "text": a["text"], "show_alert": a["show_alert"]}
                   for a in self.emu.store.callback_answers if a["callback_query_id"] in asked]
        return {"messages": self.emu.changes(chat_id, int(query.get("after") or 0)), "seq": self.emu.store.seq,
                "answers": answers}

    async def _ctl_transcript(self, query: Any, body: Json) -> Json:
        """The whole chat as its user sees it (their own messages too), and the seq to poll after."""
        chat_id = int(query["chat_id"])
        return {"items": self.emu.store.transcript.items(chat_id, self.emu.sent(chat_id)), "seq": self.emu.store.seq}

    async def _ctl_reset(self, query: Any, body: Json) -> Json:
        self.emu.reset()
        return {"ok": True}

    async def _ctl_config(self, query: Any, body: Json) -> Json:
        kwargs: Json = {}
        if "rate_limit" in body:
            kwargs["rate_limit"] = body["rate_limit"]
        if body.get("retry_after") is not None:
            kwargs["retry_after"] = int(body["retry_after"])
        return self.emu.configure(**kwargs)
