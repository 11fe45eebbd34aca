"""The open selection's manifest: `/lowongan`, `/lamaranku`, the apply flow, the stage notice."""

from __future__ import annotations

from db.repositories.vacancies import VacancyRepo
from db.repositories.vacancy_reminders import VacancyReminderRepo
from handlers.feature import Feature
from handlers.vacancies import audit, flows, reminder_views, tracking, uploads
from handlers.vacancies.common import Apply, router
from handlers.vacancies.views import stage_result
from services.vacancies import demo, reminders

assert flows.router is tracking.router is uploads.router is router  # their handlers are registered on the feature's router
feature = Feature("vacancies", router, flows=(Apply,), notices=(stage_result, *reminder_views.RENDERERS),
                  repositories={"vacancies": VacancyRepo, "vacancy_reminders": VacancyReminderRepo},
                  commands=(("lowongan", 45), ("lamaranku", 46)),
                  jobs=(reminders.JOB,), reminders=(reminders.KIND,), topics=(reminders.TOPIC,),
                  demo=(demo.seed,), audit=(audit.FAMILY,))
