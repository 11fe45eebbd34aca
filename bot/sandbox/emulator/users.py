"""Simulated users: what a person does in the chat (text, buttons, contact, location, files).

Each action stores the user's message and queues the Update the bot will receive.
"""

from __future__ import annotations

import copy

from bot.sandbox.emulator.checks import inline_part
from bot.sandbox.emulator.files import Files
from bot.sandbox.emulator.protocol import Json
from bot.sandbox.emulator.state import Store
from bot.sandbox.html_check import utf16_len


class ButtonNotFound(LookupError):
    """``press`` found no inline button matching the request."""


class Users:
    """The people on the other side of the bot."""

    def __init__(self, store: Store, files: Files) -> None:
        self.store = store
        self.files = files

    async def say(self, user_id: int, text: str, *, first_name: str = "User", username: str | None = None,
                  language_code: str = "id") -> Json:
        """The user sends ``text``; returns the Update. ``/cmd`` gets a bot_command entity."""
        self.store.touch_user(user_id, first_name, username, language_code)
        content: Json = {"text": text}
        if text.startswith("/"):
            command = text.split(maxsplit=1)[0] if text.strip() else text
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": utf16_len(command)}]
        return self.store.push_update({"message": self.store.user_message(user_id, content)})

    def find_button(self, user_id: int, button_text: str | None, data: str | None,
                     message_id: int | None) -> tuple[Json, Json]:
        for record in reversed(self.store.sent):
            if record["chat_id"] != user_id or record["deleted"]:
                continue
            if message_id is not None and record["message_id"] != message_id:
                continue
            for row in (inline_part(record["reply_markup"]) or {}).get("inline_keyboard", []):
                for button in row:
                    if "callback_data" not in button:
                        continue
                    if button_text is not None and button["text"] != button_text:
                        continue
                    if data is not None and button["callback_data"] != data:
                        continue
                    return record, button
        raise ButtonNotFound(self._no_button_message(user_id, button_text, data, message_id))

    def _no_button_message(self, user_id: int, button_text: str | None, data: str | None,
                           message_id: int | None) -> str:
        shown = [f"  message {r['message_id']}: {[b.get('text') for row in r['reply_markup']['inline_keyboard'] for b in row]}"
                 for r in self.store.sent[-10:]
                 if r["chat_id"] == user_id and not r["deleted"] and inline_part(r["reply_markup"])]
        wanted = f"text={button_text!r}" if button_text is not None else f"data={data!r}"
        where = f" on message {message_id}" if message_id is not None else ""
        return (f"no inline button with {wanted}{where} in chat {user_id}; recent inline keyboards:\n"
                + ("\n".join(shown) or "  (none)"))

    async def press(self, user_id: int, button_text: str | None = None, *, data: str | None = None,
                    message_id: int | None = None) -> Json:
        """The user taps an inline button; returns the callback_query Update.

        Raises :class:`ButtonNotFound` (a LookupError) when no such button is on screen.
        """
        if button_text is None and data is None:
            raise ValueError("press() needs button_text or data")
        record, button = self.find_button(user_id, button_text, data, message_id)
        user = self.store.touch_user(user_id)
        query_id = f"{user_id}{next(self.store.query_counter):08d}"
        query = {"id": query_id, "from": copy.deepcopy(user),
                 "message": copy.deepcopy(self.store.messages[(user_id, record["message_id"])]),
                 "chat_instance": str(-(abs(user_id) * 7919 % 10**12) - 1), "data": button["callback_data"]}
        self.store.callbacks[query_id] = query
        self.store.last_action_seq[user_id] = self.store.seq
        return self.store.push_update({"callback_query": query})

    async def share_contact(self, user_id: int, phone_number: str, *, own: bool = True) -> Json:
        """The user shares a contact (their own by default, as a request_contact button does)."""
        user = self.store.touch_user(user_id)
        contact: Json = {"phone_number": phone_number,
                         "first_name": user["first_name"] if own else "Contact"}
        if own:
            contact["user_id"] = user_id
        return self.store.push_update({"message": self.store.user_message(user_id, {"contact": contact})})

    async def send_location(self, user_id: int, lat: float, lon: float) -> Json:
        """The user shares a location."""
        location = {"latitude": float(lat), "longitude": float(lon)}
        return self.store.push_update({"message": self.store.user_message(user_id, {"location": location})})

    async def send_document(self, user_id: int, file_name: str, content: bytes,
                            mime_type: str = "application/octet-stream", caption: str | None = None,
                            *, declared_size: int | None = None) -> Json:
        """The user sends a file; ``declared_size`` fakes a bigger file without allocating it."""
        stored = self.files.store_file("document", content, file_name=file_name, mime_type=mime_type,
                                 declared_size=declared_size)
        body: Json = {"document": stored.document()}
        if caption:
            body["caption"] = caption
        return self.store.push_update({"message": self.store.user_message(user_id, body)})

    async def send_photo(self, user_id: int, content: bytes, caption: str | None = None) -> Json:
        """The user sends a photo (any bytes; size sniffed from PNG/JPEG/GIF headers)."""
        stored = self.files.store_file("photo", content)
        body: Json = {"photo": [stored.photo_size()]}
        if caption:
            body["caption"] = caption
        return self.store.push_update({"message": self.store.user_message(user_id, body)})
