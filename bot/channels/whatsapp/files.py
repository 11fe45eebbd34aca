"""Files citizens sent on WhatsApp, shown to staff on Telegram.

A complaint keeps a photo's id, not its bytes; a WhatsApp photo's id ("wa:<media id>") means
nothing to Telegram. Wrapping Telegram's channel, a reply that carries one is sent with the
bytes fetched from the Graph API instead (Meta keeps a received media file for a limited time:
an old report's WhatsApp photo may no longer be there, and its card then says so in the text).
"""

from __future__ import annotations

import logging
from dataclasses import replace

from bot.channels.whatsapp.intake import MEDIA_PREFIX
from handlers.channel import Channel, DeliveryError, Rejected
from handlers.kit import Reply

log = logging.getLogger(__name__)


class WithWhatsAppFiles:
    """A Channel (Telegram's) that can send files whose ids are WhatsApp's."""

    def __init__(self, inner: Channel, whatsapp: Channel) -> None:
        self.inner = inner
        self.whatsapp = whatsapp
        self.name = inner.name

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        a = reply.attachment
        if a is not None and a.content is None and a.file_id and a.file_id.startswith(MEDIA_PREFIX):
            try:
                content = await self.whatsapp.download(a.file_id)
            except DeliveryError as e:
                log.warning("WhatsApp file %s could not be fetched: %s", a.file_id, e.reason)
                raise Rejected(f"the WhatsApp file is gone: {e.reason}") from e
            reply = replace(reply, attachment=replace(a, content=content, file_id=None,
                                                      filename=a.filename if a.filename != "file" else "foto.jpg"))
        return await self.inner.send(chat_id, reply, edit_message_id=edit_message_id)

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        await self.inner.answer_callback(callback_id, text)

    async def download(self, file_id: str) -> bytes:
        if file_id.startswith(MEDIA_PREFIX):
            return await self.whatsapp.download(file_id)
        return await self.inner.download(file_id)
