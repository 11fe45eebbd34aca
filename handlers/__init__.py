"""Conversation flows. `build_router()` assembles every feature's router into one."""

from __future__ import annotations

from handlers.router import Router


def build_router() -> Router:
    from handlers import account, admin, common

    root = Router()
    for feature in (common, account, admin):
        root.include(feature.router)
    return root
