"""A Reply → Cloud API message payloads, by WhatsApp's rules (the features never know them).

Choices (a Reply's buttons) become up to 3 reply buttons when their titles fit 20 characters,
else a list of up to 10 rows, else numbered lines the person answers with a number (the intake
maps it back). A button's data is the same as on Telegram: it is the reply button's or row's
id. A keyboard's plain buttons become choices too ("kb:" + their text, read back as typed
text); a location request becomes WhatsApp's location request message. Links go into the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from bot.channels.whatsapp.text import TEXT_LIMIT, clean, head_and_body, shorten, split, to_whatsapp
from handlers.kit import Reply

MAX_BUTTONS, BUTTON_TITLE, BUTTON_ID = 3, 20, 256
MAX_ROWS, ROW_TITLE, ROW_DESCRIPTION, ROW_ID, LIST_BUTTON = 10, 24, 72, 200, 20
TYPED = "kb:"  # a keyboard button's id: its text, read back as if typed

Payload = dict[str, Any]


@dataclass(frozen=True)
class Choice:
    label: str
    data: str


@dataclass
class Rendered:
    messages: list[Payload] = field(default_factory=list)
    numbered: list[str] = field(default_factory=list)  # the data behind "1", "2"…, when numbered


@dataclass(frozen=True)
class Words:
    """The few words the renderer adds itself, in the deployment's language (handlers' catalog)."""

    list_button: str = "Pilih"
    numbered_hint: str = "Balas dengan nomornya."
    commands: frozenset[str] = frozenset()  # "/status" in a text becomes "status": the word to type here


_SLASH = re.compile(r"(?<![\w/:.])/([A-Za-z][A-Za-z0-9_]{0,31})\b")


def _words_for_commands(text: str, commands: frozenset[str]) -> str:
    return _SLASH.sub(lambda m: m.group(1) if m.group(1).lower() in commands else m.group(0), text)


def render(reply: Reply, words: Words = Words()) -> Rendered:
    text = _words_for_commands(to_whatsapp(reply.text), words.commands)
    links = [f"{clean(b.text)}: {b.url}" for row in reply.buttons for b in row if b.url]
    if links:
        text = f"{text}\n\n" + "\n".join(links)
    choices = [Choice(clean(b.text), b.data) for row in reply.buttons for b in row if b.data and not b.url]
    keyboard = [b for row in reply.keyboard or [] for b in row] if not reply.buttons else []
    asks_location = next((b for b in keyboard if b.request_location), None)
    choices += [Choice(clean(b.text), TYPED + clean(b.text)[:ROW_ID - len(TYPED)])
                for b in keyboard if not (b.request_location or b.request_contact)]
    out = Rendered()
    if asks_location is not None:
        head, body = head_and_body(text)
        out.messages += [_text(p) for p in head]
        out.messages.append({"type": "interactive", "interactive": {
            "type": "location_request_message", "body": {"text": body}, "action": {"name": "send_location"}}})
        if choices:
            _choices(out, clean(asks_location.text) or "…", choices, words)
        return out
    if not choices:
        out.messages += [_text(p) for p in split(text, TEXT_LIMIT)]
        return out
    _choices(out, text, choices, words)
    return out


def _choices(out: Rendered, text: str, choices: list[Choice], words: Words) -> None:
    if len(choices) <= MAX_BUTTONS and all(len(c.label) <= BUTTON_TITLE for c in choices) \
            and all(len(c.data) <= BUTTON_ID for c in choices) and _unique(choices):
        head, body = head_and_body(text)
        out.messages += [_text(p) for p in head]
        out.messages.append({"type": "interactive", "interactive": {
            "type": "button", "body": {"text": body},
            "action": {"buttons": [{"type": "reply", "reply": {"id": c.data, "title": c.label}}
                                   for c in choices]}}})
        return
    if len(choices) <= MAX_ROWS and all(len(c.data) <= ROW_ID for c in choices) and _unique(choices):
        head, body = head_and_body(text)
        out.messages += [_text(p) for p in head]
        rows = []
        for c in choices:
            row: Payload = {"id": c.data, "title": shorten(c.label, ROW_TITLE)}
            if len(c.label) > ROW_TITLE:  # the whole label stays readable under the short title
                row["description"] = shorten(c.label, ROW_DESCRIPTION)
            rows.append(row)
        out.messages.append({"type": "interactive", "interactive": {
            "type": "list", "body": {"text": body},
            "action": {"button": shorten(words.list_button, LIST_BUTTON), "sections": [{"rows": rows}]}}})
        return
    lines = "\n".join(f"{i}. {c.label}" for i, c in enumerate(choices, 1))
    out.messages += [_text(p) for p in split(f"{text}\n\n{lines}\n\n_{words.numbered_hint}_", TEXT_LIMIT)]
    out.numbered = [c.data for c in choices]


def _unique(choices: list[Choice]) -> bool:
    return len({c.data for c in choices}) == len(choices) and len({c.label for c in choices}) == len(choices)


def _text(body: str) -> Payload:
    return {"type": "text", "text": {"body": body, "preview_url": False}}
