"""Outbox rows carry a template name and parameters; this renders them at send time.

Rendering late means a push speaks the recipient's current language, and services never
hold words. Features register their templates with `@notice("name")`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.render import escape

Renderer = Callable[[str, dict[str, Any]], Reply]
_RENDERERS: dict[str, Renderer] = {}


def notice(name: str) -> Callable[[Renderer], Renderer]:
    def deco(fn: Renderer) -> Renderer:
        _RENDERERS[name] = fn
        return fn
    return deco


def render_notice(template: str, params: dict[str, Any], locale: str) -> Reply:
    """KeyError for an unknown template: the sender fails that row with the reason.

    Typed notices come from the features' manifests; string-keyed ones from `@notice`.
    """
    from handlers.features import bot

    book = bot().notices
    if template in book.entries:
        return book.render(template, params, locale)
    return _RENDERERS[template](locale, params)


@notice("announcement")
def announcement(loc: str, p: dict[str, Any]) -> Reply:
    return Reply(t(loc, "notice.announcement", text=escape(p.get("text", ""))),
                 [[Button(t(loc, "menu.back"), "menu")]])
