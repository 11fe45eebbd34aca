"""Outbox rows carry a notice's template name and fields; this renders them at send time.

Rendering late means a push speaks the recipient's current language, and services never
hold words. Each feature registers a renderer per notice type with `@notice(NoticeType)`:
the renderer gets the notice rebuilt from the row, and reads its attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.render import escape
from services.announcements import Announcement
from services.notice import Notice

N = TypeVar("N", bound=Notice)
_RENDERERS: dict[str, tuple[type[Notice], Callable[[str, Any], Reply]]] = {}


def notice(kind: type[N]) -> Callable[[Callable[[str, N], Reply]], Callable[[str, N], Reply]]:
    def deco(fn: Callable[[str, N], Reply]) -> Callable[[str, N], Reply]:
        _RENDERERS[kind.template] = (kind, fn)
        return fn
    return deco


def renderer_for(kind: type[Notice]) -> Callable[[str, Any], Reply] | None:
    from handlers.features import bot

    listed = bot().notices.entries.get(kind.template)
    if listed and listed[0] is kind:
        return listed[1]
    found = _RENDERERS.get(kind.template)
    return found[1] if found and found[0] is kind else None


def render_notice(template: str, params: dict[str, Any], locale: str) -> Reply:
    """A stored row in words.

    KeyError for an unknown template, TypeError (with the field) for params that do not fit
    the notice's type: the sender fails that row with the reason. Notices listed in the
    features' manifests come first.
    """
    from handlers.features import bot

    book = bot().notices
    if template in book.entries:
        return book.render(template, params, locale)
    kind, fn = _RENDERERS[template]
    return fn(locale, kind.from_params(params))


@notice(Announcement)
def announcement(loc: str, n: Announcement) -> Reply:
    return Reply(t(loc, "notice.announcement", text=escape(n.text)), [[Button(t(loc, "menu.back"), "menu")]])
