"""Escaping, splitting and callback data: the rules every reply obeys."""

from __future__ import annotations

import html
import re

TEXT_LIMIT = 4096

_TOKEN = re.compile(r"<(/?)([a-zA-Z-]+)[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);|[\s\S]", re.S)


def escape(value: object) -> str:
    """Every byte a person typed, made safe for Telegram HTML."""
    return html.escape(str(value), quote=False)


def _units(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def split(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Cut HTML into messages of at most `limit` visible UTF-16 units, keeping tags balanced.

    Cuts at a line break when one falls in the second half of the message, else at the last
    space; a word is cut only when it alone is longer than `limit`. A tag open at the cut is
    closed and reopened; an entity (`&amp;`) or an emoji is never cut in two.
    """
    if _units(text) <= limit:  # markup only ever adds to the raw length: nothing to cut
        return [text] if text.strip() else [""]
    chunks: list[str] = []
    buf: list[str] = []
    size = 0
    # Where a cut may go: the index in buf just after the last newline / whitespace, and the
    # visible size up to there.
    last_nl = last_ws = -1
    size_at_nl = 0

    def rescan() -> None:
        nonlocal size, last_nl, last_ws, size_at_nl
        size, last_nl, last_ws, size_at_nl = 0, -1, -1, 0
        for i, tok in enumerate(buf, 1):
            if tok.startswith("<"):
                continue
            size += _units(html.unescape(tok))
            if tok.isspace():
                last_ws = i
                if tok == "\n":
                    last_nl, size_at_nl = i, size

    def flush(upto: int) -> None:
        nonlocal buf
        head, tail = buf[:upto], buf[upto:]
        while tail and tail[0].isspace():  # the next message starts at a word, not a space
            tail.pop(0)
        open_at_cut = _open_tags(head)
        if "".join(tok for tok in head if not tok.startswith("<")).strip():  # never an empty message
            chunks.append("".join(head) + "".join(f"</{n}>" for n, _ in reversed(open_at_cut)))
        buf = [tag for _, tag in open_at_cut] + tail
        rescan()

    for m in _TOKEN.finditer(text):
        tok = m.group(0)
        if m.group(2):
            buf.append(tok)
            continue
        width = _units(html.unescape(tok))
        while size + width > limit and size > 0:
            if last_nl > 0 and size_at_nl > limit // 2:
                flush(last_nl)
            elif last_ws > 0:
                flush(last_ws)
            else:  # one word longer than a whole message: no better place
                flush(len(buf))
        buf.append(tok)
        size += width
        if tok.isspace():
            last_ws = len(buf)
            if tok == "\n":
                last_nl, size_at_nl = len(buf), size
    if buf and "".join(buf).strip():
        chunks.append("".join(buf))
    return [c.strip() for c in chunks if c.strip()] or [""]


def _open_tags(tokens: list[str]) -> list[tuple[str, str]]:
    stack: list[tuple[str, str]] = []
    for tok in tokens:
        m = _TOKEN.fullmatch(tok)
        if m and m.group(2):
            if m.group(1):
                if stack and stack[-1][0] == m.group(2).lower():
                    stack.pop()
            else:
                stack.append((m.group(2).lower(), tok))
    return stack
