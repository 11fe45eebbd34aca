"""What every person has: start, menu, help, language, cancel, the unexpected (manifest)."""

from __future__ import annotations

from handlers.common import answers, language, start
from handlers.feature import Feature
from handlers.router import Router

router = Router("common")
for part in (start, language, answers):
    router.include(part.router, owner=f"common.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("common", router, commands=(("start", 0), ("bahasa", 90), ("batal", 91), ("bantuan", 92)))
