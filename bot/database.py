"""The bot's database: the engine plus every feature's repositories, from their manifests."""

from __future__ import annotations

from typing import Any

from db.engine import Database
from handlers.features import bot


def open_database(url: str, **engine_kwargs: Any) -> Database:
    return Database(url, repositories=bot().repositories, **engine_kwargs)
