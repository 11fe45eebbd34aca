"""HR's and superadmins' tools: `/statistik` (manifest)."""

from __future__ import annotations

from handlers.admin.stats import router
from handlers.feature import Feature

feature = Feature("admin", router)
