"""The public-service survey (IKM/SKM, PermenPANRB 14/2017): units, responses, reports, QR codes.

A person answers the nine elements for one service unit; the answers travel in the
conversation state and are stored in one insert at the end, so an abandoned survey leaves
nothing half-counted. One response per person per unit per local day (the deployment's
time zone), enforced by a unique key so two concurrent submits cannot both count.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from db.models import Agency, ServiceUnit
from db.uow import UnitOfWork
from services import ikm, qr
from services.errors import Forbidden, InvalidInput, NotFound
from services.roles import ADMINS, Role, require_role
from services.users import Person

COMMENT_LIMIT = 1000
UNIT_CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{1,31}$")  # fits `survei_<CODE>` in a 64-char payload
RECENT_COMMENTS = 5

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


@dataclass(frozen=True)
class Period:
    """Local calendar days, both ends included."""

    start: date
    end: date

    @property
    def token(self) -> str:
        """Compact form for callback data: `20260101-20261231`."""
        return f"{self.start:%Y%m%d}-{self.end:%Y%m%d}"

    @property
    def year(self) -> int | None:
        """The year when the period is exactly one calendar year."""
        whole = self.start == date(self.start.year, 1, 1) and self.end == date(self.start.year, 12, 31)
        return self.start.year if whole else None

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def from_token(cls, token: str) -> Period:
        m = re.fullmatch(r"(\d{8})-(\d{8})", token)
        if not m:
            raise InvalidInput("survey.bad_period")
        return _period(_day(m.group(1), "%Y%m%d"), _day(m.group(2), "%Y%m%d"))


@dataclass(frozen=True)
class Submitted:
    unit: UnitView
    local_date: date


@dataclass(frozen=True)
class UnitIkm:
    unit: UnitView
    period: Period
    result: ikm.IkmResult | None  # None: no responses in the period

    @property
    def responses(self) -> int:
        return self.result.responses if self.result else 0


@dataclass(frozen=True)
class UnitDetail:
    ikm: UnitIkm
    comments: list[tuple[date, str]]  # newest first, anonymous


def _view(unit: ServiceUnit, agency: Agency) -> UnitView:
    return UnitView(unit.id, unit.code, unit.name, unit.agency_id, agency.code, agency.name)


def local_day(now: datetime, tz: ZoneInfo) -> date:
    """The deployment's calendar day at `now`, which is what "one response per day" counts."""
    return now.astimezone(tz).date()


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


# --- responding ----------------------------------------------------------------------------

async def start(uow: UnitOfWork, person: Person, code: str, *, now: datetime, tz: ZoneInfo) -> UnitView:
    """Open a survey for a unit: the unit must exist and the person not have answered it today."""
    unit = await unit_by_code(uow, code)
    await _not_answered_today(uow, person, unit, local_day(now, tz))
    return unit


async def start_by_id(uow: UnitOfWork, person: Person, unit_id: int, *, now: datetime, tz: ZoneInfo) -> UnitView:
    unit = await unit_by_id(uow, unit_id)
    await _not_answered_today(uow, person, unit, local_day(now, tz))
    return unit


async def _not_answered_today(uow: UnitOfWork, person: Person, unit: UnitView, day: date) -> None:
    if await uow.survey.responded_on(unit.id, person.id, day):
        raise InvalidInput("survey.already_today", unit=unit.name)


def check_answer(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not ikm.MIN_SCORE <= value <= ikm.MAX_SCORE:
        raise InvalidInput("survey.bad_answer")
    return value


def check_comment(text: str | None) -> str | None:
    """The comment as stored: trimmed, None when empty; refused (not cut) above the limit."""
    comment = (text or "").strip()
    if not comment:
        return None
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput("survey.comment_too_long", limit=COMMENT_LIMIT, length=len(comment))
    return comment


async def submit(
    uow: UnitOfWork, person: Person, unit_id: int, answers: list[int], comment: str | None, *,
    now: datetime, tz: ZoneInfo,
) -> Submitted:
    """Store a complete response; refused when the person already answered this unit today."""
    unit = await unit_by_id(uow, unit_id)
    try:
        scores = ikm.validate_answers(answers)
    except ValueError:
        raise InvalidInput("survey.incomplete") from None
    day = local_day(now, tz)
    values: dict[str, object] = {f"q{i}": s for i, s in enumerate(scores, start=1)}
    values.update(unit_id=unit.id, user_id=person.id, local_date=day, comment=check_comment(comment),
                  created_at=now)
    if await uow.survey.add_response_once(values) is None:
        raise InvalidInput("survey.already_today", unit=unit.name)
    return Submitted(unit, day)


# --- reports -------------------------------------------------------------------------------

def parse_period(text: str, today: date) -> Period:
    """`` (this year), `2025`, `2025-03`, or `2025-01-01 2025-06-30` (also with `..`)."""
    words = text.replace("..", " ").split()
    if not words:
        return Period.of_year(today.year)
    if len(words) == 1 and re.fullmatch(r"\d{4}", words[0]):
        return _period(_day(words[0] + "0101", "%Y%m%d"), _day(words[0] + "1231", "%Y%m%d"))
    if len(words) == 1 and re.fullmatch(r"\d{4}-\d{2}", words[0]):
        first = _day(words[0] + "-01", "%Y-%m-%d")
        nxt = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        return _period(first, date.fromordinal(nxt.toordinal() - 1))
    if len(words) == 2:
        return _period(_day(words[0], "%Y-%m-%d"), _day(words[1], "%Y-%m-%d"))
    raise InvalidInput("survey.bad_period")


def _day(text: str, fmt: str) -> date:
    try:
        return datetime.strptime(text, fmt).date()
    except ValueError:
        raise InvalidInput("survey.bad_period") from None


def _period(start: date, end: date) -> Period:
    if not (2000 <= start.year <= 2100 and 2000 <= end.year <= 2100) or start > end:
        raise InvalidInput("survey.bad_period")
    return Period(start, end)


async def _visible_units(uow: UnitOfWork, person: Person) -> list[UnitView]:
    """HR and superadmins see every unit; an officer only their own agency's."""
    require_role(person.role, Role.OFFICER, *ADMINS)
    if person.role == Role.OFFICER:
        if person.agency_id is None:
            return []
        return [_view(u, a) for u, a in await uow.survey.units(agency_id=person.agency_id)]
    return [_view(u, a) for u, a in await uow.survey.units()]


async def _visible_unit(uow: UnitOfWork, person: Person, unit_id: int) -> UnitView:
    require_role(person.role, Role.OFFICER, *ADMINS)
    unit = await unit_by_id(uow, unit_id)
    if person.role == Role.OFFICER and unit.agency_id != person.agency_id:
        raise Forbidden("error.forbidden")
    return unit


async def ikm_report(uow: UnitOfWork, person: Person, period: Period) -> list[UnitIkm]:
    """IKM, grade and response count per visible unit for the period."""
    units = await _visible_units(uow, person)
    totals = await uow.survey.totals([u.id for u in units], period.start, period.end)
    out = []
    for unit in units:
        count, sums = totals.get(unit.id, (0, []))
        out.append(UnitIkm(unit, period, ikm.from_totals(sums, count) if count else None))
    return out


async def unit_detail(uow: UnitOfWork, person: Person, unit_id: int, period: Period) -> UnitDetail:
    """One unit's element means, IKM and newest anonymous comments for the period."""
    unit = await _visible_unit(uow, person, unit_id)
    totals = await uow.survey.totals([unit.id], period.start, period.end)
    count, sums = totals.get(unit.id, (0, []))
    comments = await uow.survey.comments(unit.id, period.start, period.end, RECENT_COMMENTS)
    return UnitDetail(UnitIkm(unit, period, ikm.from_totals(sums, count) if count else None), comments)


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
    unit = await _visible_unit(uow, person, unit_id)
    return unit, await _png(unit, bot_username)


async def make_unit_qr(uow: UnitOfWork, unit_code: str, bot_username: str) -> tuple[str, bytes]:
    """For `sapa qr UNITCODE` (trusted, no role check): the unit's name as a file-safe slug, and the PNG."""
    unit = await unit_by_code(uow, unit_code)
    return _slug(unit.name), await _png(unit, bot_username)
