"""What flows see of a channel: an `Incoming` in, `Reply`s out. Plain data, no framework."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    COMMAND = "command"
    TEXT = "text"
    CALLBACK = "callback"
    CONTACT = "contact"
    LOCATION = "location"
    PHOTO = "photo"
    DOCUMENT = "document"
    OTHER = "other"  # stickers, voice…: answered, never crashes


@dataclass(frozen=True)
class FileRef:
    file_id: str
    name: str | None = None
    size: int | None = None
    mime_type: str | None = None


@dataclass(frozen=True)
class Incoming:
    channel: str
    update_id: int | str  # Telegram numbers updates; WhatsApp names messages (`wamid.…`)
    chat_id: int
    user_id: int
    kind: Kind
    display_name: str = ""
    username: str | None = None
    language_code: str | None = None
    text: str = ""  # message text, caption, or the callback's data
    command: str | None = None  # without the slash, lower case, without @botname
    addressee: str | None = None  # `/lapor@SomeBot`: "somebot" (lower case); None when no bot is named
    args: str = ""  # after the command: `/start PAYLOAD` → "PAYLOAD"
    callback_id: str | None = None
    message_id: int | None = None  # the message a button was pressed on
    phone: str | None = None  # a shared contact
    contact_user_id: int | None = None  # whose contact it is (own = user_id)
    location: tuple[float, float] | None = None
    file: FileRef | None = None
    # A forwarded message: whose it was. `forward_origin` is Telegram's origin type ("user",
    # "hidden_user", "chat", "channel"); `forwarded_user_id` is set only for "user" (a person
    # whose privacy hides them arrives as "hidden_user", with a name and no id).
    forward_origin: str | None = None
    forwarded_user_id: int | None = None


@dataclass(frozen=True)
class Button:
    """An inline button: `data` is callback data (≤ 64 bytes), or `url`."""

    text: str
    data: str | None = None
    url: str | None = None


@dataclass(frozen=True)
class KeyButton:
    """A reply-keyboard button, optionally asking for the person's contact or location."""

    text: str
    request_contact: bool = False
    request_location: bool = False


@dataclass(frozen=True)
class Attachment:
    """A photo or document to send: bytes to upload, or a file id already on the server."""

    kind: str  # "photo" | "document"
    file_id: str | None = None
    content: bytes | None = None
    filename: str = "file"


@dataclass
class Reply:
    text: str  # Telegram HTML; user text already escaped by the renderer
    buttons: list[list[Button]] = field(default_factory=list)
    keyboard: list[list[KeyButton]] | None = None
    remove_keyboard: bool = False
    attachment: Attachment | None = None
    edit: bool = False  # replace the message the pressed button sits on
    toast: str | None = None  # the callback answer shown as a toast

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able form (tests, logs)."""
        return {
            "text": self.text,
            "buttons": [[b.__dict__ for b in row] for row in self.buttons],
            "keyboard": [[b.__dict__ for b in row] for row in self.keyboard] if self.keyboard else None,
            "remove_keyboard": self.remove_keyboard,
            "edit": self.edit,
        }
