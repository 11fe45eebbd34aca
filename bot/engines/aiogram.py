"""aiogram 3 adapter: its Bot for the API and for getUpdates (bot.polling decides the offsets)."""

from __future__ import annotations

import io
import logging
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.engines.base import ALLOWED_UPDATES, Handle, reply_markup
from bot.polling import poll_updates
from handlers.channel import Rejected, RetryAfter, Transient, Unreachable
from handlers.kit import Reply

log = logging.getLogger(__name__)


def _markup(reply: Reply) -> Any:
    markup = reply_markup(reply)
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        return InlineKeyboardMarkup.model_validate(markup)
    if "keyboard" in markup:
        return ReplyKeyboardMarkup.model_validate(markup)
    return ReplyKeyboardRemove.model_validate(markup)


class AiogramChannel:
    name = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        try:
            return await self._send(chat_id, reply, edit_message_id)
        except TelegramRetryAfter as e:
            raise RetryAfter(e.message, e.retry_after) from e
        except TelegramForbiddenError as e:
            raise Unreachable(e.message) from e
        except TelegramBadRequest as e:
            raise Rejected(f"{e.method.__api_method__}: {e.message}") from e
        except (TimeoutError, TelegramNetworkError, TelegramServerError) as e:
            raise Transient(str(e)) from e

    async def _send(self, chat_id: int, reply: Reply, edit_message_id: int | None) -> int | None:
        markup = _markup(reply)
        if edit_message_id is not None and reply.attachment is None:
            msg = await self.bot.edit_message_text(
                text=reply.text, chat_id=chat_id, message_id=edit_message_id, parse_mode="HTML",
                reply_markup=markup if reply.buttons else None)
            return msg.message_id if hasattr(msg, "message_id") else edit_message_id
        if att := reply.attachment:
            file: Any = att.file_id or BufferedInputFile(att.content or b"", filename=att.filename)
            send = self.bot.send_photo if att.kind == "photo" else self.bot.send_document
            msg = await send(chat_id, file, caption=reply.text or None, parse_mode="HTML", reply_markup=markup)
            return msg.message_id
        msg = await self.bot.send_message(chat_id, reply.text, parse_mode="HTML", reply_markup=markup,
                                          link_preview_options=None)
        return msg.message_id

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        await self.bot.answer_callback_query(callback_id, text=text)

    async def download(self, file_id: str) -> bytes:
        buf = io.BytesIO()
        await self.bot.download(file_id, destination=buf)
        return buf.getvalue()


class AiogramEngine:
    def __init__(self, token: str, api_url: str) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
        self.bot = Bot(token, session=session)
        self.channel = AiogramChannel(self.bot)
        self.bot_id = 0

    async def start(self) -> str:
        me = await self.bot.get_me()
        self.bot_id = me.id
        return me.username or ""

    async def close(self) -> None:
        await self.bot.session.close()

    async def poll(self, handle: Handle, concurrency: int) -> None:
        async def fetch(offset: int | None, wait: int, limit: int) -> list[dict[str, Any]]:
            updates = await self.bot.get_updates(
                offset=offset, timeout=wait, limit=limit, allowed_updates=ALLOWED_UPDATES,
                request_timeout=int(self.bot.session.timeout + wait))
            return [u.model_dump(mode="json", by_alias=True, exclude_none=True) for u in updates]

        await poll_updates(fetch, handle, concurrency)

    async def set_webhook(self, url: str, secret: str | None, max_connections: int = 40) -> None:
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                   max_connections=max_connections)

    async def delete_webhook(self) -> None:
        await self.bot.delete_webhook()

    async def set_commands(self, commands: list[tuple[str, str]], language: str | None) -> None:
        await self.bot.set_my_commands([BotCommand(command=c, description=d) for c, d in commands],
                                       language_code=language)
