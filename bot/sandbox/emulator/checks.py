"""Telegram's strict checks on what the bot sends: texts and captions, keyboards, buttons."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.sandbox.emulator.protocol import ApiError, Json, json_value
from bot.sandbox.html_check import HtmlParseError, check_html, utf16_len

TEXT_LIMIT = 4096
CAPTION_LIMIT = 1024
CALLBACK_DATA_LIMIT = 64  # bytes of UTF-8
MAX_BUTTONS = 100
INLINE_ACTIONS = (
    "callback_data", "url", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "callback_game", "pay", "web_app", "copy_text",
)
BAD_MARKUP = "Bad Request: can't parse reply keyboard markup JSON object"


@dataclass
class Formatted:
    """A text or caption after parse_mode handling and Telegram's trimming."""

    raw: str
    plain: str
    entities: list[Json]
    parse_mode: str | None


def _trim(plain: str, entities: list[Json]) -> tuple[str, list[Json]]:
    """Telegram strips surrounding whitespace; shift and clip entities to match."""
    left = len(plain) - len(plain.lstrip())
    shift = utf16_len(plain[:left])
    text = plain.strip()
    total = utf16_len(text)
    kept: list[Json] = []
    for entity in entities:
        start = max(0, entity["offset"] - shift)
        end = min(total, entity["offset"] + entity["length"] - shift)
        if end > start:
            kept.append({**entity, "offset": start, "length": end - start})
    return text, kept


def format_text(text: Any, parse_mode: Any, entities: Any, *, caption: bool = False) -> Formatted | None:
    """Validate a message text (or caption) the way Telegram does.

    Returns None only for an absent/empty caption; an empty text is an error.
    """
    empty = "Bad Request: message text is empty"
    if text is None or text == "":
        if caption:
            return None
        raise ApiError(400, empty)
    raw = str(text)
    mode = str(parse_mode).strip() if parse_mode not in (None, "") else None
    parsed: list[Json] = []
    if mode is not None and mode.lower() == "html":
        try:
            plain, parsed = check_html(raw)
        except HtmlParseError as exc:
            raise ApiError(400, exc.description) from None
    elif mode is not None and mode.lower() not in ("markdown", "markdownv2"):
        raise ApiError(400, "Bad Request: unsupported parse_mode")
    else:
        plain = raw
        if mode is None and entities not in (None, ""):
            parsed = json_value(entities, "Bad Request: can't parse entities JSON object")
            if not isinstance(parsed, list):
                raise ApiError(400, "Bad Request: can't parse entities JSON object")
    plain, parsed = _trim(plain, parsed)
    if not plain:
        if caption:
            return None
        raise ApiError(400, empty)
    limit = CAPTION_LIMIT if caption else TEXT_LIMIT
    if utf16_len(plain) > limit:
        raise ApiError(400, "Bad Request: message caption is too long" if caption
                       else "Bad Request: message is too long")
    return Formatted(raw, plain, parsed, mode)


def _rows(markup: Json, key: str, what: str) -> list[list[Any]]:
    rows = markup[key]
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise ApiError(400, f'Bad Request: field "{key}" of the {what} must be an Array of Arrays')
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise ApiError(400, "Bad Request: reply markup is too long")
    return rows


def _check_inline_button(button: Any) -> None:
    prefix = "Bad Request: can't parse inline keyboard button: "
    if not isinstance(button, dict):
        raise ApiError(400, prefix + "InlineKeyboardButton must be an Object")
    if not isinstance(button.get("text"), str) or not button["text"]:
        raise ApiError(400, prefix + 'Field "text" must be a non-empty String')
    actions = [key for key in INLINE_ACTIONS if key in button]
    if not actions:
        raise ApiError(400, prefix + "Text buttons are unallowed in the inline keyboard")
    if len(actions) > 1:
        raise ApiError(400, prefix + f"exactly one action field expected, got {', '.join(actions)}")
    if "callback_data" in button:
        data = button["callback_data"]
        if not isinstance(data, str) or not 1 <= len(data.encode("utf-8")) <= CALLBACK_DATA_LIMIT:
            raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "url" in button:
        url = button["url"]
        if not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://")):
            raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")


def _check_keyboard_button(button: Any) -> None:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str) or not button["text"]:
        raise ApiError(400, "Bad Request: can't parse keyboard button: Field \"text\" must be a non-empty String")
    requests = [key for key in ("request_contact", "request_location", "request_poll", "request_users",
                                "request_chat", "web_app") if button.get(key)]
    if len(requests) > 1:
        raise ApiError(400, f"Bad Request: can't parse keyboard button: only one of {', '.join(requests)} allowed")


def parse_reply_markup(value: Any, *, inline_only: bool = False) -> Json | None:
    """Validate a reply_markup parameter and return it parsed (None when absent)."""
    if value is None or value == "":
        return None
    markup = json_value(value, BAD_MARKUP)
    if not isinstance(markup, dict):
        raise ApiError(400, BAD_MARKUP)
    if "inline_keyboard" in markup:
        for row in _rows(markup, "inline_keyboard", "InlineKeyboardMarkup"):
            for button in row:
                _check_inline_button(button)
        return markup
    if inline_only:
        raise ApiError(400, "Bad Request: inline keyboard expected")
    if "keyboard" in markup:
        rows = _rows(markup, "keyboard", "ReplyKeyboardMarkup")
        if not any(rows):
            raise ApiError(400, "Bad Request: keyboard must be non-empty")
        for row in rows:
            for button in row:
                _check_keyboard_button(button)
        return markup
    if markup.get("remove_keyboard") is True or markup.get("force_reply") is True:
        return markup
    raise ApiError(400, BAD_MARKUP)


def inline_part(markup: Json | None) -> Json | None:
    """The part of a markup that lives on the message (Telegram drops empty inline keyboards)."""
    if markup and any(markup.get("inline_keyboard") or []):
        return markup
    return None

