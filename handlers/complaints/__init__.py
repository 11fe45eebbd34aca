"""Complaints, aspirations and information requests: filing, following, the agencies' desk."""

from __future__ import annotations

from db.repositories.complaints import ComplaintRepo
from handlers.complaints import desk, filing, status, welcome
from handlers.feature import Feature
from handlers.router import Router

router = Router("complaints")
for part in (filing, status, desk, welcome):
    router.include(part.router, owner=f"complaints.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("complaints", router, flows=(filing.Filing,),
                  commands=(("lapor", 10), ("status", 20), ("aduanku", 21)),
                  repositories={"complaints": ComplaintRepo})
