"""An officer hands a report to another agency (disposisi onward) without a round trip via HR.

Returning it to HR ("salah disposisi", with a reason) stays for when the officer does not know
where it belongs. The deadlines do not restart: the citizen's clock runs from filing.
"""

from __future__ import annotations

from datetime import datetime

from db.uow import UnitOfWork
from services.complaints.desk import audit, audit_state, for_staff, staffed_targets
from services.complaints.dto import Routed, RouteTarget
from services.complaints.rules import Status, check
from services.complaints.transitions import reachable_officers, transition
from services.errors import InvalidInput
from services.users import Person


async def forward_targets(uow: UnitOfWork, person: Person, complaint_id: int) -> list[RouteTarget]:
    """Every other active agency, each marked with whether anyone there would be told."""
    c, actor = await for_staff(uow, person, complaint_id)
    check("forward", c.status, actor)
    return await staffed_targets(uow, besides=c.agency_id)


async def forward(uow: UnitOfWork, person: Person, complaint_id: int, agency_id: int, *, now: datetime) -> Routed:
    c, actor = await for_staff(uow, person, complaint_id, lock=True)
    check("forward", c.status, actor)  # officers of the holding agency only, while it is being worked on
    agency = await uow.agencies.get(agency_id)
    if agency is None or not agency.active:
        raise InvalidInput("cx.err.agency_gone")
    if agency.id == c.agency_id:
        raise InvalidInput("cx.err.same_agency")
    before = audit_state(c)
    if c.status == Status.DITERIMA:  # looked at and found to be another agency's: that is a verification
        await transition(uow, c, "verify", actor, actor_id=person.id, now=now, notify=False)
    await transition(uow, c, "forward", actor, actor_id=person.id, now=now, agency_id=agency.id)
    audit(uow, person, "complaint.forward", c, before, now=now, agency=agency.code)
    return Routed(agency.name, len(await reachable_officers(uow, agency.id)))
