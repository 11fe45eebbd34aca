"""Telegram HTML (what every Reply holds) → WhatsApp's own formatting, and WhatsApp's text limits."""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096  # a text message's body
BODY_LIMIT = 1024  # an interactive message's body

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""")
_MARK = {"b": "*", "strong": "*", "i": "_", "em": "_", "s": "~", "strike": "~", "del": "~", "code": "`",
         "pre": "```"}
# Characters WhatsApp refuses or that corrupt a message: NUL and the other C0 controls but tab/newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def to_whatsapp(text: str) -> str:
    """Tags become WhatsApp's marks (*bold*, _italic_, ~strike~, `code`), a link its text and URL;
    entities are unescaped last, so what a person typed (`&lt;b&gt;`) stays literal text."""
    out: list[str] = []
    links: list[str] = []
    pos = 0
    for m in _TAG.finditer(text):
        out.append(html.unescape(text[pos:m.start()]))
        pos = m.end()
        closing, name = m.group(1) == "/", m.group(2).lower()
        if name in _MARK:
            out.append(_MARK[name])
        elif name == "a" and not closing:
            href = _HREF.search(m.group(3))
            links.append(html.unescape(href.group(1)) if href else "")
        elif name == "a" and links:
            url = links.pop()
            if url and not url.startswith("tg:"):
                out.append(f" ({url})")
        elif name == "br":
            out.append("\n")
    out.append(html.unescape(text[pos:]))
    return clean("".join(out))


def clean(text: str) -> str:
    return _CONTROL.sub("", text)


def split(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Messages of at most `limit` characters, cut at a line break or a space where one falls in
    the second half; never an empty one."""
    parts: list[str] = []
    rest = text.strip()
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n"), window.rfind(" "))
        if cut < limit // 2:
            cut = limit  # one word longer than a message: cut it (code points, so an emoji stays whole)
        parts.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        parts.append(rest)
    return parts or ["…"]


def head_and_body(text: str, body_limit: int = BODY_LIMIT) -> tuple[list[str], str]:
    """An interactive message's body holds ≤ 1,024 characters: the text before goes first, as
    plain messages, and the body keeps the last paragraphs (where the question is)."""
    text = text.strip() or "…"
    if len(text) <= body_limit:
        return [], text
    cut = text.rfind("\n", len(text) - body_limit)
    if cut == -1:
        cut = text.rfind(" ", len(text) - body_limit)
    if cut == -1:
        cut = len(text) - body_limit
    return split(text[:cut]), text[cut:].strip() or "…"


def shorten(label: str, limit: int) -> str:
    label = " ".join(label.split())
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"
