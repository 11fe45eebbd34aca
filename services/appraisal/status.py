"""What a civil servant sees of their own SKP: the current period and the years behind it.

Only the owner: every function here takes the person asking and refuses any record but
their own, whatever id a handler (or a forged button) passes in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import TypeVar
from zoneinfo import ZoneInfo

from db.models import Appraisal, Employee
from db.uow import UnitOfWork
from services import civil_service as cs
from services.appraisal import rules
from services.appraisal.rules import Stage
from services.errors import DomainError, Forbidden, NotFound
from services.users import Person

E = TypeVar("E", bound=Enum)  # Rating, Predikat or Stage


class NotLinked(DomainError):
    """The person has no employee record linked (citizen, or ASN before /tautkan)."""

    def __init__(self) -> None:
        super().__init__("skp.not_linked")


@dataclass(frozen=True)
class PeriodView:
    id: int
    year: int
    period: str  # "2026", "2026-S2", "2026-Q4"
    part: str  # "" annual, "S2", "Q4"
    stage: Stage
    result_rating: cs.Rating | None
    behaviour_rating: cs.Rating | None
    predikat: cs.Predikat | None
    credit_percent: int | None  # JF only, once a predikat exists
    missing: tuple[str, ...]
    deadline: datetime | None  # UTC; the end of the due day in the deployment's zone
    workdays_left: int | None  # after today up to the due day; 0 due today; < 0 late
    overdue: bool
    final: bool

    @property
    def done_stages(self) -> tuple[Stage, ...]:
        return rules.STAGES[:self.stage.position]


@dataclass(frozen=True)
class Overview:
    name: str
    jf: bool
    current: PeriodView | None  # the latest period that is not final
    history: tuple[PeriodView, ...]  # periods with a predikat, newest first


def is_final(a: Appraisal) -> bool:
    """A period is over once it is in tindak lanjut with nothing missing."""
    return a.stage == Stage.TINDAK_LANJUT and not a.missing


def _enum(kind: type[E], value: str | None) -> E | None:
    try:
        return kind(value) if value else None
    except ValueError:  # a value edited by hand in the database: shown as not rated
        return None


def _view(a: Appraisal, jf: bool, now: datetime, tz: ZoneInfo) -> PeriodView:
    pred = _enum(cs.Predikat, a.predikat)
    stage = _enum(Stage, a.stage) or Stage.PERENCANAAN
    left = rules.workdays_left(now, a.deadline, tz) if a.deadline else None
    return PeriodView(
        a.id, a.year, a.period, rules.period_part(a.period), stage, _enum(cs.Rating, a.result_rating),
        _enum(cs.Rating, a.behaviour_rating), pred, pred.credit_percent if (pred and jf) else None,
        tuple(a.missing or ()), a.deadline, left, bool(a.deadline and now > a.deadline), is_final(a))


async def _own_employee(uow: UnitOfWork, person: Person, employee_id: int | None) -> Employee:
    if person.employee_id is None:
        raise NotLinked()
    if employee_id is not None and employee_id != person.employee_id:
        # Nobody reads another person's appraisal here, HR included (their tools are their own).
        raise Forbidden("skp.err.not_yours")
    emp = await uow.employees.get(person.employee_id)
    if emp is None:
        raise NotLinked()
    return emp


def _is_jf(emp: Employee) -> bool:
    rec = cs.record(emp.id, emp.nip, emp.agency_id, emp.golongan, emp.jabatan_kind, emp.employment,
                    emp.birth_date, emp.tmt)
    return bool(rec.jabatan_kind and rec.jabatan_kind.is_jf)


async def overview(uow: UnitOfWork, person: Person, *, now: datetime, tz: ZoneInfo,
                   employee_id: int | None = None) -> Overview:
    """The person's own appraisal; `employee_id`, if given, must be theirs (else Forbidden)."""
    emp = await _own_employee(uow, person, employee_id)
    jf = _is_jf(emp)
    rows = sorted(await uow.appraisals.of_employee(emp.id), key=lambda a: rules.period_order(a.year, a.period),
                  reverse=True)
    views = [_view(a, jf, now, tz) for a in rows]
    current = next((v for v in views if not v.final), None)
    history = tuple(v for v in views if v.predikat is not None and v is not current)
    return Overview(emp.name, jf, current, history)


async def period(uow: UnitOfWork, person: Person, appraisal_id: int, *, now: datetime, tz: ZoneInfo) -> PeriodView:
    """One period of the person's own; someone else's answers exactly like one that does not exist."""
    emp = await _own_employee(uow, person, None)
    a = await uow.appraisals.get(appraisal_id)
    if a is None or a.employee_id != emp.id:
        raise NotFound("skp.err.not_found")
    return _view(a, _is_jf(emp), now, tz)
