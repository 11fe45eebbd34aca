"""Conversation flows. `build_router()` assembles every feature's router into one."""

from __future__ import annotations

from handlers.router import Router


def build_router() -> Router:
    from handlers import (
        account,
        admin,
        agencies,
        common,
        complaint_status,
        complaints,
        complaints_officer,
        staff,
        survey,
    )

    root = Router()
    for feature in (common, account, admin, agencies, survey, complaints, complaint_status, complaints_officer,
                    staff):
        root.include(feature.router)
    return root
