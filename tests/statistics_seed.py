"""A month of known data for the statistics tests: March 2026 in Banjarbaru (WITA, UTC+8).

Lebaran 2026: 18–24 March are holidays or cuti bersama (with the weekend), so a report filed on
Tuesday 17 March and answered on Wednesday 25 March took one working day.

| # | agency  | kind      | privacy | filed (local)   | first staff move | working days | on time | status   | rating |
|---|---------|-----------|---------|-----------------|------------------|--------------|---------|----------|--------|
| 1 | PUPR    | pengaduan | normal  | Mon 2 Mar 10:00 | Wed 4 Mar        | 2            | yes     | ditutup  | 5      |
| 2 | PUPR    | pengaduan | anonim  | Tue 17 Mar      | Wed 25 Mar       | 1 (Lebaran)  | yes     | diproses (reopened) | |
| 3 | PUPR    | aspirasi  | rahasia | Thu 5 Mar       | Thu 12 Mar       | 5            | no      | selesai  | 3      |
| 4 | DINKES  | informasi | normal  | Mon 9 Mar       | Mon 9 Mar        | 0            | yes     | ditolak  |        |
| 5 | DINKES  | pengaduan | normal  | Mon 30 Mar      | none, overdue    |              | no      | diterima |        |
| 6 | (none)  | pengaduan | normal  | Tue 31 Mar      | none, not yet due|              |         | diterima |        |
| 7 | PUPR    | pengaduan | normal  | 20 Feb          | (outside March)  |              |         | ditutup  | 1      |

"now" is Friday 3 April 2026 12:00 WITA. Report 1 also has a citizen's reply and a staff note
before its first status change: neither is a response.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from db.models import (
    Complaint,
    ComplaintEvent,
    Employee,
    Enrolment,
    ServiceUnit,
    SurveyResponse,
    Training,
    User,
)
from services.survey.reports import Period
from services.workdays import due_at

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 4, 3, 12, 0, tzinfo=WITA).astimezone(UTC)
MARCH = Period(date(2026, 3, 1), date(2026, 3, 31))
REPORTER = (5551, "Rudi Terbuka", "rudi_terbuka", "6281100000001")
HIDDEN = (5552, "Zubaidah Tersembunyi", "zub_hidden", "6289900000002")
WORKED = [  # tests/test_ikm.py's hand-worked example: IKM 82.64, B
    [4, 4, 3, 4, 3, 3, 4, 2, 3], [3, 3, 3, 4, 3, 3, 3, 3, 3], [4, 3, 2, 4, 3, 4, 4, 3, 3], [3, 4, 3, 4, 4, 3, 4, 2, 4],
]


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=WITA).astimezone(UTC)


@dataclass(frozen=True)
class Seeded:
    agencies: dict[str, int]
    ids: dict[int, int]  # row number in the table above → complaint id
    numbers: dict[int, str]


async def seed_month(app, person) -> Seeded:
    for uid, name, username, _ in (REPORTER, HIDDEN):
        await person(uid, name, username=username).say("/start")
    async with app.db.uow() as uow:
        ids = {}
        for uid, name, _username, phone in (REPORTER, HIDDEN):
            u = await uow.users.by_external("telegram", uid)
            await uow.session.execute(update(User).where(User.id == u.id).values(name=name, phone=phone))
            ids[uid] = u.id
        seeded = await seed_db(uow, ids)
        await uow.commit()
    return seeded


async def seed_db(uow, users: dict[int, int]) -> Seeded:
    """The table above, the survey answers and the attendance; `users`: REPORTER's and HIDDEN's user ids."""
    agencies = {a.code: a.id for a in await uow.agencies.all_active()}
    rows = [  # (n, agency, kind, privacy, filed, first response, status, rating, reopened)
        (1, "PUPR", "pengaduan", "normal", local(2026, 3, 2, 10), local(2026, 3, 4, 9), "ditutup", 5, False),
        (2, "PUPR", "pengaduan", "anonim", local(2026, 3, 17, 10), local(2026, 3, 25, 9), "diproses", None, True),
        (3, "PUPR", "aspirasi", "rahasia", local(2026, 3, 5, 10), local(2026, 3, 12, 15), "selesai", 3, False),
        (4, "DINKES", "informasi", "normal", local(2026, 3, 9, 8), local(2026, 3, 9, 16), "ditolak", None, False),
        (5, "DINKES", "pengaduan", "normal", local(2026, 3, 30, 10), None, "diterima", None, False),
        (6, None, "pengaduan", "normal", local(2026, 3, 31, 23, 30), None, "diterima", None, False),
        (7, "PUPR", "pengaduan", "normal", local(2026, 2, 20, 10), local(2026, 2, 20, 11), "ditutup", 1, False),
    ]
    ids, numbers = {}, {}
    for n, agency, kind, privacy, filed, first, status, rating, reopened in rows:
        reporter = users[HIDDEN[0]] if privacy != "normal" else users[REPORTER[0]]
        answered = first if status in ("ditutup", "selesai", "diproses") and first else None
        c = Complaint(number=f"BJB-2026-{n:06d}", kind=kind, description=f"Laporan uji nomor {n} <b>&",
                      agency_id=agencies[agency] if agency else None, privacy=privacy, status=status,
                      reporter_id=reporter, created_at=filed, updated_at=filed,
                      response_due_at=due_at(filed, 3, WITA), resolve_due_at=due_at(filed, 14, WITA),
                      answered_at=answered, rating=rating, address="Jl. A. Yani km 33")
        uow.complaints.add(c)
        await uow.flush()
        ids[n], numbers[n] = c.id, c.number
        ev = [("citizen", "file", None, "diterima", filed)]
        if n == 1:  # a reply and a staff note come first: neither is a first response
            ev += [("citizen", "reply", None, None, local(2026, 3, 2, 11)),
                   ("officer", "note", None, None, local(2026, 3, 3, 9))]
        if first:
            ev.append(("officer" if n != 4 else "hr", "verify", "diterima", "diverifikasi", first))
        if reopened:
            ev.append(("citizen", "reopen", "dijawab", "diproses", local(2026, 3, 27, 9)))
        for role, action, before, after, at in ev:
            uow.complaints.add_event(ComplaintEvent(complaint_id=c.id, at=at, actor_role=role, action=action,
                                                    from_status=before, to_status=after, agency_id=c.agency_id))
    await _survey(uow)
    await _jp(uow)
    return Seeded(agencies, ids, numbers)


async def _survey(uow) -> None:
    units = {u.code: u.id for u in (await uow.session.execute(select(ServiceUnit))).scalars()}
    answers = [("PUPR-PBG", date(2026, 3, 3 + i), a, None) for i, a in enumerate(WORKED)]
    answers += [("DUKCAPIL-01", date(2026, 3, 10), [4] * 9, "Cepat & ramah <3"),
                ("DUKCAPIL-01", date(2026, 3, 31), [4] * 9, None),
                ("PUPR-PBG", date(2026, 2, 28), [1] * 9, "di luar periode")]
    for code, day, scores, comment in answers:
        uow.session.add(SurveyResponse(unit_id=units[code], user_id=None, local_date=day, comment=comment,
                                       **{f"q{i + 1}": s for i, s in enumerate(scores)}))


async def _jp(uow) -> None:
    """Ahmad (BKPSDM, PNS) 22 JP ✓; Siti (DINKES, PNS) 10 ✗; Budi (PUPR, PNS) exactly 20 ✓; Nur (DISDIK, PPPK) 22 < 24 ✗."""
    emp = {e.name.split()[0]: e.id for e in (await uow.session.execute(select(Employee))).scalars()}
    trainings = {}
    for code, ends, jp in (("T1", local(2026, 2, 10, 16), 12), ("T2", local(2026, 3, 20, 16), 10),
                           ("T3", local(2026, 4, 15, 16), 30), ("T4", local(2025, 12, 10, 16), 40),
                           ("T5", local(2026, 3, 31, 23), 8)):
        t = Training(code=f"STX-{code}", title=f"Pelatihan {code}", organiser="BKPSDM", starts_at=ends,
                     ends_at=ends, jp=jp, quota=50, registration_closes_at=ends, status="open")
        uow.session.add(t)
        await uow.flush()
        trainings[code] = t.id
    for who, code, status in (("Ahmad", "T1", "attended"), ("Ahmad", "T2", "attended"),
                              ("Siti", "T2", "attended"), ("Siti", "T3", "attended"),
                              ("Budi", "T1", "attended"), ("Budi", "T5", "attended"), ("Budi", "T4", "attended"),
                              ("Nur", "T1", "attended"), ("Nur", "T2", "attended"), ("Siti", "T1", "seat")):
        uow.session.add(Enrolment(training_id=trainings[code], employee_id=emp[who], status=status))
