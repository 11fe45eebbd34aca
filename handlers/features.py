"""The one list of features: the only place a feature is registered.

A new feature creates its packages (handlers/<name>/, services/<name>/, db/…) and adds its
manifest here. `assemble()` refuses a command, button prefix, step, deep link, notice, job or
repository that two features claim.
"""

from __future__ import annotations

from functools import cache

from handlers.feature import Assembly, Feature, assemble


def features() -> list[Feature]:
    from handlers import (
        account,
        agencies,
        announcements,
        appraisal,
        broadcasts,
        common,
        complaints,
        imports,
        reminders,
        staff,
        statistics,
        subscriptions,
        survey,
        training,
        vacancies,
    )
    from handlers.survey import ikm
    from handlers.vacancies import admin as vacancies_admin

    return [
        common.feature,
        account.feature,
        statistics.feature,
        agencies.feature,
        survey.feature,
        ikm.feature,
        complaints.feature,
        announcements.feature,
        broadcasts.feature,
        appraisal.feature,
        subscriptions.feature,
        training.feature,
        vacancies.feature,
        vacancies_admin.feature,
        imports.feature,
        reminders.feature,
        staff.feature,
    ]


@cache
def bot() -> Assembly:
    """The bot assembled from its features (once per process)."""
    return assemble(features())
