"""`/sandbox/wa/*`: what the sandbox page's WhatsApp persona does, and the clock control."""

from __future__ import annotations

import base64
import binascii
from typing import Any

from aiohttp import web

from bot.sandbox.wa_emulator.app import WaEmulator
from bot.sandbox.wa_emulator.people import Citizens

MAX_UPLOAD = 16 * 2**20  # WhatsApp's own limit for an image is 5 MB, a document 100 MB; the page stays small


def add_control(app: web.Application, emu: WaEmulator, people: Citizens) -> None:
    async def body(request: web.Request) -> tuple[dict[str, Any], int]:
        try:
            data = await request.json()
            wa_id = int(str(data["wa_id"]))
        except (ValueError, KeyError, TypeError):
            raise web.HTTPBadRequest(text="wa_id and a JSON body are required") from None
        if not isinstance(data, dict) or not 6 <= len(str(wa_id)) <= 18:
            raise web.HTTPBadRequest(text="wa_id must be a phone number")
        return data, wa_id

    async def transcript(request: web.Request) -> web.Response:
        try:
            wa_id, after = int(request.query["wa_id"]), int(request.query.get("after", "0"))
        except (KeyError, ValueError):
            raise web.HTTPBadRequest(text="wa_id (and after) are numbers") from None
        items = [i for i in emu.state.transcript if i["wa_id"] == wa_id and i["seq"] > after]
        return web.json_response({"items": items, "seq": len(emu.state.transcript)})

    async def say(request: web.Request) -> web.Response:
        data, wa_id = await body(request)
        if name := str(data.get("name", ""))[:60]:
            people.names[wa_id] = name
        status, wamid = await people.say(wa_id, str(data.get("text", ""))[:4096])
        return web.json_response({"status": status, "wamid": wamid})

    async def reply(request: web.Request) -> web.Response:
        data, wa_id = await body(request)
        status, wamid = await people.reply(wa_id, str(data.get("id", ""))[:256], str(data.get("title", ""))[:72],
                                           in_list=bool(data.get("list")))
        return web.json_response({"status": status, "wamid": wamid})

    async def location(request: web.Request) -> web.Response:
        data, wa_id = await body(request)
        try:
            lat, lon = float(data["latitude"]), float(data["longitude"])
        except (KeyError, TypeError, ValueError):
            raise web.HTTPBadRequest(text="latitude and longitude are numbers") from None
        status, wamid = await people.send_location(wa_id, lat, lon)
        return web.json_response({"status": status, "wamid": wamid})

    async def upload(request: web.Request) -> web.Response:
        data, wa_id = await body(request)
        try:
            content = base64.b64decode(str(data.get("content_base64", "")), validate=True)
        except (binascii.Error, ValueError):
            raise web.HTTPBadRequest(text="content_base64 is not base64") from None
        if not content or len(content) > MAX_UPLOAD:
            raise web.HTTPBadRequest(text="the file is empty or too large")
        mime = str(data.get("mime_type") or "application/octet-stream")[:100]
        if mime.startswith("image/"):
            status, wamid = await people.send_photo(wa_id, content, mime=mime)
        else:
            status, wamid = await people.send_document(wa_id, content, str(data.get("file_name") or "file")[:200], mime)
        return web.json_response({"status": status, "wamid": wamid})

    async def close_window(request: web.Request) -> web.Response:
        _, wa_id = await body(request)
        emu.close_window(wa_id)
        return web.json_response({"ok": True})

    async def media(request: web.Request) -> web.Response:
        found = emu.state.media.get(request.query.get("id", ""))
        if found is None:
            raise web.HTTPNotFound()
        return web.Response(body=found[0], content_type=found[1])

    app.router.add_get("/sandbox/wa/transcript", transcript)
    app.router.add_post("/sandbox/wa/say", say)
    app.router.add_post("/sandbox/wa/reply", reply)
    app.router.add_post("/sandbox/wa/location", location)
    app.router.add_post("/sandbox/wa/upload", upload)
    app.router.add_post("/sandbox/wa/close-window", close_window)
    app.router.add_get("/sandbox/wa/media", media)
