"""The unit of work's repositories: typed declarations, made on first use, held to the manifests."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import pytest
from sqlalchemy import func, select

import db.models
from db.models import User
from db.models.base import Base
from db.repositories.base import Repo
from db.repositories.complaints import ComplaintRepo
from db.repositories.users import UserRepo
from db.uow import UnitOfWork, check_manifests, declared_repositories
from handlers.features import bot


def test_a_repository_is_made_on_first_use_and_once() -> None:
    uow = UnitOfWork(session=None, dialect="sqlite")  # type: ignore[arg-type]  # no query is run
    assert "complaints" not in vars(uow) and "users" not in vars(uow)  # nothing made up front
    first = uow.complaints
    assert isinstance(first, ComplaintRepo) and uow.complaints is first and vars(uow)["complaints"] is first
    assert "users" not in vars(uow)  # only what was touched


def test_the_manifests_claim_exactly_the_declared_feature_repositories() -> None:
    check_manifests(bot().repositories)
    assert set(declared_repositories(feature=True)) <= set(bot().repositories)
    assert set(declared_repositories(feature=False)).isdisjoint(bot().repositories)


def test_a_manifest_that_disagrees_with_the_declarations_is_refused() -> None:
    claimed = dict(bot().repositories)
    with pytest.raises(LookupError, match="'complaints': manifest UserRepo, UnitOfWork ComplaintRepo"):
        check_manifests({**claimed, "complaints": UserRepo})
    with pytest.raises(LookupError, match="'typo': manifest ComplaintRepo, UnitOfWork None"):
        check_manifests({**claimed, "typo": ComplaintRepo})
    del claimed["complaints"]
    with pytest.raises(LookupError, match=r"claimed by no feature: \['complaints'\]"):
        check_manifests(claimed)


def test_every_model_module_is_loaded_and_every_model_is_in_the_metadata() -> None:
    """load_all imports each module of db.models (a feature's new one needs no line in
    __init__.py); every model is then a table of Base.metadata, and the names db.models has
    always re-exported are still there."""
    loaded = db.models.load_all()
    modules = {f"db.models.{m.name}" for m in pkgutil.iter_modules(db.models.__path__)}
    assert set(loaded) == modules and all(name in sys.modules for name in modules)
    models = [value for module in modules for value in vars(importlib.import_module(module)).values()
              if isinstance(value, type) and issubclass(value, Base) and value is not Base]
    assert models and all(m.__table__ is Base.metadata.tables[m.__tablename__] for m in models)
    assert all(getattr(db.models, name) for name in db.models.__all__)


def test_load_all_loads_a_model_module_that_init_does_not_list(tmp_path, monkeypatch) -> None:
    (tmp_path / "zz_new_feature.py").write_text("LOADED = True\n")
    monkeypatch.setattr(db.models, "__path__", [*db.models.__path__, str(tmp_path)])
    monkeypatch.delitem(sys.modules, "db.models.zz_new_feature", raising=False)
    assert "db.models.zz_new_feature" in db.models.load_all()
    assert sys.modules["db.models.zz_new_feature"].LOADED


class NewFeatureRepo(Repo):
    """A feature's repository that db/uow.py does not declare."""

    async def users(self) -> int:
        return int((await self.session.execute(select(func.count()).select_from(User))).scalar_one())


async def test_a_repository_not_declared_is_reached_with_get_made_once_per_unit_of_work(db) -> None:
    async with db.uow() as uow:
        repo = uow.get(NewFeatureRepo)
        assert isinstance(repo, NewFeatureRepo) and uow.get(NewFeatureRepo) is repo
        assert repo.session is uow.session and await repo.users() >= 0
        assert uow.get(ComplaintRepo) is uow.complaints  # a declared one: the same attribute
    async with db.uow() as other:
        assert other.get(NewFeatureRepo) is not repo


def test_a_manifest_may_claim_a_repository_reached_with_get() -> None:
    claimed = dict(bot().repositories)
    check_manifests({**claimed, "new_feature": NewFeatureRepo})
    with pytest.raises(LookupError, match="NewFeatureRepo claimed twice"):
        check_manifests({**claimed, "a": NewFeatureRepo, "b": NewFeatureRepo})
    with pytest.raises(LookupError, match="'people': manifest UserRepo, UnitOfWork None"):
        check_manifests({**claimed, "people": UserRepo})  # a declared class under another name
