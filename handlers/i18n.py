"""gettext catalogs, read with Babel; Indonesian first.

Each feature keeps its own domain (`locales/<lang>/LC_MESSAGES/<feature>.po`); a locale is
the union of its domains, so features never edit each other's catalogs.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"
LOCALES = ("id", "en")
DEFAULT = "id"
log = logging.getLogger(__name__)


@cache
def catalog(locale: str) -> dict[str, str]:
    messages: dict[str, str] = {}
    for path in sorted((LOCALES_DIR / locale / "LC_MESSAGES").glob("*.po")):
        with path.open("rb") as f:
            cat = read_po(f, locale=locale)
        messages.update({str(m.id): str(m.string) for m in cat if m.id and m.string and not m.fuzzy})
    return messages


def t(locale: str, key: str, **params: object) -> str:
    """The message `key` in `locale`, formatted with params (escape user text before passing it)."""
    text = catalog(locale).get(key) or catalog(DEFAULT).get(key)
    if text is None:
        log.error("missing translation %r", key)
        return key
    return text.format(**params) if params else text


def has(key: str) -> bool:
    """Does the default catalog (the fallback of every locale) know `key`? For labels looked up
    from recorded values, where an unknown one is shown as it is rather than logged as missing."""
    return key in catalog(DEFAULT)


def pick_locale(chosen: str | None, language_code: str | None, default: str) -> str:
    """The person's choice, else their Telegram language, else the deployment default."""
    if chosen in LOCALES:
        return chosen
    lang = (language_code or "").split("-")[0].lower()
    if lang in LOCALES:
        return lang
    return default if default in LOCALES else DEFAULT
