"""An agency's fields as typed in the chat or imported: codes, names, routing keywords."""

from __future__ import annotations

import re

from services.errors import InvalidInput

NAME_MAX, SHORT_MAX = 200, 64
KEYWORDS_MAX, KEYWORD_LEN = 40, (2, 50)
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{1,31}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RUN = re.compile(r"\s+")
_KEYWORD_SPLIT = re.compile(r"[,;|\n]")


def clean_code(raw: str) -> str:
    code = (raw or "").strip().upper()
    if not _CODE.fullmatch(code):
        raise InvalidInput("opd.err.code")
    return code


def clean_name(raw: str, *, limit: int = NAME_MAX, code: str = "opd.err.name") -> str:
    name = _RUN.sub(" ", _CONTROL.sub(" ", raw or "")).strip()
    if not 2 <= len(name) <= limit:
        raise InvalidInput(code, max=limit)
    return name


def clean_keywords(raw: str) -> list[str]:
    """Comma-separated (also ';' or '|'), lower case, duplicates dropped, order kept."""
    words = [_RUN.sub(" ", _CONTROL.sub(" ", w)).strip().lower() for w in _KEYWORD_SPLIT.split(raw or "")]
    words = list(dict.fromkeys(w for w in words if w))
    lo, hi = KEYWORD_LEN
    if len(words) > KEYWORDS_MAX or any(not lo <= len(w) <= hi for w in words):
        raise InvalidInput("opd.err.keywords", max=KEYWORDS_MAX)
    return words


def safe_code(raw: str) -> str:
    """What may be echoed of a typed code: code-like characters only."""
    return re.sub(r"[^A-Z0-9_-]", "", (raw or "").upper())[:32] or "-"
