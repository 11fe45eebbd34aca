"""Bot API update JSON → `Incoming`. Both engines and the webhook share this one reading."""

from __future__ import annotations

from typing import Any

from handlers.kit import FileRef, Incoming, Kind


def incoming_from_json(update: dict[str, Any], channel: str = "telegram") -> Incoming | None:
    """None for updates SAPA ignores (groups, edits, channel posts)."""
    uid = int(update["update_id"])
    if cq := update.get("callback_query"):
        msg = cq.get("message") or {}
        user = cq["from"]
        chat_id = (msg.get("chat") or {}).get("id", user["id"])
        return Incoming(
            channel=channel, update_id=uid, chat_id=chat_id, user_id=user["id"], kind=Kind.CALLBACK,
            display_name=_name(user), username=user.get("username"), language_code=user.get("language_code"),
            text=cq.get("data") or "", callback_id=cq["id"], message_id=msg.get("message_id"),
        )
    msg = update.get("message")
    if not msg or (msg.get("chat") or {}).get("type") != "private" or "from" not in msg:
        return None
    user = msg["from"]
    base: dict[str, Any] = dict(
        channel=channel, update_id=uid, chat_id=msg["chat"]["id"], user_id=user["id"],
        display_name=_name(user), username=user.get("username"), language_code=user.get("language_code"),
    )
    text = msg.get("text")
    if text is not None:
        if text.startswith("/") and len(text) > 1:
            head, _, args = text[1:].partition(" ")
            command = head.split("@", 1)[0].lower()
            return Incoming(kind=Kind.COMMAND, text=text, command=command, args=args.strip(), **base)
        return Incoming(kind=Kind.TEXT, text=text, **base)
    caption = msg.get("caption") or ""
    if c := msg.get("contact"):
        return Incoming(kind=Kind.CONTACT, phone=c.get("phone_number"), contact_user_id=c.get("user_id"), **base)
    if loc := msg.get("location"):
        return Incoming(kind=Kind.LOCATION, location=(loc["latitude"], loc["longitude"]), **base)
    if photos := msg.get("photo"):
        best = max(photos, key=lambda p: p.get("width", 0) * p.get("height", 0))
        ref = FileRef(best["file_id"], None, best.get("file_size"), "image/jpeg")
        return Incoming(kind=Kind.PHOTO, text=caption, file=ref, **base)
    if doc := msg.get("document"):
        ref = FileRef(doc["file_id"], doc.get("file_name"), doc.get("file_size"), doc.get("mime_type"))
        return Incoming(kind=Kind.DOCUMENT, text=caption, file=ref, **base)
    return Incoming(kind=Kind.OTHER, text=caption, **base)


def _name(user: dict[str, Any]) -> str:
    return " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p) or str(user["id"])
