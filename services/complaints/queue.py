"""The desk's queue: most urgent first, each with its working days left, filtered and paged,
and the counts for the person's /start.

Officers see only their own agency's reports; HR (BKPSDM) those no agency holds, and those held
where nobody can act (no report is in no queue).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from db.models import Complaint
from db.uow import UnitOfWork
from services import workdays
from services.complaints import rules as complaint_rules
from services.complaints.dto import Page, QueueFilter, ReportLine, agency_names, line, page_of, staff_name
from services.complaints.rules import OPEN, ComplaintKind, Status
from services.complaints.urgency import FIRST_RESPONSE, WAITING, deadline_of, workdays_left
from services.errors import DomainError, InvalidInput
from services.roles import Role, require_role
from services.users import Person

PAGE_SIZE = 8
KINDS = tuple(k.value for k in ComplaintKind)


def _desk_agency(person: Person) -> int | None:
    """The agency whose queue the person works: their own (officer), None for HR's."""
    require_role(person.role, Role.OFFICER, Role.HR)
    if person.role != Role.OFFICER:
        return None
    if person.agency_id is None:
        raise DomainError("cx.err.officer_without_agency")
    return person.agency_id


async def claimant_names(uow: UnitOfWork, rows: list[Complaint]) -> dict[int, str]:
    names: dict[int, str] = {}
    for uid in {c.claimed_by_id for c in rows if c.claimed_by_id}:
        names[uid] = staff_name(await uow.users.get(uid))
    return names


async def queue(uow: UnitOfWork, person: Person, page: int = 1, *, now: datetime, tz: ZoneInfo,
                only: QueueFilter = QueueFilter()) -> Page[ReportLine]:
    """The person's desk, most urgent first: overdue, then by deadline; answered ones last."""
    agency = _desk_agency(person)
    if only.status is not None and only.status not in OPEN:
        raise InvalidInput("cx.err.bad_filter")
    if only.kind is not None and only.kind not in KINDS:
        raise InvalidInput("cx.err.bad_filter")
    statuses = (only.status,) if only.status else OPEN
    page = max(1, page)
    # HR's queue also keeps what sits with an agency that has no officer: no report is in no queue.
    rows, total = await uow.complaints.desk(
        agency, statuses, (page - 1) * PAGE_SIZE, PAGE_SIZE,
        unstaffed_role=Role.OFFICER.value if agency is None else None,
        kinds=(only.kind,) if only.kind else None, first_response=FIRST_RESPONSE, waiting=WAITING)
    pages = max(1, -(-total // PAGE_SIZE))
    if rows == [] and page > pages:  # a stale "next" after the queue shrank: show the last page
        return await queue(uow, person, pages, now=now, tz=tz, only=only)
    names = await agency_names(uow) if agency is None else {}
    claimants = await claimant_names(uow, rows)
    lines = []
    for c in rows:
        due = deadline_of(c)
        lines.append(replace(
            line(c), unstaffed=names.get(c.agency_id, "-") if agency is None and c.agency_id else None,
            deadline=due, days_left=workdays_left(now, due, tz) if due else None,
            claimed_by=claimants.get(c.claimed_by_id) if c.claimed_by_id else None,
            awaiting_info=c.info_requested_at is not None))
    return page_of(lines, page, PAGE_SIZE, total)


@dataclass(frozen=True)
class QueueCounts:
    new: int  # arrived and nobody at this desk has acted on it yet
    due: int  # its deadline falls between now and the end of the next working day
    overdue: int  # its deadline has passed

    @property
    def empty(self) -> bool:
        return not (self.new or self.due or self.overdue)


NEW = (Status.DITERIMA.value, Status.DIDISPOSISIKAN.value)


async def counts(uow: UnitOfWork, person: Person, *, now: datetime, tz: ZoneInfo) -> QueueCounts:
    """What waits at the person's desk (the same reports as `queue`), for their /start; the same
    deadline as the queue's urgency (urgency.deadline_of). Answered reports wait for the citizen."""
    agency = _desk_agency(person)
    horizon = workdays.due_at(now, 1, tz)
    new = due = overdue = 0
    for status, response_due, resolve_due in await uow.complaints.desk_deadlines(
            agency, complaint_rules.WORKING, unstaffed_role=Role.OFFICER.value if agency is None else None):
        deadline = response_due if status in FIRST_RESPONSE else resolve_due
        new += status in NEW
        overdue += deadline < now
        due += now <= deadline <= horizon
    return QueueCounts(new, due, overdue)
