"""python-telegram-bot 22 adapter: its Bot for the API and for getUpdates (bot.polling decides the offsets)."""

from __future__ import annotations

import logging
import warnings
from typing import Any

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.error import RetryAfter as PtbRetryAfter
from telegram.warnings import PTBDeprecationWarning

from bot.engines.base import ALLOWED_UPDATES, Handle, reply_markup
from bot.polling import poll_updates
from handlers.channel import Rejected, RetryAfter, Transient, Unreachable
from handlers.kit import Reply

log = logging.getLogger(__name__)


def _markup(reply: Reply, bot: Bot) -> Any:
    markup = reply_markup(reply)
    if markup is None:
        return None
    if "inline_keyboard" in markup:
        return InlineKeyboardMarkup.de_json(markup, bot)
    if "keyboard" in markup:
        return ReplyKeyboardMarkup.de_json(markup, bot)
    return ReplyKeyboardRemove.de_json(markup, bot)


def _method(reply: Reply, edit_message_id: int | None) -> str:
    """The Bot API method a reply becomes (PTB's errors do not name it; the log should)."""
    if reply.attachment:
        return "sendPhoto" if reply.attachment.kind == "photo" else "sendDocument"
    return "editMessageText" if edit_message_id is not None else "sendMessage"


class PtbChannel:
    name = "telegram"

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        try:
            return await self._send(chat_id, reply, edit_message_id)
        except PtbRetryAfter as e:
            with warnings.catch_warnings():  # PTB 22 warns that it will become a timedelta: both are handled
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                delay = e.retry_after
            raise RetryAfter(e.message, delay if isinstance(delay, int | float) else delay.total_seconds()) from e
        except Forbidden as e:
            raise Unreachable(e.message) from e
        except BadRequest as e:
            raise Rejected(f"{_method(reply, edit_message_id)}: {e.message}") from e
        except (TimedOut, NetworkError) as e:
            raise Transient(str(e)) from e

    async def _send(self, chat_id: int, reply: Reply, edit_message_id: int | None) -> int | None:
        markup = _markup(reply, self.bot)
        if edit_message_id is not None and reply.attachment is None:
            msg = await self.bot.edit_message_text(
                reply.text, chat_id=chat_id, message_id=edit_message_id, parse_mode="HTML",
                reply_markup=markup if reply.buttons else None)
            return msg.message_id if hasattr(msg, "message_id") else edit_message_id
        if att := reply.attachment:
            file: Any = att.file_id or att.content or b""
            if att.kind == "photo":
                msg = await self.bot.send_photo(chat_id, file, caption=reply.text or None, parse_mode="HTML",
                                                reply_markup=markup)
            else:
                msg = await self.bot.send_document(chat_id, file, caption=reply.text or None, parse_mode="HTML",
                                                   reply_markup=markup, filename=att.filename)
            return msg.message_id
        msg = await self.bot.send_message(chat_id, reply.text, parse_mode="HTML", reply_markup=markup)
        return msg.message_id

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        await self.bot.answer_callback_query(callback_id, text=text)

    async def download(self, file_id: str) -> bytes:
        f = await self.bot.get_file(file_id)
        return bytes(await f.download_as_bytearray())


class PtbEngine:
    def __init__(self, token: str, api_url: str) -> None:
        self.bot = Bot(token, base_url=f"{api_url}/bot", base_file_url=f"{api_url}/file/bot")
        self.channel = PtbChannel(self.bot)
        self.bot_id = 0

    async def start(self) -> str:
        await self.bot.initialize()
        self.bot_id = self.bot.id
        return self.bot.username or ""

    async def close(self) -> None:
        await self.bot.shutdown()

    async def poll(self, handle: Handle, concurrency: int) -> None:
        async def fetch(offset: int | None, wait: int, limit: int) -> list[dict[str, Any]]:
            # PTB adds the long-poll timeout to its read timeout itself.
            updates = await self.bot.get_updates(offset=offset, timeout=wait, limit=limit,
                                                 allowed_updates=ALLOWED_UPDATES)
            return [u.to_dict() for u in updates]

        await poll_updates(fetch, handle, concurrency)

    async def set_webhook(self, url: str, secret: str | None, max_connections: int = 40) -> None:
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                   max_connections=max_connections)

    async def delete_webhook(self) -> None:
        await self.bot.delete_webhook()

    async def set_commands(self, commands: list[tuple[str, str]], language: str | None) -> None:
        await self.bot.set_my_commands([BotCommand(c, d) for c, d in commands], language_code=language)
