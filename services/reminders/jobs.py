"""The reminder jobs, as the reminders feature's manifest lists them.

Each runs often and cheaply: it reads what fell due since the last run (or during downtime)
and queues what is not marked done; see services/reminders/core.py.
"""

from __future__ import annotations

from services.jobs import Job
from services.reminders.appraisal import skp_reminders
from services.reminders.jp import jp_nudges
from services.reminders.training import training_reminders
from services.reminders.vacancies import vacancy_reminders

JOBS = (
    Job("reminders_training", training_reminders, {"minutes": 1}),
    Job("reminders_vacancies", vacancy_reminders, {"minutes": 1}),
    Job("reminders_skp", skp_reminders, {"minutes": 5}),
    Job("reminders_jp", jp_nudges, {"minutes": 15}),
)
