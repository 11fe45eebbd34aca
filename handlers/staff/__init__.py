"""Staff management and the audit log for superadmins: `/staf` (manifest)."""

from __future__ import annotations

from handlers.feature import Feature
from handlers.router import Router
from handlers.staff import auditlog, listing, people
from handlers.staff.steps import FLOWS
from handlers.staff.views import role_changed

router = Router("staff")
for part in (people, listing, auditlog):
    router.include(part.router, owner=f"staff.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("staff", router, flows=FLOWS, notices=(role_changed,))
