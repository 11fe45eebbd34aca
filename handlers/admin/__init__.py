"""Staff statistics and exports: `/statistik` (manifest)."""

from __future__ import annotations

from db.repositories.statistics import StatisticsRepo
from handlers.admin import stats, stats_files
from handlers.feature import Feature
from handlers.router import Router

router = Router("admin")
for part in (stats, stats_files):
    router.include(part.router, owner=f"admin.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("admin", router, repositories={"statistics": StatisticsRepo})
