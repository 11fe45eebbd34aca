"""Siti's SKP for the sandbox: three rated years and a current period with one thing missing.

Relative to `now`, so the sandbox (real time) and the tests (a fixed clock) both see a
current period in pelaksanaan whose deadline is a few working days ahead.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from db.models import Appraisal
from db.uow import UnitOfWork
from services import civil_service as cs
from services.appraisal import rules
from services.workdays import add_workdays

SITI = "199001052015032002"
DEMO_TZ = ZoneInfo("Asia/Makassar")  # the demo government is Banjarbaru (WITA)
DEADLINE_WORKDAYS = 3
MISSING = "bukti dukung kinerja triwulan IV belum diunggah"
R = cs.Rating
# (years ago, result, behaviour): Baik, Butuh Perbaikan, Sangat Baik — three different predikat.
HISTORY = ((3, R.AS_EXPECTED, R.AS_EXPECTED), (2, R.BELOW, R.AS_EXPECTED), (1, R.ABOVE, R.ABOVE))


async def seed(uow: UnitOfWork, now: datetime, tz: ZoneInfo = DEMO_TZ) -> None:
    emp = await uow.employees.by_nip(SITI)
    if emp is None:
        return
    today = now.astimezone(tz).date()
    for ago, result, behaviour in HISTORY:
        year = today.year - ago
        uow.appraisals.add(Appraisal(
            employee_id=emp.id, year=year, period=str(year), stage=rules.Stage.TINDAK_LANJUT,
            result_rating=result, behaviour_rating=behaviour, predikat=cs.predikat(result, behaviour),
            deadline=None, missing=[]))
    due = rules.end_of_day(add_workdays(today, DEADLINE_WORKDAYS), tz)
    uow.appraisals.add(Appraisal(
        employee_id=emp.id, year=today.year, period=str(today.year), stage=rules.Stage.PELAKSANAAN,
        result_rating=None, behaviour_rating=None, predikat=None, deadline=due, missing=[MISSING]))
