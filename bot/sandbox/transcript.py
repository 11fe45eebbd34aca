"""Each simulated user's side of the conversation, kept by the emulator for the web chat.

The Bot API never tells a bot's server what a user's own screen shows, but the web chat
needs it: switching persona, or reloading the page, must bring back the person's own
messages and button presses interleaved with the bot's messages.  The emulator feeds every
bot change (:meth:`Transcript.bot_change`) and every simulated user action
(:meth:`Transcript.user_update`) in here; :meth:`Transcript.items` merges them.

Ordering is Telegram's: a bot message stays where it was sent, however often it is edited
(the web page keeps it in place live too, so a reload shows the same order).
"""

from __future__ import annotations

import copy
from typing import Any

Json = dict[str, Any]

QUOTE_LIMIT = 60  # characters of the pressed message shown above a button press

# Magic numbers of the image formats a browser shows in <img>; anything else is served as bytes.
_IMAGE_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_mime(content: bytes) -> str | None:
    """The image type the bytes really are (never trust a declared type), or None."""
    for magic, mime in _IMAGE_MAGIC:
        if content.startswith(magic):
            return mime
    if content.startswith(b"RIFF") and content[8:12] == b"WEBP":
        return "image/webp"
    return None


def quote_of(text: str | None) -> str:
    """The line of a message a button press answers, cut short: the last question or prompt
    ("…?", "Pilih jenisnya:"), else the first line (the message's title)."""
    lines = [part.strip() for part in (text or "").splitlines() if part.strip()]
    asked = [line for line in lines if line.endswith(("?", ":"))]
    line = asked[-1] if asked else lines[0] if lines else ""
    return line if len(line) <= QUOTE_LIMIT else line[:QUOTE_LIMIT - 1].rstrip() + "…"


def _button_label(message: Json, data: str) -> str:
    for row in (message.get("reply_markup") or {}).get("inline_keyboard", []):
        for button in row:
            if button.get("callback_data") == data:
                return str(button.get("text") or data)
    return data


def _user_item(update: Json) -> tuple[int, Json] | None:
    """(chat id, transcript item) for an update a simulated user caused."""
    query = update.get("callback_query")
    if query is not None:
        message = query["message"]
        data = str(query.get("data") or "")
        return message["chat"]["id"], {
            "kind": "press", "message_id": message["message_id"], "data": data,
            "label": _button_label(message, data),
            "quote": quote_of(message.get("text") or message.get("caption"))}
    message = update.get("message")
    if message is None:
        return None
    item: Json = {"message_id": message["message_id"]}
    if "text" in message:
        item.update(kind="text", text=message["text"])
    elif "contact" in message:
        item.update(kind="contact", phone_number=message["contact"]["phone_number"])
    elif "location" in message:
        item.update(kind="location", **message["location"])
    elif "photo" in message:
        biggest = message["photo"][-1]
        item.update(kind="photo", file_id=biggest["file_id"], width=biggest.get("width"),
                    height=biggest.get("height"), file_size=biggest.get("file_size"))
    elif "document" in message:
        document = message["document"]
        item.update(kind="document", file_id=document["file_id"], file_name=document.get("file_name"),
                    file_size=document.get("file_size"), mime_type=document.get("mime_type"))
    else:
        return None
    if message.get("caption"):
        item["caption"] = message["caption"]
    return message["chat"]["id"], item


class Transcript:
    """Users' own actions plus where each bot message currently sits in the chat."""

    def __init__(self) -> None:
        self._mine: dict[int, list[Json]] = {}
        # (chat, message id) -> position: the seq it was sent at, where it sorts whatever edits follow.
        self._placed: dict[tuple[int, int], int] = {}

    def clear(self) -> None:
        self._mine.clear()
        self._placed.clear()

    def bot_change(self, record: Json) -> None:
        """A bot message was sent, edited or deleted (``record`` already has its new seq)."""
        self._placed.setdefault((record["chat_id"], record["message_id"]), record["seq"])

    def user_update(self, update: Json, seq: int) -> None:
        """A simulated user acted; ``seq`` is the emulator's change counter at that moment."""
        found = _user_item(update)
        if found is not None:
            chat_id, item = found
            self._mine.setdefault(chat_id, []).append({"from": "user", "position": seq, **item})

    def items(self, chat_id: int, records: list[Json]) -> list[Json]:
        """The chat as its user sees it, oldest first.

        ``records`` are the emulator's bot messages of the chat in their current state.
        A user action at position p happened after bot change p and before p + 1.
        """
        keyed: list[tuple[tuple[int, int, int], Json]] = []
        for record in records:
            if record["deleted"]:
                continue
            key = (chat_id, record["message_id"])
            position = self._placed[key] if key in self._placed else record["seq"]
            keyed.append(((position, 0, record["message_id"]), {"from": "bot", "message": record}))
        for index, item in enumerate(self._mine.get(chat_id, [])):
            keyed.append(((item["position"], 1, index), copy.deepcopy(item)))
        return [item for _, item in sorted(keyed, key=lambda pair: pair[0])]
