"""Complaints, aspirations and information requests: filing, following, the agencies' desk."""

from __future__ import annotations

from db.repositories.complaints import ComplaintRepo
from db.repositories.complaints_stats import ComplaintStatsRepo
from handlers.complaints import (
    desk,
    erasure,
    feedback,
    filing,
    notices,
    reminder_views,
    status,
    views,
    welcome,
)
from handlers.feature import Feature
from handlers.router import Router
from services.complaints import reminders as deadline_reminders
from services.complaints import stats
from services.complaints.jobs import JOBS
from services.staff.audit import AuditFamily, action_label

router = Router("complaints")
for part in (filing, status, feedback, erasure, desk, welcome):
    router.include(part.router, owner=f"complaints.{part.__name__.rsplit('.', 1)[-1]}")

# A desk action that verified the report on the way records which one.
# A report's status is recorded as its code (from/to of a transition): read in the status's words.
AUDIT = AuditFamily("complaint", "cx.audit.family", order=30, values={"implied_by": action_label("complaint")},
                    codes=("cx.status.{}",))
feature = Feature("complaints", router, commands=(("lapor", 10), ("status", 20), ("aduanku", 21)),
                  flows=(filing.Filing, *status.FLOWS, feedback.Commenting, erasure.Erasing, *desk.FLOWS),
                  notices=(*notices.RENDERERS, views.n_receipt, *reminder_views.RENDERERS),
                  repositories={"complaints": ComplaintRepo, "complaint_stats": ComplaintStatsRepo},
                  jobs=(*JOBS, *deadline_reminders.JOBS), stats=(stats.SECTION,), audit=(AUDIT,))
