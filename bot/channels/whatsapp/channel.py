"""The WhatsApp channel: `Channel.send` by WhatsApp's rules (render.py), media, and what a
button press is answered with (WhatsApp has no toasts: a toast becomes a short message)."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.channels.whatsapp import CHANNEL
from bot.channels.whatsapp.client import CloudApi, PairLimited
from bot.channels.whatsapp.intake import MEDIA_PREFIX
from bot.channels.whatsapp.pacing import PairPacer
from bot.channels.whatsapp.render import Payload, Rendered, Words, render
from bot.channels.whatsapp.text import clean
from handlers.channel import Rejected
from handlers.kit import Attachment, Reply

log = logging.getLogger(__name__)
Remember = Callable[[int, list[str]], Awaitable[None]]
WordsFor = Callable[[int], Awaitable[Words]]
UPLOADS_REMEMBERED = 1000
MIME = {"photo": "image/jpeg", "document": "application/octet-stream"}


class WhatsAppChannel:
    name = CHANNEL

    def __init__(self, api: CloudApi, words: Callable[[], Words] = Words, pacer: PairPacer | None = None) -> None:
        self.api = api
        self.words = words
        self.pacer = pacer or PairPacer()
        # Fetches a file another channel holds (a broadcast's photo uploaded on Telegram), to upload here.
        self.other_files: Callable[[str], Awaitable[bytes]] | None = None
        # Stores the data behind "1", "2"… of a person's numbered choices (the database, so that a
        # restart or another process understands the number: side.py); None keeps nothing.
        self.remember: Remember | None = None
        # The renderer's own words (a list's button, the numbered hint) in the person's language;
        # None keeps the deployment's (side.py reads their choice from the database).
        self.words_for: WordsFor | None = None
        self._stored: set[int] = set()  # people whose stored choices this process wrote
        self._uploaded: dict[str, str] = {}  # file id → the media id it was uploaded as (oldest first)

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        # No message can be edited: what edits in place on Telegram arrives as a new message.
        words = self.words()
        rendered = render(reply, words)
        if self.words_for is not None and _uses_words(rendered):  # a read only when a word shows
            theirs = await self.words_for(chat_id)
            if theirs != words:
                rendered = render(reply, theirs)
        if reply.attachment is not None:
            await self._post(chat_id, await self._media(reply.attachment))
        for message in rendered.messages:
            await self._post(chat_id, message)
        if self.remember is not None and rendered.numbered:
            await self.remember(chat_id, rendered.numbered)
            self._stored.add(chat_id)
        elif self.remember is not None and chat_id in self._stored and any(
                m["type"] == "interactive" for m in rendered.messages):
            # Newer choices stand: an old number means nothing now. (A number typed against an
            # older screen that another process drew still finds its data, which the flow then
            # answers as a stale button.)
            await self.remember(chat_id, [])
            self._stored.discard(chat_id)
        return None

    async def send_template(self, chat_id: int, name: str, language: str, params: list[str]) -> None:
        component: dict[str, Any] = {"type": "body", "parameters": [
            {"type": "text", "text": clean(p)[:1024] or "-"} for p in params]}
        await self._post(chat_id, {"type": "template", "template": {
            "name": name, "language": {"code": language}, "components": [component] if params else []}})

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        # The intake makes a press's callback id the person's number: a toast reaches them as text.
        if text and callback_id.isdigit():
            await self.send(int(callback_id), Reply(text))

    async def download(self, file_id: str) -> bytes:
        return await self.api.download(file_id.removeprefix(MEDIA_PREFIX))

    async def close(self) -> None:
        await self.api.close()

    async def _post(self, chat_id: int, message: Payload) -> None:
        await self.pacer.wait(chat_id)
        try:
            await self.api.send(str(chat_id), message)
        except PairLimited:
            self.pacer.held(chat_id)
            raise

    async def _media(self, a: Attachment) -> Payload:
        kind = "image" if a.kind == "photo" else "document"
        body: dict[str, Any] = {"id": await self._upload(a)}
        if kind == "document":
            body["filename"] = a.filename
        return {"type": kind, kind: body}

    async def _upload(self, a: Attachment) -> str:
        """The media id to send: a file known by id is uploaded once (a broadcast's photo to 10,000
        citizens is one upload; Meta keeps an uploaded file 30 days, this process far less)."""
        if a.content is None and a.file_id and (known := self._uploaded.get(a.file_id)):
            return known
        content = a.content
        if content is None and a.file_id and a.file_id.startswith(MEDIA_PREFIX):
            content = await self.download(a.file_id)  # the citizen's own file, sent back to them
        elif content is None and a.file_id and self.other_files is not None:
            content = await self.other_files(a.file_id)
        if content is None:  # a Telegram file id means nothing here: the file was never ours
            raise Rejected("a WhatsApp attachment needs its bytes")
        media_id = await self.api.upload(content, MIME.get(a.kind, MIME["document"]), a.filename)
        if a.content is None and a.file_id:
            self._uploaded[a.file_id] = media_id
            while len(self._uploaded) > UPLOADS_REMEMBERED:
                self._uploaded.pop(next(iter(self._uploaded)))
        return media_id


def _uses_words(rendered: Rendered) -> bool:
    """Whether the renderer's own words show: a list's button, or the hint under numbered lines."""
    return bool(rendered.numbered) or any(
        m["type"] == "interactive" and m["interactive"]["type"] == "list" for m in rendered.messages)
