"""Spreadsheet imports in the chat: HR sends a CSV/XLSX, sees the dry run, confirms (manifest)."""

from __future__ import annotations

from datetime import datetime

from db.engine import Database
from db.repositories.imports import StagedImportRepo
from handlers.feature import Feature
from handlers.imports.flow import router
from services.imports import staging
from services.jobs import Job
from services.settings import Settings


async def purge_staged(db: Database, _settings: Settings, now: datetime) -> None:
    async with db.uow() as uow:
        await staging.purge(uow, now)
        await uow.commit()


router.help("imp.help", roles=("hr", "superadmin"))
feature = Feature("imports", router, jobs=(Job("imports_purge", purge_staged, {"hours": 1}),),
                  repositories={"imports": StagedImportRepo})
