"""The one list of features: the only place a feature is registered.

A new feature creates its packages (handlers/<name>/, services/<name>/, db/…) and adds its
manifest here. `assemble()` refuses a command, button prefix, step, deep link, notice, job or
repository that two features claim.
"""

from __future__ import annotations

from functools import cache

from handlers.feature import Assembly, Feature, assemble


def features() -> list[Feature]:
    from db.repositories.survey import SurveyRepo
    from handlers import (
        account,
        admin,
        agencies,
        appraisal,
        common,
        complaints,
        subscriptions,
        survey,
        training,
    )

    return [
        Feature("common", common.router, commands=(("start", 0), ("bahasa", 90), ("batal", 91), ("bantuan", 92))),
        account.feature,
        Feature("admin", admin.router),
        Feature("agencies", agencies.router),
        Feature("survey", survey.router, commands=(("survei", 60),), repositories={"survey": SurveyRepo}),
        complaints.feature,
        appraisal.feature,
        subscriptions.feature,
        training.feature,
    ]


@cache
def bot() -> Assembly:
    """The bot assembled from its features (once per process)."""
    return assemble(features())
