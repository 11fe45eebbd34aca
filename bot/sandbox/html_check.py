"""A strict validator for Telegram's ``parse_mode="HTML"``.

It mirrors the parser in tdlib (what the Bot API runs) but is deliberately
stricter where Telegram silently tolerates sloppy input: every ``&`` must start
one of the entities Telegram documents and every ``<`` must open or close an
allowed tag.  Messages that pass here are accepted by Telegram; messages that
fail here are bugs in the bot even if Telegram happens to swallow them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

Entity = dict[str, Any]

# Tag name → MessageEntity type.  ``a``/``blockquote``/``tg-emoji`` are refined
# from their attributes when the tag is closed.
TAG_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY_RE = re.compile(r"&(?:(lt|gt|amp|quot)|#([0-9]{1,7})|#[xX]([0-9a-fA-F]{1,6}));")
_TAG_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_ATTR_NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
_WORD_RE = re.compile(r"[^\s>]*")  # always matches, possibly empty
_SPACE = " \t\r\n"


class HtmlParseError(ValueError):
    """Raised for markup Telegram (or this stricter checker) refuses.

    ``str(exc)`` is the full Bot API description, e.g.
    ``Bad Request: can't parse entities: Unexpected end tag at byte offset 3``.
    """

    def __init__(self, reason: str) -> None:
        self.reason = reason
        self.description = f"Bad Request: can't parse entities: {reason}"
        super().__init__(self.description)


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for limits and offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8", "surrogatepass"))


@dataclass
class _OpenTag:
    name: str
    start16: int
    attrs: dict[str, str]
    byte_offset: int
    # Set by a nested ``<code class="language-x">`` to give a ``pre`` its language.
    language: str | None = None


@dataclass
class _Parser:
    text: str
    pos: int = 0
    pos16: int = 0
    out: list[str] = field(default_factory=list)
    stack: list[_OpenTag] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)

    def emit(self, chars: str) -> None:
        self.out.append(chars)
        self.pos16 += utf16_len(chars)

    def run(self) -> tuple[str, list[Entity]]:
        text = self.text
        while self.pos < len(text):
            ch = text[self.pos]
            if ch == "&":
                self.emit(self.read_entity())
            elif ch == "<" and text.startswith("</", self.pos):
                self.close_tag()
            elif ch == "<":
                self.open_tag()
            else:
                # Copy the run of ordinary characters in one go.
                end = self.pos + 1
                while end < len(text) and text[end] not in "&<":
                    end += 1
                self.emit(text[self.pos:end])
                self.pos = end
        if self.stack:
            raise HtmlParseError(f'Can\'t find end tag corresponding to start tag "{self.stack[-1].name}"')
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return "".join(self.out), self.entities

    def read_entity(self) -> str:
        """Decode the character entity at ``pos``; anything else is an error."""
        match = _ENTITY_RE.match(self.text, self.pos)
        if match is None:
            raise HtmlParseError(f"Character entity expected at byte offset {_byte_offset(self.text, self.pos)}")
        named, dec, hexa = match.groups()
        if named:
            char = _NAMED_ENTITIES[named]
        else:
            code = int(dec, 10) if dec else int(hexa, 16)
            if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise HtmlParseError(
                    f'Invalid character entity "{match.group(0)}" at byte offset '
                    f"{_byte_offset(self.text, self.pos)}")
            char = chr(code)
        self.pos = match.end()
        return char

    def open_tag(self) -> None:
        begin = self.pos
        offset = _byte_offset(self.text, begin)
        match = _TAG_NAME_RE.match(self.text, begin + 1)
        name = match.group(0).lower() if match else ""
        if match is None or name not in TAG_TYPES:
            shown = name or _WORD_RE.match(self.text, begin + 1).group(0)  # type: ignore[union-attr]  # _WORD_RE matches the empty string
            raise HtmlParseError(f'Unsupported start tag "{shown}" at byte offset {offset}')
        self.pos = match.end()
        attrs = self.read_attributes(name, offset)
        self.validate_start(name, attrs, offset)
        self.stack.append(_OpenTag(name, self.pos16, attrs, offset))

    def read_attributes(self, tag: str, offset: int) -> dict[str, str]:
        """Parse ``name="v" name='v' name=v name`` up to the closing ``>``."""
        text = self.text
        attrs: dict[str, str] = {}
        while True:
            while self.pos < len(text) and text[self.pos] in _SPACE:
                self.pos += 1
            if self.pos >= len(text):
                raise HtmlParseError(f"Unclosed start tag at byte offset {offset}")
            if text[self.pos] == ">":
                self.pos += 1
                return attrs
            if text[self.pos] == "/":
                raise HtmlParseError(f'Self-closing tag "{tag}" is not supported at byte offset {offset}')
            match = _ATTR_NAME_RE.match(text, self.pos)
            if match is None:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset {_byte_offset(text, self.pos)}')
            self.pos = match.end()
            attrs[match.group(0).lower()] = self.read_attribute_value(tag)

    def read_attribute_value(self, tag: str) -> str:
        text = self.text
        if self.pos >= len(text) or text[self.pos] != "=":
            return ""  # a bare flag such as ``expandable``
        self.pos += 1
        if self.pos >= len(text):
            raise HtmlParseError(f'Unclosed attribute value in the tag "{tag}"')
        quote = text[self.pos]
        if quote in "\"'":
            end = text.find(quote, self.pos + 1)
            if end < 0:
                raise HtmlParseError(f'Unclosed attribute value in the tag "{tag}"')
            raw, self.pos = text[self.pos + 1:end], end + 1
        else:
            end = self.pos
            while end < len(text) and text[end] not in _SPACE + ">":
                end += 1
            raw, self.pos = text[self.pos:end], end
        return _decode_attribute(raw, tag)

    def validate_start(self, name: str, attrs: dict[str, str], offset: int) -> None:
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise HtmlParseError(f'Tag "span" must have class "tg-spoiler" at byte offset {offset}')
        if name == "tg-emoji" and not attrs.get("emoji-id", "").isdigit():
            raise HtmlParseError(f'Tag "tg-emoji" must have a numeric "emoji-id" at byte offset {offset}')

    def close_tag(self) -> None:
        begin = self.pos
        offset = _byte_offset(self.text, begin)
        end = self.text.find(">", begin)
        if end < 0:
            raise HtmlParseError(f"Unclosed end tag at byte offset {offset}")
        name = self.text[begin + 2:end].strip().lower()
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {offset}")
        top = self.stack[-1]
        if name != top.name:
            raise HtmlParseError(
                f'Unmatched end tag at byte offset {offset}, expected "</{top.name}>", found "</{name}>"')
        self.stack.pop()
        self.pos = end + 1
        self.finish_entity(top)

    def finish_entity(self, tag: _OpenTag) -> None:
        length = self.pos16 - tag.start16
        css_class = tag.attrs.get("class", "")
        if tag.name == "code" and css_class.startswith("language-") and self.stack \
                and self.stack[-1].name == "pre":
            # tdlib folds <pre><code class="language-x"> into one pre entity with a language.
            self.stack[-1].language = css_class.removeprefix("language-")
            return
        if length <= 0:
            return  # Telegram drops empty entities
        entity: Entity = {"type": TAG_TYPES[tag.name], "offset": tag.start16, "length": length}
        if tag.name == "a":
            url = tag.attrs.get("href", "")
            if not url:
                return  # Telegram keeps the text and drops a link without target
            entity["url"] = url
        elif tag.name == "pre" and tag.language:
            entity["language"] = tag.language
        elif tag.name == "blockquote" and "expandable" in tag.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag.name == "tg-emoji":
            entity["custom_emoji_id"] = tag.attrs["emoji-id"]
        self.entities.append(entity)


def _decode_attribute(raw: str, tag: str) -> str:
    """Attribute values follow the same strict entity rules as text."""
    if "&" not in raw:
        return raw
    parser = _Parser(raw)
    out: list[str] = []
    while parser.pos < len(raw):
        if raw[parser.pos] == "&":
            try:
                out.append(parser.read_entity())
            except HtmlParseError:
                raise HtmlParseError(f'Character entity expected in an attribute of the tag "{tag}"') from None
        else:
            out.append(raw[parser.pos])
            parser.pos += 1
    return "".join(out)


def check_html(text: str) -> tuple[str, list[Entity]]:
    """Parse Telegram HTML into ``(plain_text, entities)`` or raise :class:`HtmlParseError`.

    Entity offsets and lengths are in UTF-16 code units, as in the Bot API.
    """
    return _Parser(text).run()
