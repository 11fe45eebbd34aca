"""Set-based queries behind the reports' section of `/statistik` and its reports export.

Every query takes a UTC half-open window `[since, until)` on the report's filing time and an
optional agency (None: every agency, including reports no agency holds yet). Only the
first-response query returns one row per report, because percentiles need the durations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, Subquery, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from db.dialect import Columns
from db.models import Agency, Complaint, ComplaintEvent, User
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


class ComplaintStatsRepo(Repo):
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
