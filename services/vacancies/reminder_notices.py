"""What the vacancies' reminders push (template names unchanged: queued rows carry them)."""

from __future__ import annotations

from services.notice import Notice


class VacancyPublished(Notice, template="rm.vac.new"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    vacancy_id: int
    jabatan: str
    agency: str
    closes_at: str
    tz: str
    unmet: str  # comma-separated rule codes (services.vacancies.rules.Unmet.rule); "": eligible


class VacancyDocsMissing(Notice, template="rm.vac.docs"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    vacancy_id: int
    application_id: int
    jabatan: str
    closes_at: str
    tz: str
    missing: str  # the checklist labels HR wrote, one a line (user text: escaped when rendered)
