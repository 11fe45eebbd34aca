"""HR's agency (OPD) management: `/opd`, the list, cards, adding, renaming, keywords (manifest)."""

from __future__ import annotations

from handlers.agencies import editing, listing
from handlers.agencies.steps import FLOWS
from handlers.feature import Feature
from handlers.router import Router
from services.admin.audit import AuditFamily
from services.agencies import importing

router = Router("agencies")
for part in (listing, editing):
    router.include(part.router, owner=f"agencies.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("agencies", router, flows=FLOWS, imports=(importing.KIND,),
                  audit=(AuditFamily("agency", "sf.fam.agency", order=40),))
