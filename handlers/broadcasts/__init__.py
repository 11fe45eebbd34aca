"""HR's broadcasts: `/umumkan` (compose, audience, preview, send, follow, cancel) and `/kabar` (manifest)."""

from __future__ import annotations

from db.repositories.broadcasts import BroadcastRepo
from handlers.broadcasts import flows, followup, views
from handlers.broadcasts.callbacks import FLOWS
from handlers.feature import Feature, renders
from handlers.kit import Reply
from services.broadcasts import stats
from services.broadcasts.compose import BroadcastMessage
from services.staff.audit import AuditFamily


@renders(BroadcastMessage)
def broadcast(loc: str, n: BroadcastMessage) -> Reply:
    return views.message(loc, n)


flows.router.include(followup.router, owner="broadcasts.followup")

# /umumkan is staff-only: not in the public menu.
feature = Feature("broadcasts", flows.router, flows=FLOWS, notices=(broadcast,),
                  repositories={"broadcasts": BroadcastRepo}, commands=(("kabar", 60),),
                  audit=(AuditFamily("broadcast", targets={"broadcast": "bc.audit.target"},
                                     words={"audience": views.audience_words}),), stats=(stats.SECTION,))
