"""HR's side of account linking in the chat: look up a record, issue or revoke its activation
code, release it from a lost account. The CLI (`sapa admin code|release`) and the chat share
`codes.issue_code` and `linking.release`; the role is checked before anything is read.

Revoking deletes the unused codes of the employee (as a new code already did): a revoked code
then reads as a wrong code to whoever types it, which tells a finder of a lost letter nothing.
Used codes stay as the record of how the account was linked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from db.models import Employee
from db.uow import UnitOfWork
from services.account import codes, linking
from services.account import nip as nips
from services.account.codes import IssuedCode, actor_label
from services.account.linking import Released
from services.errors import DomainError, InvalidInput, NotFound
from services.roles import Role, require_role
from services.users import Person

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkCard:
    """What HR sees of one employee's link (HR may see the full NIP)."""

    employee_id: int
    nip: str
    name: str
    agency: str | None
    linked_to: str | None  # the chat account's name, if linked
    code_expires_at: datetime | None  # an unused, unexpired code
    codes_used: int


async def _employee(uow: UnitOfWork, employee_id: int) -> Employee:
    emp = await uow.employees.get(employee_id)
    if emp is None:
        raise NotFound("link.nip_unknown")
    return emp


async def find(uow: UnitOfWork, actor: Person, raw_nip: str, now: datetime) -> LinkCard:
    """The record of an 18-digit NIP HR typed."""
    require_role(actor.role, Role.HR)
    nip = nips.clean(raw_nip)
    if len(nip) != 18:
        raise InvalidInput("nip.bad_length", length=len(nip))
    emp = await uow.employees.by_nip(nip)
    if emp is None:
        raise NotFound("link.nip_unknown")
    return await _card(uow, emp, now)


async def card(uow: UnitOfWork, actor: Person, employee_id: int, now: datetime) -> LinkCard:
    require_role(actor.role, Role.HR)
    return await _card(uow, await _employee(uow, employee_id), now)


async def _card(uow: UnitOfWork, emp: Employee, now: datetime) -> LinkCard:
    agency = await uow.agencies.get(emp.agency_id) if emp.agency_id else None
    holder = await uow.linking.holder(emp.id)
    rows = await uow.linking.codes_of(emp.id)
    live = [r.expires_at for r in rows if r.used_at is None and r.expires_at > now]
    return LinkCard(emp.id, emp.nip, emp.name, agency.name if agency else None,
                    (holder.name or str(holder.external_id)) if holder else None, max(live) if live else None,
                    sum(1 for r in rows if r.used_at is not None))


async def issue(uow: UnitOfWork, actor: Person, employee_id: int, now: datetime) -> IssuedCode:
    """A new code (72 hours); the plain code is in the result only. Audited by `issue_code`."""
    require_role(actor.role, Role.HR)
    emp = await _employee(uow, employee_id)
    return await codes.issue_code(uow, actor, emp.nip, now)


async def revoke(uow: UnitOfWork, actor: Person, employee_id: int, now: datetime) -> int:
    """The employee's unused codes stop working; how many there were. Audited."""
    label, actor_id = actor_label(actor)
    emp = await _employee(uow, employee_id)
    before = [r for r in await uow.linking.codes_of(emp.id) if r.used_at is None]
    if not any(r.expires_at > now for r in before):
        raise DomainError("akn.err.no_code")
    dropped = await uow.linking.drop_unused_codes(emp.id)
    uow.audit.record(label, "employee.code_revoked", f"employee:{emp.id}", actor_user_id=actor_id,
                     before={"unused_codes": len(before),
                             "expires_at": [r.expires_at.isoformat() for r in before]},
                     after={"unused_codes": 0})
    log.info("activation codes revoked for %s by %s", nips.mask(emp.nip), label)
    return dropped


async def release(uow: UnitOfWork, actor: Person, employee_id: int) -> Released:
    """Free the record from the account it is linked to; refused when it is not linked."""
    require_role(actor.role, Role.HR)
    emp = await _employee(uow, employee_id)
    holder = await uow.linking.holder(emp.id)
    if holder is None:
        raise DomainError("akn.err.not_linked")
    return await linking.release(uow, actor, emp.nip)  # audited there, with the account before and after
