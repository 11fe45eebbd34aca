"""What counts in a person's text: visible characters, not zero-width or control ones."""

from __future__ import annotations

import unicodedata


def visible_length(text: str) -> int:
    """Characters a reader sees: not whitespace, not format (Cf: zero-width, BOM, RTL marks), not control.

    A description of only `\\u200b\\u200c\\u200d\\u2060\\ufeff` is blank to staff however long it is.
    """
    return sum(1 for ch in text if not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc"))
