"""Who may sign up for a training: each rule of its eligibility, and what a person misses."""

from __future__ import annotations

from dataclasses import dataclass

from db.models.training import Training
from db.uow import UnitOfWork
from services import civil_service as cs
from services.errors import DomainError
from services.users import Person


class NotLinked(DomainError):
    """The person has no employee record linked: training is for civil servants."""


class NotEligible(DomainError):
    def __init__(self, unmet: tuple[Unmet, ...]) -> None:
        super().__init__("tr.err.not_eligible")
        self.unmet = unmet


@dataclass(frozen=True)
class Unmet:
    """One rule the person does not meet: `need` is what the training asks, `have` what they are."""

    rule: str  # min_golongan | max_golongan | jabatan | agency | employment
    need: tuple[str, ...]
    have: str | None


async def record_of(uow: UnitOfWork, person: Person) -> cs.Record:
    if person.employee_id is None:
        raise NotLinked("tr.err.not_linked")
    emp = await uow.employees.get(person.employee_id)
    if emp is None:
        raise NotLinked("tr.err.not_linked")
    return cs.record(emp.id, emp.nip, emp.agency_id, emp.golongan, emp.jabatan_kind, emp.employment,
                     emp.birth_date, emp.tmt)


def unmet(t: Training, r: cs.Record, agency_names: dict[int, str]) -> tuple[Unmet, ...]:
    """Every rule of `t` that `r` fails, in a fixed order; empty: eligible."""
    out: list[Unmet] = []
    if t.min_golongan and not cs.at_least(r.golongan, t.min_golongan):
        out.append(Unmet("min_golongan", (t.min_golongan,), r.golongan))
    if t.max_golongan and not cs.at_most(r.golongan, t.max_golongan):
        out.append(Unmet("max_golongan", (t.max_golongan,), r.golongan))
    if t.jabatan_kinds and (r.jabatan_kind is None or r.jabatan_kind.value not in t.jabatan_kinds):
        out.append(Unmet("jabatan", tuple(t.jabatan_kinds), r.jabatan_kind.value if r.jabatan_kind else None))
    if t.agency_ids and r.agency_id not in t.agency_ids:
        out.append(Unmet("agency", tuple(agency_names.get(a, "?") for a in t.agency_ids),
                         agency_names.get(r.agency_id) if r.agency_id else None))
    if t.employment and r.employment != t.employment:
        out.append(Unmet("employment", (t.employment,), r.employment.value))
    return tuple(out)
