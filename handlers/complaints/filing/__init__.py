"""Filing a report: kind → description → photos → place → agency → privacy → summary → send.

An aspiration or an information request asks for photos and a place in one optional step
(`extras`). The draft (`draft.FilingDraft`) lives in the chat's durable state; every button
carries the draft's token, so a button from an older draft or a finished one is answered as
stale, never acted on (`base.current`).
"""

from __future__ import annotations

# The parts register their handlers on the one router when imported.
from handlers.complaints.filing import choices, describe, entry, photos, place, send  # noqa: F401
from handlers.complaints.filing.base import policy, router
from handlers.complaints.filing.entry import start
from handlers.complaints.filing.steps import Filing

__all__ = ["Filing", "policy", "router", "start"]
