"""Free text to an intent: "cek nilai skp" finds the feature that answers it (rapidfuzz)."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rapidfuzz import fuzz, process

if TYPE_CHECKING:
    from handlers.chat import Chat

INTENT_THRESHOLD = 75
_WORD = re.compile(r"[^\w\s]+", re.U)


@dataclass
class Intent:
    name: str
    phrases: list[str]
    handler: Callable[[Chat], Awaitable[None]]


def best_intent(intents: list[Intent], text: str) -> Intent | None:
    """The intent one of whose phrases `text` comes closest to, if close enough."""
    choices = [(p, i) for i in intents for p in i.phrases]
    if not choices or not text.strip():
        return None
    found = process.extractOne(normalise(text), [p for p, _ in choices], scorer=_score)
    if found is None or found[1] < INTENT_THRESHOLD:
        return None
    return choices[found[2]][1]


def normalise(text: str) -> str:
    return " ".join(_WORD.sub(" ", text.lower()).split())


def _score(query: str, choice: str, **kw: Any) -> float:
    # token_set_ratio lets "mau lapor jalan rusak" contain "lapor jalan rusak"; the
    # partial guard keeps one stray shared word in a long sentence from matching.
    return min(fuzz.token_set_ratio(query, choice), fuzz.partial_token_sort_ratio(query, choice) + 10)
