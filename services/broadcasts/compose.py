"""The text of a broadcast: a safe formatting subset turned into Telegram HTML, once.

HR types in the chat, where the bot sees plain text; the markup is the one Indonesian offices
already use in WhatsApp: *tebal*, _miring_, and [label](https://link). Everything else is
text: `<`, `&` and emoji arrive as typed. The result only ever holds <b>, <i> and <a href>,
balanced, so Telegram cannot refuse it ("can't parse entities") and the preview, rendered
from the same stored HTML, is what each recipient gets.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from services.errors import InvalidInput
from services.notice import Notice

MAX_CHARS = 8000  # typed characters; a long text is split into messages at send time
NAME_LIMIT = 200

_LINK = re.compile(r"\[([^\[\]\n]{1,200})\]\((https?://[^\s()<>\[\]]{1,500})\)")
_BOLD = re.compile(r"(?<![\w*])\*(?![\s*])([^*\n<>]+?)(?<![\s*])\*(?![\w*])")
_ITALIC = re.compile(r"(?<![\w_])_(?![\s_])([^_\n<>]+?)(?<![\s_])_(?![\w_])")
_SAFE = re.compile(r'<(/?)(b|i)>|<a href="(https?://[^"<>\s]+)">|</a>|&(?:amp|lt|gt|quot|#\d{1,7});')


class BroadcastMessage(Notice, template="broadcast"):
    """One recipient's copy. The text itself is joined from the broadcast at claim time
    (db/repositories/outbox.py), so 10,000 rows do not hold 10,000 copies of it."""

    broadcast_id: int
    body: str = ""
    attachment_kind: str | None = None
    attachment_file_id: str | None = None
    attachment_name: str | None = None
    sender: str = ""  # who sends it ("BKPSDM Kota Banjarbaru"); the one field each row carries itself


@dataclass(frozen=True)
class Content:
    body: str  # Telegram HTML, escaped
    attachment_kind: str | None = None  # photo | document
    attachment_file_id: str | None = None
    attachment_name: str | None = None

    def notice(self, broadcast_id: int, sender: str = "") -> BroadcastMessage:
        return BroadcastMessage(broadcast_id, self.body, self.attachment_kind, self.attachment_file_id,
                                self.attachment_name, sender)


def sender_name(agency: str | None, instance: str, hr_agency: str = "") -> str:
    """Who a broadcast comes from, as its recipients read it: "BKPSDM Kota Banjarbaru".

    The author's agency, else the HR agency (SAPA_HR_AGENCY: only HR and superadmins broadcast,
    and most of them are not officers of an agency), with the region the instance governs
    ("Pemerintah Kota Banjarbaru" → "Kota Banjarbaru") unless the name already says it; the
    instance alone when neither is known.
    """
    instance = " ".join(instance.split())
    region = re.sub(r"^pemerintah\s+", "", instance, flags=re.I)
    agency = " ".join((agency or hr_agency or "").split())
    if not agency:
        return instance
    if not region or region.lower() in agency.lower():
        return agency
    return f"{agency} {region}"


def clean(text: str) -> str:
    """Control characters (NUL…) out, line breaks and tabs kept, Windows line ends unified."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")


def _styles(escaped: str) -> str:
    return _ITALIC.sub(r"<i>\1</i>", _BOLD.sub(r"<b>\1</b>", escaped))


def to_html(text: str) -> str:
    """The typed markup as Telegram HTML: links first, then bold and italic outside them."""
    out: list[str] = []
    pos = 0
    for m in _LINK.finditer(text):
        out.append(_styles(html.escape(text[pos:m.start()], quote=False)))
        url = html.escape(m.group(2), quote=True)
        out.append(f'<a href="{url}">{html.escape(m.group(1), quote=False)}</a>')
        pos = m.end()
    out.append(_styles(html.escape(text[pos:], quote=False)))
    return "".join(out)


def safe_html(body: str) -> str:
    """Only <b>, <i>, <a href="http(s)…">, balanced, and entities; anything else escaped.

    `to_html` output passes unchanged; the renderer applies it to every stored row as well, so a
    row written by anything else still cannot make Telegram refuse the message.
    """
    out: list[str] = []
    stack: list[str] = []
    pos = 0
    for m in _SAFE.finditer(body):
        out.append(html.escape(body[pos:m.start()], quote=False))
        pos = m.end()
        tok = m.group(0)
        name = m.group(2) or ("a" if tok.startswith(("<a", "</a")) else None)
        if name is None:  # an entity
            out.append(tok)
        elif tok.startswith("</"):
            if stack and stack[-1] == name:
                stack.pop()
                out.append(tok)
            else:
                out.append(html.escape(tok, quote=False))
        elif name in stack:  # Telegram refuses a tag nested in itself
            out.append(html.escape(tok, quote=False))
        else:
            stack.append(name)
            out.append(tok)
    out.append(html.escape(body[pos:], quote=False))
    out.extend(f"</{name}>" for name in reversed(stack))
    return "".join(out)


def compose(text: str, *, attachment_kind: str | None = None, file_id: str | None = None,
            file_name: str | None = None) -> Content:
    """Check and convert what HR typed (a caption when a photo or document came with it)."""
    typed = clean(text or "").strip()
    if attachment_kind not in (None, "photo", "document"):
        raise InvalidInput("bc.err.attachment")
    if not typed and attachment_kind is None:
        raise InvalidInput("bc.err.empty")
    if len(typed) > MAX_CHARS:
        raise InvalidInput("bc.err.too_long", limit=MAX_CHARS, length=len(typed))
    if attachment_kind and not file_id:
        raise InvalidInput("bc.err.attachment")
    name = clean(file_name or "")[:NAME_LIMIT] or None
    return Content(to_html(typed), attachment_kind, file_id if attachment_kind else None, name)
