"""Employee records: import from CSV/XLSX, and linking a chat account to one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from db.models import Agency, Employee
from db.uow import UnitOfWork
from services import spreadsheet
from services.account import nip as nips
from services.errors import DomainError, InvalidInput, NotFound
from services.roles import Role
from services.spreadsheet import LOST_DIGITS, ImportReport
from services.users import Person

COLUMNS = ("nip", "name", "phone", "agency", "golongan", "jabatan", "employment")
GOLONGAN = tuple(f"{r}/{s}" for r, letters in (("I", "abcd"), ("II", "abcd"), ("III", "abcd"), ("IV", "abcde"))
                 for s in letters)


def read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line number, row) from a .csv or .xlsx file; the header is line 1."""
    return spreadsheet.read_rows(path, COLUMNS)[1]


def _check(row: dict[str, str], agencies: dict[str, Agency]) -> tuple[dict[str, object], str | None]:
    employment = (row.get("employment") or "").upper()
    if employment not in ("PNS", "PPPK"):
        return {}, f"employment must be PNS or PPPK, got {row.get('employment')!r}"
    if row.get("nip") == LOST_DIGITS:
        return {}, "NIP stored as a number lost its last digits; format the NIP column as Text"
    try:
        nip = nips.validate(row.get("nip", ""), employment)
    except InvalidInput as e:
        return {}, f"invalid NIP ({e.code.removeprefix('nip.')})"
    name = (row.get("name") or "").strip()
    if not name:
        return {}, "name is empty"
    agency = agencies.get((row.get("agency") or "").strip().lower())
    if agency is None:
        return {}, f"unknown agency {row.get('agency')!r}"
    roman, _, step = (row.get("golongan") or "").strip().replace(" ", "").partition("/")
    golongan = f"{roman.upper()}/{step.lower()}" if step else roman.upper()
    if golongan and golongan not in GOLONGAN and employment == "PNS":
        return {}, f"unknown golongan {row.get('golongan')!r}"
    return {
        "nip": nip, "name": name[:200], "phone": nips.normalise_phone(row.get("phone")) or None,
        "agency_id": agency.id, "golongan": golongan or None, "jabatan": (row.get("jabatan") or "")[:200] or None,
        "employment": employment,
    }, None


async def import_rows(
    uow: UnitOfWork, rows: list[tuple[int, dict[str, str]]], *, actor: str, actor_user_id: int | None = None,
) -> ImportReport:
    """Good rows are created or updated (by NIP); bad rows are reported by line number."""
    agencies: dict[str, Agency] = {}
    for a in await uow.agencies.all_active():
        agencies[a.code.lower()] = agencies[a.name.lower()] = a
        if a.short_name:
            agencies.setdefault(a.short_name.lower(), a)
    report = ImportReport()
    checked: dict[str, dict[str, object]] = {}
    for line, row in rows:
        values, error = _check(row, agencies)
        if error:
            report.errors.append((line, error))
        elif values["nip"] in checked:
            report.errors.append((line, "NIP repeated in this file"))
        else:
            checked[str(values["nip"])] = values
    existing = await uow.employees.by_nips(list(checked))
    for nip, values in checked.items():
        if emp := existing.get(nip):
            for k, v in values.items():
                setattr(emp, k, v)
            report.updated += 1
        else:
            uow.employees.add(Employee(**values))
            report.created += 1
    uow.audit.record(actor, "employees.import", None, actor_user_id=actor_user_id, created=report.created,
                     updated=report.updated, errors=len(report.errors))
    return report


@dataclass(frozen=True)
class LinkedEmployee:
    nip_masked: str
    name: str
    agency: str | None
    golongan: str | None
    jabatan: str | None
    employment: str


def _linked(emp: Employee, agency: Agency | None) -> LinkedEmployee:
    return LinkedEmployee(nips.mask(emp.nip), emp.name, agency.name if agency else None, emp.golongan,
                          emp.jabatan, emp.employment)


async def find_for_link(uow: UnitOfWork, raw_nip: str) -> str:
    """Step one of linking: a well-formed NIP that HR has imported."""
    nip = nips.clean(raw_nip)
    if len(nip) != 18:
        raise InvalidInput("nip.bad_length", length=len(nip))
    emp = await uow.employees.by_nip(nip)
    if emp is None:
        raise NotFound("link.nip_unknown")
    nips.validate(nip, emp.employment)
    return nip


async def link(
    uow: UnitOfWork, person: Person, nip: str, *, phone: str | None, contact_user_id: int | None,
) -> LinkedEmployee:
    """Step two: the person's own verified phone must be the one HR has on record."""
    if contact_user_id != person.external_id:
        raise InvalidInput("link.not_own_contact")
    emp = await uow.employees.by_nip(nip)
    if emp is None:
        raise NotFound("link.nip_unknown")
    if not emp.phone or nips.normalise_phone(phone) != emp.phone:
        uow.audit.record(f"user:{person.id}", "employee.link_refused", f"employee:{emp.id}", actor_user_id=person.id)
        raise DomainError("link.phone_mismatch")
    if await uow.users.unlink_employee(emp.id, keep_user_id=person.id, asn_role=Role.ASN.value,
                                       citizen_role=Role.CITIZEN.value):
        uow.audit.record(f"user:{person.id}", "employee.link_moved", f"employee:{emp.id}", actor_user_id=person.id)
    values: dict[str, object] = {"employee_id": emp.id, "phone": emp.phone}
    if person.role == Role.CITIZEN:
        values["role"] = Role.ASN
    await uow.users.update(person.id, **values)
    uow.audit.record(f"user:{person.id}", "employee.link", f"employee:{emp.id}", actor_user_id=person.id)
    return _linked(emp, await uow.agencies.get(emp.agency_id) if emp.agency_id else None)


async def linked_employee(uow: UnitOfWork, person: Person) -> LinkedEmployee | None:
    if person.employee_id is None:
        return None
    emp = await uow.employees.get(person.employee_id)
    if emp is None:
        return None
    return _linked(emp, await uow.agencies.get(emp.agency_id) if emp.agency_id else None)


