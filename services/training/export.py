"""Who signed up for a training: the list HR marks attendance from, and its XLSX export.

HR sees full NIPs (BKPSDM's own data); the export is audited since it carries personal data.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.training.manage import get_training, require_hr
from services.users import Person
from services.xlsx import Column, Sheet, today_stamp, workbook

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
class Export:
    filename: str
    content: bytes
    rows: int


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


COLUMNS = (Column("No", "int"), Column("NIP"), Column("Nama"), Column("OPD"), Column("Golongan"), Column("Jabatan"),
           Column("PNS/PPPK"), Column("Status"), Column("Posisi tunggu", "int"), Column("Mendaftar", "datetime"),
           Column("JP", "int"))
STATUS = {"seat": "terdaftar", "waiting": "daftar tunggu", "attended": "hadir", "cancelled": "batal"}


async def participants_xlsx(uow: UnitOfWork, actor: Person, training_id: int, now: datetime, tz: ZoneInfo) -> Export:
    """The participant list as XLSX: typed cells (numbers, local times), NIPs as text."""
    label, actor_id = actor_label(actor)
    t = await get_training(uow, training_id)
    people = await participants(uow, actor, training_id)
    rows = [(i, p.nip, p.name, p.agency, p.golongan, p.jabatan, p.employment, STATUS.get(p.status, p.status),
             p.position, p.queued_at, t.jp if p.status == "attended" else 0) for i, p in enumerate(people, 1)]
    sheet = Sheet(f"Peserta {t.code}", COLUMNS, rows)
    content = await asyncio.to_thread(workbook, [sheet], tz=tz)
    uow.audit.record(label, "training.export", f"training:{t.id}", actor_user_id=actor_id, rows=len(rows))
    return Export(f"peserta-{t.code}-{today_stamp(now, tz)}.xlsx", content, len(rows))
