"""A Cloud API webhook body → `Incoming`s (channel "whatsapp") and delivery statuses.

The person's WhatsApp id (their phone number, digits) is both the user and the chat id; the
message id (`wamid.…`) is the update id, de-duplicated as Telegram's numbers are. Commands are
words, as WhatsApp has no `/` menu: "lapor", "batal", "status BJB-2026-000123", "survei UNIT".
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, replace
from typing import Any

from bot.channels.whatsapp import CHANNEL
from bot.channels.whatsapp.render import TYPED
from bot.channels.whatsapp.text import clean
from handlers.kit import FileRef, Incoming, Kind

log = logging.getLogger(__name__)
# A command word counts alone or with one more word ("status BJB-2026-000123", "survei DUKCAPIL-01",
# "bahasa en"): a sentence that starts with one ("lapor jalan rusak di depan rumah") stays text,
# which the intents read as on Telegram. (No command is named here: the router's are the words.)
MAX_ARGS = 1
MAX_TEXT = 4096  # WhatsApp's own limit; longer is not a person's message
MAX_ID = 128  # a wamid is ~60 characters; the update table keeps 128
# A file a citizen sent on WhatsApp is kept as "wa:<media id>": staff on Telegram see it through
# bot/channels/whatsapp/files.py, which fetches it from the Graph API when a message carries it.
MEDIA_PREFIX = "wa:"


@dataclass(frozen=True)
class Status:
    """A delivery status of a message we sent: sent, delivered, read or failed."""

    message_id: str
    status: str
    recipient: int | None
    error_code: int | None = None
    error_title: str = ""


@dataclass
class Batch:
    messages: list[Incoming]
    statuses: list[Status]


def parse(body: Any, commands: Collection[str]) -> Batch:
    """Everything a webhook call holds; anything malformed is skipped with a log line, never raised."""
    batch = Batch([], [])
    if not isinstance(body, dict):
        return batch
    for entry in _list(body.get("entry")):
        for change in _list(entry.get("changes") if isinstance(entry, dict) else None):
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                continue
            names = {c.get("wa_id"): _profile_name(c) for c in _list(value.get("contacts")) if isinstance(c, dict)}
            for m in _list(value.get("messages")):
                try:
                    inc = _message(m, names, commands)
                except (KeyError, TypeError, ValueError) as e:
                    log.warning("whatsapp: a message of an unexpected shape skipped: %s", e)
                    continue
                if inc is not None:
                    batch.messages.append(inc)
            for s in _list(value.get("statuses")):
                status = _status(s)
                if status is not None:
                    batch.statuses.append(status)
    return batch


def _message(m: Any, names: dict[Any, str], commands: Collection[str]) -> Incoming | None:
    if not isinstance(m, dict):
        return None
    sender, wamid = str(m["from"]), str(m["id"])
    if not sender.isdigit() or not 0 < len(sender) <= 18 or not wamid or len(wamid) > MAX_ID:
        raise ValueError(f"sender {sender[:20]!r} or message id is not WhatsApp's")
    who = int(sender)
    base: dict[str, Any] = dict(channel=CHANNEL, update_id=wamid, chat_id=who, user_id=who,
                                display_name=names.get(sender, "")[:200])
    kind = m.get("type")
    if kind == "text":
        return _text_or_command(clean(str(_obj(m, "text").get("body", "")))[:MAX_TEXT], commands, base)
    if kind == "interactive":
        inter = _obj(m, "interactive")
        reply = inter.get("button_reply") or inter.get("list_reply")
        if not isinstance(reply, dict):
            return Incoming(kind=Kind.OTHER, **base)
        data = clean(str(reply.get("id", "")))[:256]
        if data.startswith(TYPED):  # a keyboard button: as if its text was typed
            return _text_or_command(data[len(TYPED):], commands, base)
        return Incoming(kind=Kind.CALLBACK, text=data, callback_id=sender, **base)
    if kind == "button":  # a template's quick reply button: its payload is button data
        return Incoming(kind=Kind.CALLBACK, text=clean(str(_obj(m, "button").get("payload", ""))),
                        callback_id=sender, **base)
    if kind in ("image", "document"):
        media = _obj(m, kind)
        ref = FileRef(file_id=MEDIA_PREFIX + str(media["id"])[:100], name=_opt(media.get("filename")),
                      mime_type=_opt(media.get("mime_type")))
        return Incoming(kind=Kind.PHOTO if kind == "image" else Kind.DOCUMENT, file=ref,
                        text=clean(str(media.get("caption", "")))[:1024], **base)
    if kind == "location":
        loc = _obj(m, "location")
        lat, lon = float(loc["latitude"]), float(loc["longitude"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError("coordinates out of range")
        return Incoming(kind=Kind.LOCATION, location=(lat, lon), **base)
    return Incoming(kind=Kind.OTHER, **base)  # audio, sticker, reaction…: answered, never a crash


async def resolve_number(inc: Incoming, recall: Callable[[int], Awaitable[list[str]]]) -> Incoming:
    """A typed "3" after numbered choices is the third choice's button press."""
    number = inc.text.strip().rstrip(".")
    if inc.kind is not Kind.TEXT or not number.isdigit() or len(number) > 3:
        return inc
    choices = await recall(inc.chat_id)
    if not 1 <= int(number) <= len(choices):
        return inc
    return replace(inc, kind=Kind.CALLBACK, text=choices[int(number) - 1], callback_id=str(inc.chat_id))


def _text_or_command(text: str, commands: Collection[str], base: dict[str, Any]) -> Incoming:
    word, *rest = text.split() or [""]
    name = word.lstrip("/").lower()
    if name in commands and len(rest) <= MAX_ARGS:
        return Incoming(kind=Kind.COMMAND, text=text, command=name, args=" ".join(rest), **base)
    return Incoming(kind=Kind.TEXT, text=text, **base)


def _status(s: Any) -> Status | None:
    if not isinstance(s, dict) or not isinstance(s.get("id"), str) or not isinstance(s.get("status"), str):
        return None
    rid = str(s.get("recipient_id", ""))
    errors = [e for e in _list(s.get("errors")) if isinstance(e, dict)]
    code = errors[0].get("code") if errors else None
    return Status(s["id"][:MAX_ID], s["status"][:16], int(rid) if rid.isdigit() and len(rid) <= 18 else None,
                  code if isinstance(code, int) else None, str(errors[0].get("title", ""))[:200] if errors else "")


def _profile_name(contact: dict[str, Any]) -> str:
    profile = contact.get("profile")
    return clean(str(profile.get("name", ""))) if isinstance(profile, dict) else ""


def _obj(m: dict[str, Any], key: str) -> dict[str, Any]:
    value = m.get(key)
    if not isinstance(value, dict):
        raise ValueError(f"{key} is not an object")
    return value


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _opt(value: Any) -> str | None:
    return clean(str(value))[:200] if value is not None else None
