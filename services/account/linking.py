"""Linking a chat account to an employee record: NIP, then the person's own phone or HR's code.

One employee ↔ one chat account: a record linked elsewhere is refused ("contact BKPSDM") and
only HR releases it. Logs carry masked NIPs only.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime

from db.models import Employee
from db.uow import UnitOfWork
from services import civil_service as cs
from services.account import attempts, codes
from services.account import nip as nips
from services.errors import DomainError, InvalidInput, NotFound
from services.roles import Role
from services.users import Person

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LinkedEmployee:
    nip_masked: str
    name: str
    agency: str | None
    golongan: str | None
    pangkat: str | None  # the golongan's name: "Penata Muda Tingkat I"
    jabatan: str | None
    employment: str
    years_of_service: int | None  # from the TMT (PNS: read from the NIP when HR's file has none)


async def _linked(uow: UnitOfWork, emp: Employee, today: date) -> LinkedEmployee:
    agency = await uow.agencies.get(emp.agency_id) if emp.agency_id else None
    rec = cs.record(emp.id, emp.nip, emp.agency_id, emp.golongan, emp.jabatan_kind, emp.employment,
                    emp.birth_date, emp.tmt)
    return LinkedEmployee(nips.mask(emp.nip), emp.name, agency.name if agency else None, emp.golongan,
                          cs.PANGKAT.get(emp.golongan or ""), emp.jabatan, emp.employment,
                          rec.years_of_service_on(today))


async def may_link(uow: UnitOfWork, person: Person, now: datetime) -> None:
    """Locked (with the time left) while this chat's failures keep linking shut."""
    await attempts.check(uow, person, now)


async def find_for_link(uow: UnitOfWork, person: Person, raw_nip: str, now: datetime) -> str:
    """Step one: a well-formed NIP that HR has imported."""
    await attempts.check(uow, person, now)
    _not_linked(person)
    nip = nips.clean(raw_nip)
    if len(nip) != 18:
        raise InvalidInput("nip.bad_length", length=len(nip))
    emp = await uow.employees.by_nip(nip)
    if emp is None:
        log.info("link: user %s typed a NIP not on file (%s)", person.id, nips.mask(nip))
        raise await attempts.fail(uow, person, now, "link.nip_unknown")
    nips.validate(nip, emp.employment)
    return nip


async def link(uow: UnitOfWork, person: Person, nip: str, *, phone: str | None, contact_user_id: int | None,
               now: datetime) -> LinkedEmployee:
    """Step two: the person's own verified phone must be the one HR has on record."""
    await attempts.check(uow, person, now)
    _not_linked(person)
    if contact_user_id != person.external_id:
        raise InvalidInput("link.not_own_contact")
    emp = await _employee(uow, nip)
    if not emp.phone or nips.normalise_phone(phone) != emp.phone:
        uow.audit.record(f"user:{person.id}", "employee.link_refused", f"employee:{emp.id}", actor_user_id=person.id)
        log.info("link: phone does not match %s for user %s", nips.mask(emp.nip), person.id)
        raise await attempts.fail(uow, person, now, "link.phone_mismatch")
    return await _attach(uow, person, emp, now, via="contact", phone=emp.phone)


async def link_with_code(uow: UnitOfWork, person: Person, nip: str, raw_code: str, now: datetime) -> LinkedEmployee:
    """Step two without a matching phone: the one-time code HR issued for this employee."""
    await attempts.check(uow, person, now)
    _not_linked(person)
    code = codes.normalise(raw_code)
    if code is None:
        raise InvalidInput("link.code_format")
    emp = await _employee(uow, nip)
    outcome = await codes.redeem(uow, emp.id, code, now)
    if outcome != "ok":
        uow.audit.record(f"user:{person.id}", "employee.code_refused", f"employee:{emp.id}", actor_user_id=person.id,
                         reason=outcome)
        log.info("link: %s activation code for %s from user %s", outcome, nips.mask(emp.nip), person.id)
        raise await attempts.fail(uow, person, now, f"link.code_{outcome}")
    return await _attach(uow, person, emp, now, via="code")


def _not_linked(person: Person) -> None:
    if person.employee_id is not None:
        raise DomainError("link.already_linked")


async def _employee(uow: UnitOfWork, nip: str) -> Employee:
    emp = await uow.employees.by_nip(nips.clean(nip))
    if emp is None:
        raise NotFound("link.nip_unknown")
    return emp


async def _attach(uow: UnitOfWork, person: Person, emp: Employee, now: datetime, *, via: str,
                  phone: str | None = None) -> LinkedEmployee:
    holder = await uow.linking.holder(emp.id)
    if holder is not None and holder.id != person.id:
        # Proven, but the record is someone else's link: only HR can release it.
        uow.audit.record(f"user:{person.id}", "employee.link_taken", f"employee:{emp.id}", actor_user_id=person.id)
        log.info("link: %s is linked to another account; user %s refused", nips.mask(emp.nip), person.id)
        raise DomainError("link.taken")
    values: dict[str, object] = {"employee_id": emp.id}
    if phone:
        values["phone"] = phone
    if person.role == Role.CITIZEN:
        values["role"] = Role.ASN
    await uow.users.update(person.id, **values)
    await attempts.succeed(uow, person)
    uow.audit.record(f"user:{person.id}", "employee.link", f"employee:{emp.id}", actor_user_id=person.id, via=via)
    log.info("link: user %s linked to %s (%s)", person.id, nips.mask(emp.nip), via)
    return await _linked(uow, emp, now.date())


async def profile(uow: UnitOfWork, person: Person, today: date) -> LinkedEmployee | None:
    """The person's own record, or None when they are not linked."""
    if person.employee_id is None:
        return None
    emp = await uow.employees.get(person.employee_id)
    return await _linked(uow, emp, today) if emp else None


async def unlink(uow: UnitOfWork, person: Person) -> str:
    """The person lets go of their record; an ASN becomes a citizen again (staff keep their role).

    Returns the person's role afterwards.
    """
    if person.employee_id is None:
        raise DomainError("link.not_linked")
    role = Role.CITIZEN if person.role == Role.ASN else person.role
    await uow.users.update(person.id, employee_id=None, role=role)
    uow.audit.record(f"user:{person.id}", "employee.unlink", f"employee:{person.employee_id}",
                     actor_user_id=person.id)
    log.info("link: user %s unlinked employee %s", person.id, person.employee_id)
    return role


@dataclass(frozen=True)
class Released:
    name: str
    nip_masked: str
    external_id: int | None  # the chat account it was linked to; None: it was not linked


async def release(uow: UnitOfWork, actor: Person | str, nip: str) -> Released:
    """HR frees an employee record linked to a chat account (lost phone, wrong person): audited."""
    label, actor_id = codes.actor_label(actor)
    emp = await _employee(uow, nip)
    holder = await uow.linking.holder(emp.id)
    before = {"user": holder.id, "role": holder.role} if holder else {"user": None}
    if holder is not None:
        await uow.users.unlink_employee(emp.id, keep_user_id=0, asn_role=Role.ASN.value,
                                        citizen_role=Role.CITIZEN.value)
    after = {"user": None, "role": Role.CITIZEN.value if before.get("role") == Role.ASN else before.get("role")}
    uow.audit.record(label, "employee.release", f"employee:{emp.id}", actor_user_id=actor_id,
                     user=holder.id if holder else None, before=before, after=after if holder else before)
    log.info("link: %s released by %s", nips.mask(emp.nip), label)
    return Released(emp.name, nips.mask(emp.nip), holder.external_id if holder else None)
