"""Set-based queries behind `/statistik` and its exports: counts are grouped in the database.

Every query takes a UTC half-open window `[since, until)` on the report's filing time and an
optional agency (None: every agency, including reports no agency holds yet). Only the
first-response query returns one row per report, because percentiles need the durations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, Subquery, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from db.dialect import Columns
from db.models import (
    Agency,
    Complaint,
    ComplaintEvent,
    Employee,
    Enrolment,
    ServiceUnit,
    SurveyResponse,
    Training,
    User,
)
from db.repositories.base import Repo

STAFF_ROLES = ("officer", "hr")  # ComplaintEvent.actor_role of a response by the government


@dataclass(frozen=True)
class ResponseRow:
    agency_id: int | None
    created_at: datetime
    response_due_at: datetime
    first_response_at: datetime | None


@dataclass(frozen=True)
class Outcomes:
    answered: int  # reports answered at least once
    reopened: int  # of those, reopened at least once
    ratings: int
    rating_sum: int


@dataclass(frozen=True)
class ReportExportRow:
    complaint: Complaint
    agency_name: str | None
    reporter: User | None
    first_response_at: datetime | None


def _window(stmt: Select[*Columns], since: datetime, until: datetime, agency_id: int | None,
            ) -> Select[*Columns]:
    stmt = stmt.where(Complaint.created_at >= since, Complaint.created_at < until)
    return stmt.where(Complaint.agency_id == agency_id) if agency_id is not None else stmt


def _first_response() -> Subquery:
    return (select(ComplaintEvent.complaint_id.label("cid"), func.min(ComplaintEvent.at).label("first_at"))
            .where(ComplaintEvent.actor_role.in_(STAFF_ROLES), ComplaintEvent.to_status.is_not(None))
            .group_by(ComplaintEvent.complaint_id).subquery())


class StatisticsRepo(Repo):
    async def report_counts(self, since: datetime, until: datetime, agency_id: int | None,
                            ) -> list[tuple[int | None, str, str, int]]:
        """(agency id, kind, status, count) of the reports filed in the window."""
        stmt = _window(select(Complaint.agency_id, Complaint.kind, Complaint.status, func.count(Complaint.id)),
                       since, until, agency_id).group_by(Complaint.agency_id, Complaint.kind, Complaint.status)
        return [(a, k, s, int(n)) for a, k, s, n in (await self.session.execute(stmt)).all()]

    async def first_responses(self, since: datetime, until: datetime, agency_id: int | None) -> list[ResponseRow]:
        """Per report filed in the window: when it was filed, due, and first moved by staff (None: not yet)."""
        fr = _first_response()
        stmt = _window(select(Complaint.agency_id, Complaint.created_at, Complaint.response_due_at, fr.c.first_at)
                       .outerjoin(fr, fr.c.cid == Complaint.id), since, until, agency_id)
        return [ResponseRow(*r) for r in (await self.session.execute(stmt)).all()]

    async def outcomes(self, since: datetime, until: datetime, agency_id: int | None) -> Outcomes:
        """Answered, reopened (of the answered) and the ratings of the reports filed in the window."""
        reopened = exists().where(ComplaintEvent.complaint_id == Complaint.id, ComplaintEvent.action == "reopen")
        stmt = _window(select(
            func.count(Complaint.answered_at),
            func.coalesce(func.sum(case((and_(Complaint.answered_at.is_not(None), reopened), 1), else_=0)), 0),
            func.count(Complaint.rating), func.coalesce(func.sum(Complaint.rating), 0)), since, until, agency_id)
        a, r, n, s = (await self.session.execute(stmt)).one()
        return Outcomes(int(a), int(r), int(n), int(s))

    async def jp_coverage(self, since: datetime, until: datetime, agency_id: int | None,
                          targets: Mapping[str, int], default_target: int) -> list[tuple[int | None, int, int]]:
        """(agency id, employees, employees whose attended JP in the window reach their target).

        `targets` maps an employment (PNS, PPPK) to its yearly target; a training counts in the
        window its end falls in. The capped PPPK count never exceeds its target, so comparing the
        raw total with the target gives the same answer as comparing the counted JP."""
        jp = (select(Enrolment.employee_id.label("eid"), func.sum(Training.jp).label("jp"))
              .join(Training, Training.id == Enrolment.training_id)
              .where(Enrolment.status == "attended", Training.ends_at >= since, Training.ends_at < until)
              .group_by(Enrolment.employee_id).subquery())
        target = case(*((Employee.employment == k, v) for k, v in targets.items()), else_=default_target)
        reached = func.sum(case((func.coalesce(jp.c.jp, 0) >= target, 1), else_=0))
        stmt = (select(Employee.agency_id, func.count(Employee.id), reached)
                .outerjoin(jp, jp.c.eid == Employee.id).group_by(Employee.agency_id))
        if agency_id is not None:
            stmt = stmt.where(Employee.agency_id == agency_id)
        return [(a, int(n), int(k or 0)) for a, n, k in (await self.session.execute(stmt)).all()]

    async def report_rows(self, since: datetime, until: datetime, agency_id: int | None, limit: int,
                          ) -> list[ReportExportRow]:
        """The reports filed in the window with their agency, reporter and first response, oldest first."""
        fr = _first_response()
        reporter = aliased(User)
        stmt = _window(select(Complaint, Agency.name, reporter, fr.c.first_at)
                       .outerjoin(Agency, Agency.id == Complaint.agency_id)
                       .outerjoin(reporter, reporter.id == Complaint.reporter_id)
                       .outerjoin(fr, fr.c.cid == Complaint.id), since, until, agency_id)
        rows = (await self.session.execute(stmt.order_by(Complaint.created_at, Complaint.id).limit(limit))).all()
        return [ReportExportRow(c, name, u, first) for c, name, u, first in rows]

    async def survey_rows(self, start: date, end: date, agency_id: int | None, limit: int,
                          ) -> list[tuple[SurveyResponse, str, str, str]]:
        """(response, unit code, unit name, agency name) between two local dates inclusive, oldest first."""
        stmt = (select(SurveyResponse, ServiceUnit.code, ServiceUnit.name, Agency.name)
                .join(ServiceUnit, ServiceUnit.id == SurveyResponse.unit_id)
                .join(Agency, Agency.id == ServiceUnit.agency_id)
                .where(SurveyResponse.local_date >= start, SurveyResponse.local_date <= end))
        if agency_id is not None:
            stmt = stmt.where(ServiceUnit.agency_id == agency_id)
        stmt = stmt.order_by(SurveyResponse.local_date, SurveyResponse.id).limit(limit)
        return [(r, code, name, agency) for r, code, name, agency in (await self.session.execute(stmt)).all()]

    async def agency_labels(self, ids: Sequence[int] | None = None) -> dict[int, tuple[str, str]]:
        """id → (code, short name or name) of every agency (or of `ids`), active or not: old reports name them."""
        stmt = select(Agency.id, Agency.code, func.coalesce(Agency.short_name, Agency.name))
        if ids is not None:
            stmt = stmt.where(Agency.id.in_(list(ids)))
        return {i: (c, n) for i, c, n in (await self.session.execute(stmt)).all()}
