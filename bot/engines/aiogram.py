"""aiogram 3 adapter: its Bot for the API, and a lean path for the per-update calls.

bot.polling decides the offsets. getUpdates, sendMessage, editMessageText and
answerCallbackQuery go out as JSON on aiogram's own aiohttp session (`RawApi`): SAPA reads
only `message_id` of an answer and hands getUpdates' JSON to bot.updates as it came, so
aiogram's pydantic models (built for each request and each answer) were most of the cost
of a reply. A failure is still judged by aiogram, so the errors are aiogram's own.
"""

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
from aiogram.methods import AnswerCallbackQuery, EditMessageText, GetUpdates, SendMessage
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from bot.engines.base import ALLOWED_UPDATES, Handle, reply_markup
from bot.engines.raw import RawApi, Unencodable
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

    def __init__(self, bot: Bot, session: AiohttpSession) -> None:
        self.bot = bot
        self.raw = RawApi(bot, session)

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
        if reply.attachment is None:
            try:
                return await self._send_text(chat_id, reply, edit_message_id)
            except Unencodable:  # orjson refuses what json accepts (lone surrogates): aiogram's path
                pass
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

    async def _send_text(self, chat_id: int, reply: Reply, edit_message_id: int | None) -> int | None:
        params: dict[str, Any] = {"chat_id": chat_id, "text": reply.text, "parse_mode": "HTML"}
        markup = reply_markup(reply)
        if edit_message_id is not None:
            params["message_id"] = edit_message_id
            if reply.buttons and markup is not None:  # an edit takes an inline keyboard only
                params["reply_markup"] = markup
            msg = await self.raw.call("editMessageText", params, lambda: EditMessageText(
                text=reply.text, chat_id=chat_id, message_id=edit_message_id))
            return msg["message_id"] if isinstance(msg, dict) else edit_message_id  # True: inline
        if markup is not None:
            params["reply_markup"] = markup
        msg = await self.raw.call("sendMessage", params, lambda: SendMessage(chat_id=chat_id, text=reply.text))
        return int(msg["message_id"])

    async def answer_callback(self, callback_id: str, text: str | None = None) -> None:
        params: dict[str, Any] = {"callback_query_id": callback_id}
        if text is not None:
            params["text"] = text
        try:
            await self.raw.call("answerCallbackQuery", params,
                                lambda: AnswerCallbackQuery(callback_query_id=callback_id, text=text))
        except Unencodable:
            await self.bot.answer_callback_query(callback_id, text=text)

    async def download(self, file_id: str) -> bytes:
        buf = io.BytesIO()
        await self.bot.download(file_id, destination=buf)
        return buf.getvalue()


class AiogramEngine:
    def __init__(self, token: str, api_url: str) -> None:
        session = AiohttpSession(api=TelegramAPIServer.from_base(api_url))
        self.bot = Bot(token, session=session)
        self.channel = AiogramChannel(self.bot, session)
        self.bot_id = 0

    async def start(self) -> str:
        me = await self.bot.get_me()
        self.bot_id = me.id
        return me.username or ""

    async def close(self) -> None:
        await self.bot.session.close()

    async def poll(self, handle: Handle, concurrency: int) -> None:
        async def fetch(offset: int | None, wait: int, limit: int) -> list[dict[str, Any]]:
            # The updates as Telegram sent them, as a webhook receives them: no model per update.
            params: dict[str, Any] = {"timeout": wait, "limit": limit, "allowed_updates": ALLOWED_UPDATES}
            if offset is not None:
                params["offset"] = offset
            updates = await self.channel.raw.call("getUpdates", params, lambda: GetUpdates(
                offset=offset, timeout=wait, limit=limit), request_timeout=self.bot.session.timeout + wait)
            if not isinstance(updates, list):
                raise ValueError(f"getUpdates answered {type(updates).__name__}, not a list")
            return updates

        await poll_updates(fetch, handle, concurrency)

    async def set_webhook(self, url: str, secret: str | None, max_connections: int = 40) -> None:
        await self.bot.set_webhook(url, secret_token=secret, allowed_updates=ALLOWED_UPDATES,
                                   max_connections=max_connections)

    async def delete_webhook(self) -> None:
        await self.bot.delete_webhook()

    async def set_commands(self, commands: list[tuple[str, str]], language: str | None) -> None:
        await self.bot.set_my_commands([BotCommand(command=c, description=d) for c, d in commands],
                                       language_code=language)
