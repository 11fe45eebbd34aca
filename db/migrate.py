"""Alembic, driven from code: `sapa migrate`, start-up, and the stairway test."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(url), revision)


def downgrade(url: str, revision: str) -> None:
    command.downgrade(alembic_config(url), revision)


async def migrate(url: str) -> None:
    # env.py runs its own event loop; give it a thread so a running loop is not disturbed.
    await asyncio.to_thread(upgrade, url)


def head_revision() -> str | None:
    """The newest revision this code knows."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


async def current_revision(conn: Any) -> str | None:
    """The revision the database is at (None before the first migration)."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        version: str | None = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
        return version
    except DBAPIError:  # no alembic_version table yet
        return None
