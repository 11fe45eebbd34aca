"""Alembic, driven from code: `sapa migrate`, start-up, and the stairway test."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
# Files sort in chain order: those written before this rule carry their place in the chain
# (`011_0015_complaint_desk.py`: the 11th, revision id 0015 as databases store it); a new one is
# named by its creation time (`2026_12_05_0930_<rev>_<slug>.py`), which sorts after them and
# after each other. tests/test_migrations.py checks that `ls` order is the chain.
FILE_TEMPLATE = "%%(year)d_%%(month).2d_%%(day).2d_%%(hour).2d%%(minute).2d_%%(rev)s_%%(slug)s"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    cfg.set_main_option("file_template", FILE_TEMPLATE)
    cfg.set_main_option("timezone", "UTC")
    return cfg


def new_revision(message: str) -> str:
    """Write a new, empty migration after the head (`python -c "from db.migrate import new_revision;
    print(new_revision('what it does'))"`); returns its file's path."""
    script = command.revision(alembic_config("sqlite://"), message)
    assert script is not None and not isinstance(script, list)
    return str(script.path)


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
