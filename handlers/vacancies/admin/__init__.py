"""HR's side of the open selection (manifest): `/kelolaseleksi` and the "Kelola seleksi" menu item —
drafts, publishing, applicants' documents, stage results and announcements, the XLSX export."""

from __future__ import annotations

from db.repositories.vacancy_admin import VacancyAdminRepo
from handlers.feature import Feature
from handlers.router import Router
from handlers.vacancies.admin import console, create, results
from handlers.vacancies.admin.steps import FLOWS
from handlers.vacancies.admin.views import document_reviewed
from services.vacancies import results_import

router = Router("vacancies_admin")
for part in (console, create, results):
    router.include(part.router, owner=f"vacancies_admin.{part.__name__.rsplit('.', 1)[-1]}")

feature = Feature("vacancies_admin", router, flows=FLOWS, notices=(document_reviewed,),
                  repositories={"vacancy_admin": VacancyAdminRepo},  # staff commands are not published
                  imports=(results_import.KIND,))
