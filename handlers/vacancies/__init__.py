"""The open selection's manifest: `/lowongan`, `/lamaranku`, the apply flow, the stage notice."""

from __future__ import annotations

from db.repositories.vacancies import VacancyRepo
from handlers.feature import Feature
from handlers.vacancies import audit, flows, tracking, uploads
from handlers.vacancies.common import Apply, router
from handlers.vacancies.views import stage_result

assert flows.router is tracking.router is uploads.router is router  # their handlers are registered on the feature's router
feature = Feature("vacancies", router, flows=(Apply,), notices=(stage_result,),
                  repositories={"vacancies": VacancyRepo}, commands=(("lowongan", 45), ("lamaranku", 46)),
                  audit=(audit.FAMILY,))
