"""The bot's database: the engine, once the features' manifests agree with the unit of work."""

from __future__ import annotations

from typing import Any

from db.engine import Database
from db.uow import check_manifests
from handlers.features import bot


def open_database(url: str, **engine_kwargs: Any) -> Database:
    # Every entry point opens its database here, so a manifest naming a repository the unit of
    # work does not declare (or with another class), or a declared one no feature owns, stops start-up.
    check_manifests(bot().repositories)
    return Database(url, **engine_kwargs)
