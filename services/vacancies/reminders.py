"""Vacancy notices: on publication to subscribers (with their eligibility verdict), and 72 h
before closing to those whose application still misses documents.

Publication falls due when the vacancy is both published (HR's button sets `published_at`)
and open (`opens_at`); a vacancy published before it opens is announced when it opens.
Stage results are announced by services.vacancies.selection.publish_stage itself.

Registered in the vacancies' manifest: the subscription topic `TOPIC` (/langganan), the reminder
kind `KIND` ("vacancy_docs", /pengingat), their notices and the job.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from db.engine import Database
from db.models import Vacancy
from db.uow import UnitOfWork
from services.appraisal.rules import period_part
from services.civil_service import Predikat
from services.jobs import Job
from services.notice import Notice
from services.reminders import audience
from services.reminders.core import CATCHUP, Occasion, Recipients, run_occasions
from services.reminders.kinds import Next, ReminderKind, Upcoming
from services.settings import Settings
from services.subscriptions import Topic
from services.vacancies.reminder_notices import VacancyDocsMissing, VacancyPublished
from services.vacancies.rules import DocumentItem, Requirements, check

CLOSING_NOTICE = timedelta(hours=72)
VACANCY_DOCS, VACANCY = "vacancy_docs", "vacancy"  # the kind's and the topic's keys, as stored: never renamed


def publication(v: Vacancy, settings: Settings) -> Occasion:
    assert v.published_at is not None
    due = max(v.published_at, v.opens_at)
    return Occasion(f"vac:new:{v.id}", due, v.closes_at, "vacancy already closed", _subscribers(v, settings))


async def _history(uow: UnitOfWork, employee_ids: list[int]) -> dict[int, dict[int, Predikat]]:
    """employee id → {year: annual predikat}, in one query for everyone (cf. appraisal.history)."""
    out: dict[int, dict[int, Predikat]] = {}
    for emp, year, period, value in await uow.vacancy_reminders.predikat_rows(employee_ids):
        if not period_part(period):
            try:
                out.setdefault(emp, {})[year] = Predikat(value)
            except ValueError:
                continue
    return out


def _subscribers(v: Vacancy, settings: Settings) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        subscribed = await audience.subscribed(uow, TOPIC)
        recs = await audience.records(uow, list(subscribed))
        history = await _history(uow, list(subscribed))
        agency = (await uow.vacancies.agency_names([v.agency_id])).get(v.agency_id, "")
        try:
            req = Requirements.from_data(v.requirements or {})
        except (ValueError, KeyError, TypeError):
            req = Requirements()  # HR's data is checked when saved; never let a bad row stop the job
        closes_on = v.closes_at.astimezone(settings.tz).date()
        out: list[tuple[int, Notice]] = []
        for emp in sorted(subscribed):
            if emp not in recs:
                continue
            user_id, choice = subscribed[emp]
            missing = [u.rule for u in check(recs[emp], req, closes_on, history.get(emp, {}))]
            if missing and choice != "all":
                continue
            out.append((user_id, VacancyPublished(vacancy_id=v.id, jabatan=v.jabatan, agency=agency,
                                                  closes_at=v.closes_at.isoformat(), tz=settings.timezone,
                                                  unmet=",".join(missing))))
        return out
    return find


def closing(v: Vacancy, settings: Settings) -> Occasion:
    return Occasion(f"vac:docs:{v.id}:{v.closes_at.strftime('%Y%m%d%H%M')}", v.closes_at - CLOSING_NOTICE,
                    v.closes_at, "vacancy already closed", _incomplete(v, settings))


def _incomplete(v: Vacancy, settings: Settings) -> Recipients:
    async def find(uow: UnitOfWork) -> list[tuple[int, Notice]]:
        items = [DocumentItem.from_data(d) for d in v.documents or []]
        drafts = await uow.vacancy_reminders.draft_applications(v.id)
        allowed = await uow.reminders.reachable_users([u for _, u, _ in drafts])
        off = await uow.reminders.switched_off(VACANCY_DOCS)
        out: list[tuple[int, Notice]] = []
        for app_id, user_id, uploaded in drafts:
            missing = [i.label for i in items if i.code not in uploaded]
            if missing and user_id in allowed and user_id not in off:
                out.append((user_id, VacancyDocsMissing(vacancy_id=v.id, application_id=app_id, jabatan=v.jabatan,
                                                        closes_at=v.closes_at.isoformat(), tz=settings.timezone,
                                                        missing="\n".join(missing))))
        return out
    return find


async def vacancy_reminders(db: Database, settings: Settings, now: datetime) -> None:
    async with db.uow() as uow:
        published = await uow.vacancy_reminders.vacancies_published(now, now - CATCHUP)
        closing_soon = await uow.vacancy_reminders.vacancies_closing(now - CATCHUP, now + CLOSING_NOTICE)
    occasions = [publication(v, settings) for v in published] + [closing(v, settings) for v in closing_soon]
    await run_occasions(db, settings, now, occasions)


async def upcoming(uow: UnitOfWork, employee_id: int, enabled: bool, now: datetime, settings: Settings) -> Upcoming:
    """/pengingat: the documents reminder of each vacancy the person has a draft for."""
    if not enabled:
        return Upcoming()
    return Upcoming([Next(VACANCY_DOCS, v.closes_at - CLOSING_NOTICE, v.jabatan)
                     for v in await uow.vacancy_reminders.drafts_closing(employee_id, now)
                     if v.closes_at - CLOSING_NOTICE > now])


KIND = ReminderKind(VACANCY_DOCS, (VacancyDocsMissing.template,), order=20, icon="📎", upcoming=upcoming)
# New vacancies: those one is eligible for by default, or all, or none. Off cancels the queued notices.
TOPIC = Topic(VACANCY, ("eligible", "all", "off"), (VacancyPublished.template,), order=10)
JOB = Job("reminders_vacancies", vacancy_reminders, {"minutes": 1})
