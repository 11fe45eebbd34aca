"""Demo audience for the sandbox (and the broadcast tests and benchmark): linked civil servants
across agencies, ranks, jabatan kinds and PNS/PPPK, and citizens who opted in to news."""

from __future__ import annotations

from datetime import datetime

from db.models import Employee, User
from db.uow import UnitOfWork
from services.broadcasts.audience import CITIZEN_TOPIC
from services.civil_service import GOLONGAN, JabatanKind

DEMO_FIRST_ID = 710_001  # Telegram ids of the demo audience (the sandbox makes them known to the emulator)
DEMO_ASN, DEMO_CITIZENS = 40, 6
KINDS = [JabatanKind.PELAKSANA, JabatanKind.JF_AHLI_PERTAMA, JabatanKind.JF_AHLI_MUDA, JabatanKind.PENGAWAS,
         JabatanKind.ADMINISTRATOR, JabatanKind.JF_TERAMPIL, JabatanKind.JPT_PRATAMA]


async def add_civil_servants(uow: UnitOfWork, n: int, *, first_id: int, now: datetime,
                             agencies: list[str] | None = None) -> list[int]:
    """`n` employees, each with a linked chat account (Telegram id first_id…); returns the user ids."""
    codes = agencies or [a.code for a in await uow.agencies.all_active()]
    ids = {code: (await uow.agencies.by_code(code)).id for code in codes}  # type: ignore[union-attr]  # the demo seeded each: none is None
    user_ids: list[int] = []
    for start in range(0, n, 1000):
        emps = []
        for i in range(start, min(n, start + 1000)):
            pppk = i % 5 == 4
            emps.append(Employee(
                nip=f"{900000000000000000 + first_id + i}", name=f"ASN Demo {i + 1}", phone=None,
                agency_id=ids[codes[i % len(codes)]], golongan=None if pppk else GOLONGAN[4 + i % 12],
                jabatan="Demo", employment="PPPK" if pppk else "PNS", jabatan_kind=str(KINDS[i % len(KINDS)])))
        for e in emps:
            uow.employees.add(e)
        await uow.flush()
        users = [User(channel="telegram", external_id=first_id + start + k, chat_id=first_id + start + k,
                      name=e.name, role="asn", employee_id=e.id, state_data={}, created_at=now, last_seen_at=now)
                 for k, e in enumerate(emps)]
        for u in users:
            uow.users.add(u)
        await uow.flush()
        user_ids += [u.id for u in users]
    return user_ids


async def add_citizens(uow: UnitOfWork, n: int, *, first_id: int, now: datetime) -> list[int]:
    """`n` citizens who opted in to government news (/kabar)."""
    users = [User(channel="telegram", external_id=first_id + i, chat_id=first_id + i, name=f"Warga Demo {i + 1}",
                  role="citizen", state_data={}, created_at=now, last_seen_at=now) for i in range(n)]
    for u in users:
        uow.users.add(u)
    await uow.flush()
    for u in users:
        await uow.broadcasts.set_opt_in(u.id, CITIZEN_TOPIC, True, now)
    return [u.id for u in users]


async def seed(uow: UnitOfWork, now: datetime) -> None:
    """The sandbox's audience: DEMO_ASN civil servants and DEMO_CITIZENS citizens."""
    await add_civil_servants(uow, DEMO_ASN, first_id=DEMO_FIRST_ID, now=now)
    await add_citizens(uow, DEMO_CITIZENS, first_id=DEMO_FIRST_ID + DEMO_ASN, now=now)


def demo_telegram_ids() -> range:
    return range(DEMO_FIRST_ID, DEMO_FIRST_ID + DEMO_ASN + DEMO_CITIZENS)
