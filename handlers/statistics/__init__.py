"""Staff statistics and exports: `/statistik` (manifest)."""

from __future__ import annotations

from db.repositories.statistics import StatisticsRepo
from handlers.feature import Feature
from handlers.router import Router
from handlers.statistics import stats, stats_files

router = Router("statistics")
for part in (stats, stats_files):
    router.include(part.router, owner=f"admin.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("statistics", router, repositories={"statistics": StatisticsRepo})
