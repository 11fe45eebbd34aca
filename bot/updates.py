"""Bot API update JSON → `Incoming`. Both engines and the webhook share this one reading.

It is also the channel boundary where text is cleaned: PostgreSQL refuses NUL in text, and
no person means a C0 control character or a lone UTF-16 surrogate (JSON can carry `\\ud800`),
so every string a person controls (text, caption, names, username, callback data, file name,
contact) leaves here without them. The shape is checked too: well-formed JSON of the wrong
shape is a `BadUpdate`, never an AttributeError deep inside.
"""

from __future__ import annotations

import re
from typing import Any, Literal, overload

from handlers.kit import FileRef, Incoming, Kind

BIGINT = 2**63  # ids are stored as BIGINT; a bigger one is not a Telegram id
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # C0 except tab and newline (\r is below)
_SURROGATES = re.compile(r"[\ud800-\udfff]")  # json.loads joins pairs: what is left is lone
_LINE_BREAKS = re.compile(r"\r\n?")
_COMMAND = re.compile(r"/([^\s@]+)(?:@(\S*))?(?:\s+(.*))?", re.S)


class BadUpdate(ValueError):
    """Well-formed JSON that is not a Bot API update of a kind SAPA reads."""


def clean_text(text: str) -> str:
    """What a person typed, without what no person types: C0 controls, lone surrogates; CRLF → LF."""
    text = _LINE_BREAKS.sub("\n", text)
    return _SURROGATES.sub("\ufffd", _CONTROLS.sub("", text))


def clean_line(text: str) -> str:
    """A name, username or file name: cleaned, on one line."""
    return " ".join(clean_text(text).split())


def split_command(text: str) -> tuple[str, str | None, str] | None:
    """`/Lapor@SapaBot jalan rusak` → ("lapor", "sapabot", "jalan rusak"); None if not a command."""
    m = _COMMAND.fullmatch(text)
    if not m:
        return None
    bot = m.group(2)
    return m.group(1).lower(), bot.lower() if bot else None, (m.group(3) or "").strip()


def incoming_from_json(update: Any, channel: str = "telegram") -> Incoming | None:
    """None for updates SAPA ignores (groups, edits, channel posts); BadUpdate for a wrong shape."""
    if not isinstance(update, dict):
        raise BadUpdate("an update is a JSON object")
    uid = _id(update, "update_id")
    if (cq := _obj(update, "callback_query")) is not None:
        message = _obj(cq, "message") or {}
        user = _user(cq)
        chat = _obj(message, "chat") or {}
        return Incoming(
            channel=channel, update_id=uid, chat_id=_id(chat, "id") if "id" in chat else user["id"],
            user_id=user["id"], kind=Kind.CALLBACK, text=clean_text(_str(cq, "data") or ""),
            callback_id=_str(cq, "id", required=True), message_id=_opt_id(message, "message_id"), **_who(user),
        )
    msg = _obj(update, "message")
    if msg is None or "from" not in msg:
        return None
    chat = _obj(msg, "chat", required=True)
    if _str(chat, "type") != "private":
        return None
    user = _user(msg)
    base: dict[str, Any] = dict(channel=channel, update_id=uid, chat_id=_id(chat, "id"), user_id=user["id"],
                                **_who(user), **_forwarded(msg))
    text = _str(msg, "text")
    if text is not None:
        text = clean_text(text)
        # A forwarded "/lapor" is someone else's words shown to us, not a command to us.
        if "forward_origin" not in base and (cmd := split_command(text)) is not None:
            command, addressee, args = cmd
            return Incoming(kind=Kind.COMMAND, text=text, command=command, addressee=addressee, args=args, **base)
        return Incoming(kind=Kind.TEXT, text=text, **base)
    caption = clean_text(_str(msg, "caption") or "")
    if (c := _obj(msg, "contact")) is not None:
        phone = _str(c, "phone_number")
        return Incoming(kind=Kind.CONTACT, phone=clean_line(phone) if phone is not None else None,
                        contact_user_id=_opt_id(c, "user_id"), **base)
    if (loc := _obj(msg, "location")) is not None:
        return Incoming(kind=Kind.LOCATION, location=(_num(loc, "latitude"), _num(loc, "longitude")), **base)
    if photos := msg.get("photo"):
        if not isinstance(photos, list) or not all(isinstance(p, dict) for p in photos):
            raise BadUpdate("photo is a list of sizes")
        best = max(photos, key=lambda p: _opt_int(p, "width") * _opt_int(p, "height"))
        ref = FileRef(_str(best, "file_id", required=True), None, _opt_int(best, "file_size") or None, "image/jpeg")
        return Incoming(kind=Kind.PHOTO, text=caption, file=ref, **base)
    if (doc := _obj(msg, "document")) is not None:
        name, mime = _str(doc, "file_name"), _str(doc, "mime_type")
        ref = FileRef(_str(doc, "file_id", required=True), clean_line(name) if name is not None else None,
                      _opt_int(doc, "file_size") or None, clean_line(mime) if mime is not None else None)
        return Incoming(kind=Kind.DOCUMENT, text=caption, file=ref, **base)
    return Incoming(kind=Kind.OTHER, text=caption, **base)


def _forwarded(msg: dict[str, Any]) -> dict[str, Any]:
    """Whose message this was, if it is forwarded: `forward_origin` (Bot API 7.0+), else the
    older `forward_from` / `forward_sender_name` pair that some servers still send."""
    if (origin := _obj(msg, "forward_origin")) is not None:
        kind = clean_line(_str(origin, "type") or "") or "unknown"
        sender = _obj(origin, "sender_user") if kind == "user" else None
        return dict(forward_origin=kind[:16], forwarded_user_id=_id(sender, "id") if sender is not None else None)
    if (old := _obj(msg, "forward_from")) is not None:
        return dict(forward_origin="user", forwarded_user_id=_id(old, "id"))
    if _str(msg, "forward_sender_name") is not None:
        return dict(forward_origin="hidden_user")
    return {}


def _who(user: dict[str, Any]) -> dict[str, Any]:
    username, language = _str(user, "username"), _str(user, "language_code")
    return dict(display_name=_name(user), username=(clean_line(username) or None) if username is not None else None,
                language_code=(clean_line(language) or None) if language is not None else None)


def _name(user: dict[str, Any]) -> str:
    parts = (_str(user, "first_name"), _str(user, "last_name"))
    return clean_line(" ".join(p for p in parts if p)) or str(user["id"])


def _user(parent: dict[str, Any]) -> dict[str, Any]:
    user = _obj(parent, "from", required=True)
    assert user is not None
    _id(user, "id")
    return user


# required=True never answers None (it raises BadUpdate): the overloads let a type checker know.
@overload
def _obj(parent: dict[str, Any], key: str, *, required: Literal[True]) -> dict[str, Any]: ...
@overload
def _obj(parent: dict[str, Any], key: str, *, required: bool = False) -> dict[str, Any] | None: ...
def _obj(parent: dict[str, Any], key: str, *, required: bool = False) -> dict[str, Any] | None:
    value = parent.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, dict):
        raise BadUpdate(f"{key} is not an object")
    return value


@overload
def _str(parent: dict[str, Any], key: str, *, required: Literal[True]) -> str: ...
@overload
def _str(parent: dict[str, Any], key: str, *, required: bool = False) -> str | None: ...
def _str(parent: dict[str, Any], key: str, *, required: bool = False) -> str | None:
    value = parent.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise BadUpdate(f"{key} is not a string")
    return value


def _id(parent: dict[str, Any], key: str) -> int:
    value = parent.get(key)
    # bool is an int in Python; 1e3 or "7" are not ids either.
    if not isinstance(value, int) or isinstance(value, bool) or not -BIGINT < value < BIGINT:
        raise BadUpdate(f"{key} is not an id")
    return value


def _opt_id(parent: dict[str, Any], key: str) -> int | None:
    return None if parent.get(key) is None else _id(parent, key)


def _opt_int(parent: dict[str, Any], key: str) -> int:
    return 0 if parent.get(key) is None else _id(parent, key)


def _num(parent: dict[str, Any], key: str) -> float:
    value = parent.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool) or value != value:  # NaN
        raise BadUpdate(f"{key} is not a number")
    return float(value)
