"""Reminders: `/pengingat`, the reminder notices, and the jobs that queue them (manifest)."""

from __future__ import annotations

from db.repositories.reminders import ReminderRepo
from handlers.feature import Feature
from handlers.reminders.flows import router
from handlers.reminders.views import RENDERERS
from services.reminders.jobs import JOBS

feature = Feature("reminders", router, notices=RENDERERS, jobs=JOBS, repositories={"reminders": ReminderRepo},
                  commands=(("pengingat", 47),))
