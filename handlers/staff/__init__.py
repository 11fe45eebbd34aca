"""Staff management and the audit log for superadmins: `/staf` (manifest)."""

from __future__ import annotations

from handlers.feature import Feature
from handlers.router import Router
from handlers.staff import auditlog, listing, people
from handlers.staff.steps import FLOWS
from handlers.staff.views import role_changed
from services.staff.audit import AuditFamily

router = Router("staffing")
for part in (people, listing, auditlog):
    router.include(part.router, owner=f"staff.{part.__name__.rsplit('.', 1)[-1]}")

# The log's own entries: roles granted, attempts refused (the Forbidden's code is what the person
# was told), the log's exports.
AUDIT = (AuditFamily("role", "sf.fam.role", order=10),
         AuditFamily("denied", "sf.fam.denied", order=20, messages={("denied", "code"): ("{}", "sf.why.denied")}),
         AuditFamily("audit", "sf.fam.audit", order=90))
feature = Feature("staffing", router, flows=FLOWS, notices=(role_changed,), audit=AUDIT)
