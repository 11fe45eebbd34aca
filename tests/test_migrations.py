"""Stairway: every revision up, down one, up again — on SQLite and (when configured) PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path

import asyncpg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from db.migrate import MIGRATIONS, alembic_config, downgrade, upgrade

PG_URL = os.environ.get("SAPA_TEST_DATABASE_URL")


def _revisions() -> list[str]:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


def _stairway(url: str) -> None:
    revisions = _revisions()
    for i, rev in enumerate(revisions):
        upgrade(url, rev)
        downgrade(url, revisions[i - 1] if i else "base")
        upgrade(url, rev)
    downgrade(url, "base")
    upgrade(url, "head")


def test_stairway_sqlite(tmp_path: Path) -> None:
    _stairway(f"sqlite+aiosqlite:///{tmp_path / 'stairs.db'}")


@pytest.mark.skipif(not PG_URL, reason="SAPA_TEST_DATABASE_URL not set")
def test_stairway_postgresql() -> None:
    url = make_url(PG_URL)
    name = f"sapa_stairs_{uuid.uuid4().hex[:8]}"
    admin = url.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    async def admin_sql(sql: str) -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin_sql(f'CREATE DATABASE "{name}"'))
    try:
        _stairway(url.set(database=name).render_as_string(hide_password=False))
    finally:
        asyncio.run(admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_models_match_migrations(tmp_path: Path) -> None:
    """Autogenerate finds nothing to do: the models and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine

    from db.models import Base

    path = tmp_path / "cmp.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    with create_engine(f"sqlite:///{path}").connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_one_head_and_the_files_sort_in_chain_order() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    chain = [Path(r.path).name for r in reversed(list(script.walk_revisions()))]
    files = sorted(p.name for p in (MIGRATIONS / "versions").glob("*.py"))
    assert files == chain  # `ls` shows the chain: the last file is the head


def test_a_new_revision_sorts_after_the_head(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new file is named by its creation time, after every file written before the rule."""
    import shutil

    import db.migrate as m

    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(m, "MIGRATIONS", copy)
    head = ScriptDirectory.from_config(m.alembic_config("sqlite://")).get_current_head()
    path = Path(m.new_revision("something new"))
    script = ScriptDirectory.from_config(m.alembic_config("sqlite://"))
    assert script.get_current_head() == script.get_revision(path.name.split("_")[4]).revision
    assert script.get_revision(script.get_current_head()).down_revision == head
    assert sorted(p.name for p in (copy / "versions").glob("*.py"))[-1] == path.name
