"""The vacancies' reminder scans: published, closing, drafts missing documents, predikat history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy import select

from db.models import Appraisal, Vacancy, VacancyApplication, VacancyDocument
from db.repositories.base import Repo


class VacancyReminderRepo(Repo):
    async def vacancies_published(self, now: datetime, since: datetime) -> list[Vacancy]:
        """Published, open by `now` (or opening), not closed, published or opened after `since`."""
        stmt = (select(Vacancy).where(Vacancy.published_at.is_not(None), Vacancy.published_at <= now,
                                      Vacancy.opens_at <= now, Vacancy.closes_at > now,
                                      (Vacancy.published_at > since) | (Vacancy.opens_at > since))
                .order_by(Vacancy.id))
        return list((await self.session.execute(stmt)).scalars())

    async def vacancies_closing(self, after: datetime, before: datetime) -> list[Vacancy]:
        stmt = (select(Vacancy).where(Vacancy.published_at.is_not(None), Vacancy.closes_at > after,
                                      Vacancy.closes_at <= before).order_by(Vacancy.id))
        return list((await self.session.execute(stmt)).scalars())

    async def draft_applications(self, vacancy_id: int) -> list[tuple[int, int, set[str]]]:
        """(application id, user id, codes uploaded) of the vacancy's drafts that name who to tell."""
        stmt = select(VacancyApplication.id, VacancyApplication.user_id).where(
            VacancyApplication.vacancy_id == vacancy_id, VacancyApplication.status == "draft",
            VacancyApplication.user_id.is_not(None)).order_by(VacancyApplication.id)
        # The WHERE keeps NULLs out: the cast drops None from the column's type.
        apps = [(int(a), cast(int, u)) for a, u in (await self.session.execute(stmt)).all()]
        codes: dict[int, set[str]] = {a: set() for a, _ in apps}
        if apps:
            docs = select(VacancyDocument.application_id, VacancyDocument.code).where(
                VacancyDocument.application_id.in_(list(codes)))
            for a, c in (await self.session.execute(docs)).all():
                codes[int(a)].add(str(c))
        return [(a, u, codes[a]) for a, u in apps]

    async def predikat_rows(self, employee_ids: Sequence[int] | None = None) -> list[tuple[int, int, str, str]]:
        """(employee id, year, period, predikat) of rated appraisals: the vacancies' predikat rule."""
        stmt = select(Appraisal.employee_id, Appraisal.year, Appraisal.period, Appraisal.predikat).where(
            Appraisal.predikat.is_not(None))
        if employee_ids is not None:
            stmt = stmt.where(Appraisal.employee_id.in_(list(employee_ids)))
        return [(int(e), int(y), str(p), str(k)) for e, y, p, k in (await self.session.execute(stmt)).all()]


    async def drafts_closing(self, employee_id: int, now: datetime) -> list[Vacancy]:
        """What /pengingat lists: vacancies not yet closed where the person has a draft (the first five)."""
        drafts = select(Vacancy).join(VacancyApplication, VacancyApplication.vacancy_id == Vacancy.id).where(
            VacancyApplication.employee_id == employee_id, VacancyApplication.status == "draft",
            Vacancy.closes_at > now).order_by(Vacancy.closes_at).limit(5)
        return list((await self.session.execute(drafts)).scalars())
