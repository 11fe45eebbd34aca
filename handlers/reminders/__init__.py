"""Reminders: `/pengingat` and the shared machinery (manifest).

The reminders themselves (their kinds, jobs, notices and renderers) belong to the features that
send them and are registered in those features' manifests (`reminders=`, `jobs=`, `notices=`).
"""

from __future__ import annotations

from db.repositories.reminders import ReminderRepo
from handlers.feature import Feature
from handlers.reminders.flows import router

feature = Feature("reminders", router, repositories={"reminders": ReminderRepo}, commands=(("pengingat", 47),))
