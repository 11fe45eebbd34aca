"""Simulated citizens: what a person does in WhatsApp, posted to the bot as Meta posts it."""

from __future__ import annotations

from typing import Any

from bot.sandbox.wa_emulator.app import Sent, WaEmulator
from bot.sandbox.wa_emulator.checks import Json


class ChoiceNotFound(LookupError):
    pass


class Citizens:
    def __init__(self, emu: WaEmulator) -> None:
        self.emu = emu
        self.names: dict[int, str] = {}

    async def _message(self, wa_id: int, kind: str, part: Json, **extra: Any) -> tuple[int, str]:
        """Post one message from the person; returns (the bot's HTTP status, the wamid)."""
        wamid = self.emu.new_id("wamid.IN")
        self.emu.state.inbound_at[wa_id] = self.emu.now()
        msg = {"from": str(wa_id), "id": wamid, "timestamp": str(int(self.emu.now())), "type": kind, kind: part,
               **extra}
        self.emu.record(wa_id, "me", {"wamid": wamid, "kind": kind, "part": part})
        contact = {"profile": {"name": self.names.get(wa_id, f"Warga {str(wa_id)[-4:]}")}, "wa_id": str(wa_id)}
        status = await self.emu.post(self.emu.envelope({"contacts": [contact], "messages": [msg]}))
        return status, wamid

    async def say(self, wa_id: int, text: str) -> tuple[int, str]:
        return await self._message(wa_id, "text", {"body": text})

    async def press(self, wa_id: int, title: str) -> tuple[int, str]:
        """Tap the reply button or list row whose title holds `title` (or a shortened title `title`
        starts with) on the latest message that offers it."""
        for sent in reversed(self.messages(wa_id)):
            for shown, data in sent.choices():
                if title in shown or shown.rstrip("…") in title:
                    kind = "button_reply" if "buttons" in sent.message["interactive"]["action"] else "list_reply"
                    return await self._message(wa_id, "interactive", {"type": kind, kind: {"id": data, "title": shown}},
                                               context={"id": sent.wamid})
        raise ChoiceNotFound(f"{title!r} not offered to {wa_id}; last: {[s.choices() for s in self.messages(wa_id)[-2:]]}")

    async def reply(self, wa_id: int, data: str, title: str, *, in_list: bool = False) -> tuple[int, str]:
        """Tap a reply button (or a list row) whose id the caller read from the message."""
        kind = "list_reply" if in_list else "button_reply"
        return await self._message(wa_id, "interactive", {"type": kind, kind: {"id": data, "title": title}})

    async def send_photo(self, wa_id: int, content: bytes = b"\xff\xd8\xff\xe0fake-jpeg", caption: str = "",
                         mime: str = "image/jpeg") -> tuple[int, str]:
        media_id = self.emu.store_media(content, mime)
        part: Json = {"id": media_id, "mime_type": mime, "sha256": "x"}
        if caption:
            part["caption"] = caption
        return await self._message(wa_id, "image", part)

    async def send_document(self, wa_id: int, content: bytes, filename: str, mime: str) -> tuple[int, str]:
        media_id = self.emu.store_media(content, mime)
        return await self._message(wa_id, "document", {"id": media_id, "mime_type": mime, "filename": filename})

    async def send_location(self, wa_id: int, lat: float, lon: float) -> tuple[int, str]:
        return await self._message(wa_id, "location", {"latitude": lat, "longitude": lon})

    async def replay(self, index: int = -1) -> int:
        """Meta delivers a webhook body again (it does, on a slow or failed answer)."""
        return await self.emu.post(self.emu.state.webhooks[index])

    def messages(self, wa_id: int) -> list[Sent]:
        return [s for s in self.emu.state.sent if s.to == wa_id]

    def texts(self, wa_id: int) -> list[str]:
        return [s.text for s in self.messages(wa_id)]

    def last_text(self, wa_id: int) -> str:
        texts = self.texts(wa_id)
        return texts[-1] if texts else ""
