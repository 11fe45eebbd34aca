"""The Bot API surface for messages: send, edit, delete, answer callbacks, chat actions (commands:
commands.py).

Every call is checked as strictly as Telegram checks it (see checks.py) before it touches the store.
"""

from __future__ import annotations

import copy
import time

from bot.sandbox.emulator.checks import Formatted, format_text, inline_part, parse_reply_markup
from bot.sandbox.emulator.commands import BotCommands
from bot.sandbox.emulator.files import Files
from bot.sandbox.emulator.limits import Limits
from bot.sandbox.emulator.protocol import (
    ApiError,
    Ctx,
    Handler,
    Json,
    Params,
    bool_param,
    int_param,
    json_value,
    now,
)
from bot.sandbox.emulator.state import Store
from bot.sandbox.html_check import utf16_len

CALLBACK_ANSWER_LIMIT = 200
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup are "
    "exactly the same as a current content and reply markup of the message")
QUERY_TOO_OLD = "Bad Request: query is too old and response timeout expired or query ID is invalid"


class BotMethods:
    """The bot's side of every chat, over the shared store."""

    def __init__(self, store: Store, limits: Limits, files: Files) -> None:
        self.store = store
        self.limits = limits
        self.files = files
        self.bot_commands = BotCommands()

    def methods(self) -> dict[str, Handler]:
        return {
            "getMe": self._api_get_me,
            "sendMessage": self._api_send_message,
            "sendPhoto": self._api_send_photo,
            "sendDocument": self._api_send_document,
            "editMessageText": self._api_edit_message_text,
            "editMessageCaption": self._api_edit_message_caption,
            "editMessageReplyMarkup": self._api_edit_message_reply_markup,
            "deleteMessage": self._api_delete_message,
            "answerCallbackQuery": self._api_answer_callback_query,
            **self.bot_commands.methods(),
            "sendChatAction": self._api_send_chat_action,
            "close": self._api_true,
            "logOut": self._api_true,
        }

    def _reply_target(self, chat_id: int, params: Params) -> Json | None:
        """The message being replied to, if any; a missing one is an error unless allowed."""
        reply = json_value(params.get("reply_parameters"), "Bad Request: can't parse reply parameters")
        allow = bool_param(params.get("allow_sending_without_reply"))
        if isinstance(reply, dict):
            message_id = int_param(reply, "message_id")
            allow = allow or bool_param(reply.get("allow_sending_without_reply"))
        else:
            message_id = int_param(params, "reply_to_message_id")
        if message_id is None:
            return None
        target = self.store.messages.get((chat_id, message_id))
        if target is None and not allow:
            raise ApiError(400, "Bad Request: message to be replied not found")
        return copy.deepcopy(target) if target else None

    def _deliver(self, ctx: Ctx, chat_id: int, method: str, content: Json, record: Json,
                 markup: Json | None, reply_to: Json | None) -> Json:
        """Store a bot message, record it for tests and return the Message object."""
        message_id = self.store.next_message_id(chat_id)
        message: Json = {"message_id": message_id, "from": ctx.bot_user, "chat": self.store.chat(chat_id),
                         "date": now(), **content}
        if reply_to is not None:
            message["reply_to_message"] = reply_to
        if inline_part(markup):
            message["reply_markup"] = markup
        self.store.messages[(chat_id, message_id)] = message
        entry: Json = {"seq": 0, "message_id": message_id, "chat_id": chat_id, "method": method,
                       "text": None, "plain": None, "entities": [], "parse_mode": None, "caption": None,
                       "reply_markup": markup, "photo": None, "document": None,
                       "reply_to_message_id": reply_to["message_id"] if reply_to else None,
                       "edited": False, "edits": 0, "deleted": False, "date": message["date"], **record}
        self.store.sent.append(entry)
        self.store.records[(chat_id, message_id)] = entry
        self.store.bump(entry)
        return copy.deepcopy(message)

    @staticmethod
    def _text_fields(fmt: Formatted, *, caption: bool) -> tuple[Json, Json]:
        """(Message object fields, record fields) for a text or caption."""
        key, entities_key = ("caption", "caption_entities") if caption else ("text", "entities")
        content: Json = {key: fmt.plain}
        if fmt.entities:
            content[entities_key] = fmt.entities
        record: Json = {"text": fmt.raw, "plain": fmt.plain, "entities": fmt.entities,
                        "parse_mode": fmt.parse_mode}
        if caption:
            record["caption"] = fmt.raw
        return content, record

    async def _api_true(self, ctx: Ctx, params: Params) -> bool:
        return True

    async def _api_get_me(self, ctx: Ctx, params: Params) -> Json:
        return {**ctx.bot_user, "can_join_groups": False, "can_read_all_group_messages": False,
                "supports_inline_queries": False, "can_connect_to_business": False,
                "has_main_web_app": False}

    async def _api_send_message(self, ctx: Ctx, params: Params) -> Json:
        chat_id = self.limits.target_chat(params)
        fmt = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        assert fmt is not None
        markup = parse_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat_id, params)
        content, record = self._text_fields(fmt, caption=False)
        return self._deliver(ctx, chat_id, "sendMessage", content, record, markup, reply_to)

    async def _send_media(self, ctx: Ctx, params: Params, kind: str, method: str) -> Json:
        chat_id = self.limits.target_chat(params)
        stored, source = self.files.resolve_file(params, kind)
        fmt = format_text(params.get("caption"), params.get("parse_mode"),
                          params.get("caption_entities"), caption=True)
        markup = parse_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat_id, params)
        content, record = self._text_fields(fmt, caption=True) if fmt else ({}, {})
        info: Json = {"file_id": stored.file_id, "file_size": stored.file_size, "source": source}
        if kind == "photo":
            content["photo"] = [stored.photo_size()]
            record["photo"] = {**info, "width": stored.width, "height": stored.height}
        else:
            content["document"] = stored.document()
            record["document"] = {**info, "file_name": stored.file_name, "mime_type": stored.mime_type}
        return self._deliver(ctx, chat_id, method, content, record, markup, reply_to)

    async def _api_send_photo(self, ctx: Ctx, params: Params) -> Json:
        return await self._send_media(ctx, params, "photo", "sendPhoto")

    async def _api_send_document(self, ctx: Ctx, params: Params) -> Json:
        return await self._send_media(ctx, params, "document", "sendDocument")

    async def _api_send_chat_action(self, ctx: Ctx, params: Params) -> bool:
        chat_id = self.limits.target_chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        self.store.chat_actions.append({"chat_id": chat_id, "action": action, "time": time.time()})
        return True

    def _editable(self, params: Params) -> tuple[Json, Json]:
        """(record, message) of a bot message named by chat_id + message_id."""
        if params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: MESSAGE_ID_INVALID")
        chat_id = self.limits.target_chat(params)
        message_id = int_param(params, "message_id", "Bad Request: MESSAGE_ID_INVALID")
        if message_id is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        record = self.store.records.get((chat_id, message_id))
        if record is None or record["deleted"]:
            if (chat_id, message_id) in self.store.messages:
                raise ApiError(400, "Bad Request: message can't be edited")
            raise ApiError(400, "Bad Request: message to edit not found")
        return record, self.store.messages[(chat_id, message_id)]

    def _apply_edit(self, record: Json, message: Json, markup: Json | None,
                    fields: Json, record_fields: Json) -> Json:
        """Write an edit to both views; Telegram drops an inline keyboard not re-sent.

        Callers remove the old text/caption entities from ``message`` first.
        """
        message.update(fields)
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = now()
        # A reply keyboard is chat state, not message state: an edit leaves it on screen.
        reply_keyboard = record["reply_markup"] if not inline_part(record["reply_markup"]) else None
        record.update(record_fields)
        record["reply_markup"] = markup if markup is not None else reply_keyboard
        record["edited"] = True
        record["edits"] += 1
        self.store.bump(record)
        return copy.deepcopy(message)

    async def _api_edit_message_text(self, ctx: Ctx, params: Params) -> Json:
        record, message = self._editable(params)
        if "text" not in message:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        fmt = format_text(params.get("text"), params.get("parse_mode"), params.get("entities"))
        assert fmt is not None
        markup = inline_part(parse_reply_markup(params.get("reply_markup"), inline_only=True))
        if (fmt.plain == message["text"] and fmt.entities == message.get("entities", [])
                and markup == message.get("reply_markup")):
            raise ApiError(400, NOT_MODIFIED)
        content, record_fields = self._text_fields(fmt, caption=False)
        message.pop("entities", None)
        return self._apply_edit(record, message, markup, content, record_fields)

    async def _api_edit_message_caption(self, ctx: Ctx, params: Params) -> Json:
        record, message = self._editable(params)
        if "text" in message:
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        fmt = format_text(params.get("caption"), params.get("parse_mode"),
                          params.get("caption_entities"), caption=True)
        markup = inline_part(parse_reply_markup(params.get("reply_markup"), inline_only=True))
        plain, entities = (fmt.plain, fmt.entities) if fmt else (None, [])
        if (plain == message.get("caption") and entities == message.get("caption_entities", [])
                and markup == message.get("reply_markup")):
            raise ApiError(400, NOT_MODIFIED)
        message.pop("caption", None)
        message.pop("caption_entities", None)
        if fmt:
            content, record_fields = self._text_fields(fmt, caption=True)
        else:
            content, record_fields = {}, {"text": None, "plain": None, "entities": [], "caption": None}
        return self._apply_edit(record, message, markup, content, record_fields)

    async def _api_edit_message_reply_markup(self, ctx: Ctx, params: Params) -> Json:
        record, message = self._editable(params)
        markup = inline_part(parse_reply_markup(params.get("reply_markup"), inline_only=True))
        if markup == message.get("reply_markup"):
            raise ApiError(400, NOT_MODIFIED)
        return self._apply_edit(record, message, markup, {}, {})

    async def _api_delete_message(self, ctx: Ctx, params: Params) -> bool:
        chat_id = self.limits.target_chat(params)
        message_id = int_param(params, "message_id", "Bad Request: message identifier is not specified")
        if message_id is None or self.store.messages.pop((chat_id, message_id), None) is None:
            raise ApiError(400, "Bad Request: message to delete not found")
        record = self.store.records.get((chat_id, message_id))
        if record is not None:
            record["deleted"] = True
            self.store.bump(record)
        return True

    async def _api_answer_callback_query(self, ctx: Ctx, params: Params) -> bool:
        query_id = str(params.get("callback_query_id") or "")
        if query_id not in self.store.callbacks:
            raise ApiError(400, QUERY_TOO_OLD)
        text = params.get("text")
        if text is not None and utf16_len(str(text)) > CALLBACK_ANSWER_LIMIT:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        query = self.store.callbacks.pop(query_id)
        self.store.callback_answers.append({
            "callback_query_id": query_id, "user_id": query["from"]["id"], "text": text,
            "show_alert": bool_param(params.get("show_alert")), "url": params.get("url"),
            "time": time.time()})
        self.store.signal.fire()
        return True

    def commands(self, language_code: str = "", scope: Json | None = None) -> list[Json]:
        """The commands the bot registered for ``scope`` (default scope) and language."""
        return self.bot_commands.commands(language_code, scope)
