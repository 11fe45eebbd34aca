"""The pushes about reports, as typed notices (rendered in handlers/complaints/views.py).

Template names are the ones rows already carry in the database: rows outlive code, so a
name never changes. Fields with a default are the ones older rows may lack; the others every
row has always had. Staff notices carry the same fields whatever their template, as they
always did, so one helper builds them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from services.complaints.rules import OPEN
from services.notice import Notice

if TYPE_CHECKING:  # dto imports transitions, which imports this module
    from db.uow import UnitOfWork
    from services.complaints.dto import Receipt


# --- to the staff who must act (notify_staff)

class NewReport(Notice, template="cx.new"):
    id: int
    number: str
    kind: str = "pengaduan"
    excerpt: str = ""
    note: str = ""
    detail: str = ""
    unstaffed: str | None = None  # the agency's name when it has no officer: HR got it instead


class ReturnedReport(Notice, template="cx.returned"):
    id: int
    number: str
    kind: str = "pengaduan"
    excerpt: str = ""
    note: str = ""
    detail: str = ""


class ReopenedReport(Notice, template="cx.reopened"):
    id: int
    number: str
    kind: str = "pengaduan"
    excerpt: str = ""
    note: str = ""
    detail: str = ""  # the citizen's verdict: fixed, partly, not


class CitizenReply(Notice, template="cx.reply"):
    id: int
    number: str
    kind: str = "pengaduan"
    excerpt: str = ""
    note: str = ""
    detail: str = ""


StaffNotice = NewReport | ReturnedReport | ReopenedReport | CitizenReply


# --- to the reporter and the followers (_notify_citizens)

class StatusChanged(Notice, template="cx.status"):
    id: int
    number: str
    status: str
    action: str = ""
    note: str = ""
    detail: str = ""
    merged: str = ""  # the report it was merged into


class Answered(Notice, template="cx.answer"):
    id: int
    number: str
    status: str = ""
    action: str = ""
    note: str = ""
    detail: str = ""
    merged: str = ""


class FollowedChanged(Notice, template="cx.followed"):
    id: int
    number: str
    status: str
    action: str = ""
    note: str = ""
    detail: str = ""
    merged: str = ""


CitizenNotice = StatusChanged | Answered | FollowedChanged


class InfoRequested(Notice, template="cx.ask"):
    """The agency asks the reporter for more: their answer is a reply to the report."""

    id: int
    number: str
    note: str  # the officer's question


class RateRequest(Notice, template="cx.rate"):
    id: int
    number: str


class HeldReceipt(Notice, template="cx.receipt"):
    """The receipt, held in the outbox until its direct reply is known to have arrived."""

    id: int
    number: str
    kind: str
    privacy: str
    response_days: int
    response_due_at: str  # ISO 8601 with offset: the row is JSON
    resolve_days: int
    resolve_due_at: str
    tz: str  # the deployment's zone, so the dates read as the reply did
    agency: str | None = None

    @classmethod
    def of(cls, r: Receipt, tz: str) -> HeldReceipt:
        return cls(id=r.id, number=r.number, kind=r.kind, privacy=r.privacy, agency=r.agency,
                   response_days=r.response_days, response_due_at=r.response_due_at.isoformat(),
                   resolve_days=r.resolve_days, resolve_due_at=r.resolve_due_at.isoformat(), tz=tz)


def still_relevant(notice: Notice, report: tuple[str, int | None] | None) -> bool:
    """A missed notice about a report, given the report's (status, rating) now (None: it is gone):
    worth sending while the report is open; the rating request while the report is unrated."""
    if report is None:
        return False
    status, rating = report
    return rating is None if isinstance(notice, RateRequest) else status in OPEN


async def _while_the_report_matters(uow: UnitOfWork, notices: Sequence[Notice]) -> list[bool]:
    ids = [getattr(n, "id") for n in notices]  # noqa: B009 - every type given this check has an id
    reports = await uow.complaints.status_and_rating(ids)
    return [still_relevant(n, reports.get(i)) for n, i in zip(notices, ids, strict=True)]


for _kind in (NewReport, ReturnedReport, ReopenedReport, CitizenReply, StatusChanged, Answered, FollowedChanged,
              InfoRequested, RateRequest, HeldReceipt):
    _kind.missed = _while_the_report_matters
