"""Conversation flows, one package per feature; `handlers/features.py` lists them."""

from __future__ import annotations

from handlers.router import Router


def build_router() -> Router:
    """The whole bot's router, assembled from every feature's manifest."""
    from handlers.features import bot

    return bot().router
