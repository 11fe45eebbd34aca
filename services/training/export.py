"""Who signed up for a training: the list HR marks attendance from, and the roster its XLSX
export is built from (in HR's language, by handlers/training/admin/sheet.py).

HR sees full NIPs (BKPSDM's own data); the export is audited since it carries personal data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.training.manage import get_training, require_hr
from services.users import Person

ORDER = {"seat": 0, "attended": 0, "waiting": 1, "cancelled": 2}


@dataclass(frozen=True)
class Participant:
    employee_id: int
    nip: str
    name: str
    agency: str | None
    golongan: str | None
    jabatan: str | None
    employment: str
    status: str  # seat | waiting | attended | cancelled
    queued_at: datetime
    position: int | None  # on the waiting list, 1 = next


@dataclass(frozen=True)
class Roster:
    training_id: int
    code: str
    jp: int
    people: tuple[Participant, ...]

    def credited_jp(self, p: Participant) -> int:
        """The JP a person earns from this training: only attending counts."""
        return self.jp if p.status == "attended" else 0


async def participants(uow: UnitOfWork, actor: Person, training_id: int) -> list[Participant]:
    """Seats and attendees first, then the waiting list in order, then who cancelled."""
    require_hr(actor)
    await get_training(uow, training_id)
    out: list[Participant] = []
    waiting = 0
    for e, emp, agency in await uow.training_admin.participants(training_id):
        position = None
        if e.status == "waiting":
            waiting += 1
            position = waiting
        out.append(Participant(emp.id, emp.nip, emp.name, agency, emp.golongan, emp.jabatan, emp.employment,
                               e.status, e.queued_at, position))
    return sorted(out, key=lambda p: ORDER.get(p.status, 3))  # stable: queue order within a status


async def roster(uow: UnitOfWork, actor: Person, training_id: int) -> Roster:
    """Everyone on the list, for the XLSX the handler builds in HR's language. Audited here: the
    file carries personal data (full NIPs), and the record commits with the reply that carries it."""
    label, actor_id = actor_label(actor)
    t = await get_training(uow, training_id)
    people = await participants(uow, actor, training_id)
    uow.audit.record(label, "training.export", f"training:{t.id}", actor_user_id=actor_id, rows=len(people))
    return Roster(t.id, t.code, t.jp, tuple(people))
