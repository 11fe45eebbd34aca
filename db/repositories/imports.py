"""Staged spreadsheet imports; the caller's unit of work commits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from db.dialect import lock_rows
from db.models.imports import StagedImport
from db.repositories.base import Repo, rowcount


class StagedImportRepo(Repo):
    def add(self, values: dict[str, Any]) -> StagedImport:
        row = StagedImport(**values)
        self.session.add(row)
        return row

    async def get(self, staged_id: int, *, lock: bool = False) -> StagedImport | None:
        stmt = select(StagedImport).where(StagedImport.id == staged_id)
        if lock:
            stmt = lock_rows(self.dialect, stmt)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def remove(self, staged_id: int) -> None:
        await self.session.execute(delete(StagedImport).where(StagedImport.id == staged_id))

    async def remove_older_than(self, cutoff: datetime) -> int:
        result = await self.session.execute(delete(StagedImport).where(StagedImport.created_at < cutoff))
        return rowcount(result)
