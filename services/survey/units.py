"""Survey units (IKM/SKM, PermenPANRB 14/2017): the catalogue, who may see which, their QR codes."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime

from db.models import Agency, ServiceUnit
from db.uow import UnitOfWork
from services.errors import Forbidden, InvalidInput, NotFound
from services.roles import ADMINS, Role, require_role
from services.survey import qr
from services.users import Person

UNIT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")  # fits `survei_<CODE>` in a 64-char payload

# Demo units for the seeded agencies: (code, name, agency code).
DEMO_UNITS = [
    ("DUKCAPIL-01", "Loket Pelayanan KTP-el dan Kartu Keluarga", "DUKCAPIL"),
    ("DUKCAPIL-02", "Loket Akta Kelahiran dan Kematian", "DUKCAPIL"),
    ("PKM-LUTIM", "Puskesmas Landasan Ulin Timur", "DINKES"),
    ("PUPR-PBG", "Layanan Persetujuan Bangunan Gedung (PBG)", "PUPR"),
    ("DISHUB-KIR", "Pengujian Kendaraan Bermotor (KIR)", "DISHUB"),
    ("BKPSDM-01", "Layanan Administrasi Kepegawaian", "BKPSDM"),
]


@dataclass(frozen=True)
class UnitView:
    id: int
    code: str
    name: str
    agency_id: int
    agency_code: str
    agency_name: str


def _view(unit: ServiceUnit, agency: Agency) -> UnitView:
    return UnitView(unit.id, unit.code, unit.name, unit.agency_id, agency.code, agency.name)


def normalise_code(raw: str) -> str:
    return raw.strip().upper()


# --- units ---------------------------------------------------------------------------------

async def list_units(uow: UnitOfWork) -> list[UnitView]:
    """Every active unit, for the citizen's choice."""
    return [_view(u, a) for u, a in await uow.survey.units()]


async def unit_by_code(uow: UnitOfWork, code: str) -> UnitView:
    """An active unit by its code (any case); NotFound with the code otherwise."""
    wanted = normalise_code(code)
    found = await uow.survey.unit_by_code(wanted) if UNIT_CODE.match(wanted) else None
    if found is None or not found[0].active:
        raise NotFound("survey.unknown_unit", unit_code=code.strip()[:64])
    return _view(*found)


async def unit_by_id(uow: UnitOfWork, unit_id: int) -> UnitView:
    found = await uow.survey.unit(unit_id)
    if found is None or not found[0].active:
        raise NotFound("survey.unit_gone")
    return _view(*found)


async def create_unit(uow: UnitOfWork, person: Person, code: str, name: str, agency_code: str) -> UnitView:
    """A new unit (HR/superadmin), audited."""
    require_role(person.role, *ADMINS)
    unit = await _add_unit(uow, code, name, agency_code)
    uow.audit.record(f"user:{person.id}", "survey.unit_create", f"unit:{unit.code}", actor_user_id=person.id)
    return unit


async def _add_unit(uow: UnitOfWork, code: str, name: str, agency_code: str) -> UnitView:
    code, name = normalise_code(code), " ".join(name.split())
    if not UNIT_CODE.match(code):
        raise InvalidInput("survey.bad_unit_code", unit_code=code[:64])
    if not 3 <= len(name) <= 200:
        raise InvalidInput("survey.bad_unit_name")
    agency = await uow.agencies.by_code(agency_code)
    if agency is None:
        raise NotFound("survey.unknown_agency", agency=agency_code[:32])
    if await uow.survey.unit_by_code(code) is not None:
        raise InvalidInput("survey.unit_exists", unit_code=code)
    unit = uow.survey.add_unit(ServiceUnit(code=code, name=name, agency_id=agency.id, active=True))
    await uow.flush()
    return _view(unit, agency)


async def seed_units(uow: UnitOfWork) -> None:
    """The demo units, for agencies that exist; idempotent."""
    for code, name, agency_code in DEMO_UNITS:
        if await uow.agencies.by_code(agency_code) and not await uow.survey.unit_by_code(code):
            await _add_unit(uow, code, name, agency_code)


async def seed_demo(uow: UnitOfWork, _now: datetime) -> None:
    """The survey's demo data (services.demo.DemoSeeder): its units."""
    await seed_units(uow)


async def visible_units(uow: UnitOfWork, person: Person) -> list[UnitView]:
    """HR and superadmins see every unit; an officer only their own agency's."""
    require_role(person.role, Role.OFFICER, *ADMINS)
    if person.role == Role.OFFICER:
        if person.agency_id is None:
            return []
        return [_view(u, a) for u, a in await uow.survey.units(agency_id=person.agency_id)]
    return [_view(u, a) for u, a in await uow.survey.units()]


async def visible_unit(uow: UnitOfWork, person: Person, unit_id: int) -> UnitView:
    require_role(person.role, Role.OFFICER, *ADMINS)
    unit = await unit_by_id(uow, unit_id)
    if person.role == Role.OFFICER and unit.agency_id != person.agency_id:
        raise Forbidden("error.forbidden")
    return unit



# --- QR codes ------------------------------------------------------------------------------

def qr_filename(unit: UnitView) -> str:
    """A safe file name: `QR-<CODE>-<Name-in-ASCII>.png`."""
    return f"QR-{unit.code}-{_slug(unit.name)}.png"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:60] or "unit"


async def _png(unit: UnitView, bot_username: str) -> bytes:
    try:
        url = qr.survey_link(bot_username, unit.code)
    except ValueError:
        raise InvalidInput("survey.bad_bot_username") from None
    # Drawing takes tens of milliseconds of CPU: keep the event loop free meanwhile.
    return await asyncio.to_thread(qr.qr_png, url, f"{unit.name}\n{unit.code}")


async def unit_qr(uow: UnitOfWork, person: Person, unit_id: int, bot_username: str) -> tuple[UnitView, bytes]:
    """The counter QR code of a unit the person may report on."""
    unit = await visible_unit(uow, person, unit_id)
    return unit, await _png(unit, bot_username)


async def make_unit_qr(uow: UnitOfWork, unit_code: str, bot_username: str) -> tuple[str, bytes]:
    """For `sapa qr UNITCODE` (trusted, no role check): the unit's name as a file-safe slug, and the PNG."""
    unit = await unit_by_code(uow, unit_code)
    return _slug(unit.name), await _png(unit, bot_username)
