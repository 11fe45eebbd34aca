"""HR's agency (OPD) management: `/opd`, the list, cards, adding, renaming, keywords (manifest)."""

from __future__ import annotations

from handlers.agencies import editing, listing
from handlers.agencies.steps import FLOWS
from handlers.feature import Feature
from handlers.router import Router
from services.agencies import importing
from services.staff.audit import AuditFamily

router = Router("opd")
for part in (listing, editing):
    router.include(part.router, owner=f"agencies.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("opd", router, flows=FLOWS, imports=(importing.KIND,),
                  audit=(AuditFamily("agency", "opd.audit.family", order=40),))
