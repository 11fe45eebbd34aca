"""The unit of work's repositories: typed declarations, made on first use, held to the manifests."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import db.models
from db.models.base import Base
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
    assert set(bot().repositories) == set(declared_repositories(feature=True))
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


def test_every_model_is_exported_by_db_models() -> None:
    """db/models/__init__.py lists its imports by hand: a model left out would miss the metadata."""
    defined = {
        name
        for module in pkgutil.iter_modules(db.models.__path__)
        for name, value in vars(importlib.import_module(f"db.models.{module.name}")).items()
        if isinstance(value, type) and issubclass(value, Base) and value is not Base
    }
    assert defined - set(db.models.__all__) == set()
    assert all(getattr(db.models, name) for name in db.models.__all__)
