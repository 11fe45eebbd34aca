"""Fixtures: a migrated database per test (SQLite; PostgreSQL when SAPA_TEST_DATABASE_URL is set)."""

from __future__ import annotations

import asyncio
import os
import shutil
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.core import App
from bot.database import open_database
from db.engine import Database
from db.migrate import upgrade
from handlers import build_router
from handlers.features import bot
from services.demo import is_empty, seed_demo
from services.settings import Settings, load_settings
from tests.harness import Clock, FakeChannel, Person
from tests.pg_reset import Resetter, drop_worker_database, worker_database

PG_URL = worker_database(os.environ.get("SAPA_TEST_DATABASE_URL"))
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "sapa.db"
    upgrade(f"sqlite+aiosqlite:///{path}")
    return path


@pytest.fixture(scope="session")
def sqlite_seeded(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The migrated template with the demo seeded once, at the default test clock's time.

    Seeding costs ~0.3 s; every test that builds an `app` would otherwise pay it again.
    """
    path = tmp_path_factory.mktemp("seeded") / "sapa.db"
    shutil.copy(sqlite_template, path)

    async def seed() -> None:
        database = open_database(f"sqlite+aiosqlite:///{path}")
        try:
            async with database.uow() as uow:
                await seed_demo(uow, Clock()(), bot().demo)
                await uow.commit()
        finally:
            await database.dispose()

    asyncio.run(seed())
    return path


@pytest.fixture(scope="session")
def pg_migrated() -> str | None:
    if PG_URL:
        upgrade(PG_URL)
    return PG_URL


@pytest.fixture(scope="session")
def pg_resetter(pg_migrated: str | None) -> Resetter:
    assert pg_migrated
    resetter = Resetter(pg_migrated)
    resetter.prepare(Clock()())
    return resetter


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path, sqlite_template: Path) -> str:
    if request.param == "postgresql":
        request.getfixturevalue("pg_resetter")  # built here, outside the test's event loop
        return PG_URL  # type: ignore[return-value]
    path = tmp_path / "sapa.db"
    # A test with an `app` starts from the seeded copy; the others from the empty schema.
    seeded = "app" in request.fixturenames
    shutil.copy(request.getfixturevalue("sqlite_seeded") if seeded else sqlite_template, path)
    return f"sqlite+aiosqlite:///{path}"


@pytest.fixture
async def db(request: pytest.FixtureRequest, database_url: str) -> AsyncIterator[Database]:
    database = open_database(database_url)
    if database.dialect == "postgresql":  # emptied, or the demo as seeded at session start for an `app`
        await request.getfixturevalue("pg_resetter").reset(seeded="app" in request.fixturenames)
    yield database
    await database.dispose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(database_url: str) -> Settings:
    return load_settings(database_url=database_url, bot_token=None, admin_ids="900001",
                         instance_code="BJB", instance_name="Pemerintah Kota Banjarbaru",
                         timezone="Asia/Makassar", _env_file=None)


@pytest.fixture
def channel() -> FakeChannel:
    return FakeChannel()


@pytest.fixture
async def app(settings: Settings, db: Database, channel: FakeChannel, clock: Clock) -> App:
    async with db.uow() as uow:
        if await is_empty(uow):  # PostgreSQL, emptied by `db`; SQLite comes seeded (`sqlite_seeded`)
            await seed_demo(uow, clock(), bot().demo)
            await uow.commit()
    return App(settings, db, build_router(), channel, clock)


@pytest.fixture
def person(app: App, channel: FakeChannel) -> Callable[..., Person]:
    def make(user_id: int = 1001, name: str = "Rina", language_code: str | None = "id", **kw: object) -> Person:
        return Person(app, channel, user_id, name, language_code, **kw)  # type: ignore[arg-type]
    return make


def pytest_sessionfinish(session: pytest.Session) -> None:
    drop_worker_database(PG_URL)
