"""Outbox rows carry a notice's template name and fields; this renders them at send time.

Rendering late means a push speaks the recipient's current language, and services never
hold words. Each feature lists its renderers in its manifest (`@renders(NoticeType)`): the
renderer gets the notice rebuilt from the row, and reads its attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.features import bot
from handlers.kit import Reply
from services.notice import Notice


def renderer_for(kind: type[Notice]) -> Callable[[str, Any], Reply] | None:
    listed = bot().notices.entries.get(kind.template)
    return listed[1] if listed and listed[0] is kind else None


def render_notice(template: str, params: dict[str, Any], locale: str) -> Reply:
    """A stored row in words.

    KeyError for an unknown template, TypeError (with the field) for params that do not fit
    the notice's type: the sender fails that row with the reason.
    """
    return bot().notices.render(template, params, locale)
