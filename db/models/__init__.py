"""All tables. Every module in this package is imported here, so Alembic and the metadata see
every model without a list to edit; `from db.models import Complaint` works for each of them."""

from __future__ import annotations

import importlib
import pkgutil

from db.models.base import Base


def _models() -> dict[str, type[Base]]:
    found: dict[str, type[Base]] = {}
    for module in pkgutil.iter_modules(__path__):
        if module.name != "base":
            for name, value in vars(importlib.import_module(f"{__name__}.{module.name}")).items():
                if isinstance(value, type) and issubclass(value, Base) and value is not Base:
                    found[name] = value
    return found


globals().update(_models())
__all__ = ["Base", *sorted(_models())]
