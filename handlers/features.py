"""The one list of features: the only place a feature is registered.

A new feature creates its packages (handlers/<name>/, services/<name>/, db/…) and adds its
manifest here. `assemble()` refuses a command, button prefix, step, deep link, notice, job or
repository that two features claim.
"""

from __future__ import annotations

from functools import cache

from handlers.feature import Assembly, Feature, assemble


def features() -> list[Feature]:
    from db.repositories.complaints import ComplaintRepo
    from db.repositories.survey import SurveyRepo
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
        vacancies,
    )

    return [
        Feature("common", common.router, commands=(("start", 0), ("bahasa", 90), ("batal", 91), ("bantuan", 92))),
        Feature("account", account.router, commands=(("tautkan", 70),)),
        Feature("admin", admin.router),
        Feature("agencies", agencies.router),
        Feature("survey", survey.router, commands=(("survei", 60),), repositories={"survey": SurveyRepo}),
        Feature("complaints", complaints.router, commands=(("lapor", 10),), repositories={"complaints": ComplaintRepo}),
        Feature("complaint_status", complaint_status.router, commands=(("status", 20), ("aduanku", 21))),
        Feature("complaint_desk", complaints_officer.router),
        Feature("staff", staff.router),
        vacancies.feature,
    ]


@cache
def bot() -> Assembly:
    """The bot assembled from its features (once per process)."""
    return assemble(features())
