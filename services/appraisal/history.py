"""A person's annual predikat by year, as other rules read it (e.g. a vacancy's minimum predikat)."""

from __future__ import annotations

from db.uow import UnitOfWork
from services.appraisal.rules import period_part
from services.civil_service import Predikat


async def predikat_by_year(uow: UnitOfWork, employee_id: int) -> dict[int, Predikat]:
    """The annual periods' predikat; semester and quarter ratings are steps on the way, not the year's."""
    out: dict[int, Predikat] = {}
    for a in await uow.appraisals.of_employee(employee_id):
        if a.predikat and not period_part(a.period):
            try:
                out[a.year] = Predikat(a.predikat)
            except ValueError:  # a value the import would not store today: not a rating on record
                continue
    return out
