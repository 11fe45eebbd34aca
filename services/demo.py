"""Demo data for one government, used by `sapa sandbox` on an empty database and by tests.

What every feature shares (agencies, employees, staff personas) is seeded here; each feature's own
demo data comes from the seeders its manifest lists (`Feature(..., demo=(seed,))`), which the
caller passes in: `seed_demo(uow, now, handlers.features.bot().demo)`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from db.models import Agency, Employee
from db.uow import UnitOfWork
from services.staff.grant import grant_role

# A feature's demo data: `async seed(uow, now)`, run after the shared data is flushed (it may look
# agencies and employees up by code or NIP). Relative to `now`, so real time and a test's fixed
# clock both see upcoming dates.
DemoSeeder = Callable[[UnitOfWork, datetime], Awaitable[None]]

AGENCIES = [
    ("BKPSDM", "Badan Kepegawaian dan Pengembangan SDM",
     ["kepegawaian", "asn", "pns", "pppk", "skp", "pelatihan", "mutasi", "cpns"]),
    ("DINKES", "Dinas Kesehatan",
     ["puskesmas", "rumah sakit", "obat", "dokter", "bidan", "bpjs", "posyandu", "imunisasi", "kesehatan"]),
    ("DISDIK", "Dinas Pendidikan",
     ["sekolah", "guru", "sd", "smp", "ppdb", "murid", "siswa", "beasiswa", "pendidikan"]),
    ("PUPR", "Dinas Pekerjaan Umum dan Penataan Ruang",
     ["jalan rusak", "jalan berlubang", "jembatan", "drainase", "selokan", "banjir", "aspal", "trotoar"]),
    ("DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil",
     ["ktp", "e-ktp", "kartu keluarga", "kk", "akta kelahiran", "akta", "kia", "pindah domisili"]),
    ("DLH", "Dinas Lingkungan Hidup",
     ["sampah", "tps", "limbah", "pencemaran", "bau", "pohon tumbang", "taman"]),
    ("SATPOLPP", "Satuan Polisi Pamong Praja",
     ["pedagang kaki lima", "pkl", "ketertiban", "parkir liar", "reklame", "keamanan"]),
    ("DISHUB", "Dinas Perhubungan",
     ["lampu lalu lintas", "angkot", "terminal", "parkir", "rambu", "lampu jalan"]),
]

EMPLOYEES = [
    ("198503122010011001", "Ahmad Fauzi, S.Kom.", "6281234500001", "BKPSDM", "III/c", "Analis SDM Aparatur Ahli Muda", "PNS"),
    ("199001052015032002", "Siti Rahmawati, S.Kep.", "6281234500002", "DINKES", "III/b", "Perawat Ahli Pertama", "PNS"),
    ("197804172005011003", "Budi Santoso, S.T.", "6281234500003", "PUPR", "IV/a", "Kepala Bidang Bina Marga", "PNS"),
    ("199512202023212004", "Nur Aisyah, S.Pd.", "6281234500004", "DISDIK", None, "Guru Ahli Pertama", "PPPK"),
]
# What eligibility compares; PPPK numbers carry no dates, so Nur's come from HR's file.
RECORDS: dict[str, dict[str, Any]] = {
    "198503122010011001": {"jabatan_kind": "jf_ahli_muda"},
    "199001052015032002": {"jabatan_kind": "jf_ahli_pertama"},
    "197804172005011003": {"jabatan_kind": "administrator"},
    "199512202023212004": {"jabatan_kind": "jf_ahli_pertama", "birth_date": date(1995, 12, 20),
                           "tmt": date(2023, 3, 1)},
}


@dataclass(frozen=True)
class Persona:
    key: str
    telegram_id: int
    first_name: str
    phone: str | None
    role: str | None = None  # granted staff role
    agency: str | None = None


PERSONAS = [
    Persona("citizen", 700001, "Rina (warga)", "6285700000001"),
    Persona("asn", 700002, "Siti (ASN)", "6281234500002"),
    Persona("hr", 700003, "Ahmad (BKPSDM)", "6281234500001", role="hr"),
    Persona("officer", 700004, "Budi (Dinas PUPR)", "6281234500003", role="officer", agency="PUPR"),
    # A superadmin by configuration: `sapa sandbox` adds this id to SAPA_ADMIN_IDS (the seed grants
    # nothing, so tests that count superadmins keep the world they know).
    Persona("superadmin", 700009, "Dewi (superadmin)", None),
]
SANDBOX_SUPERADMIN = 700009


async def is_empty(uow: UnitOfWork) -> bool:
    return not await uow.agencies.all_active()


async def seed_demo(uow: UnitOfWork, now: datetime, seeders: Iterable[DemoSeeder]) -> None:
    """Agencies with routing keywords, a few employees, and staff personas; then each feature's
    `seeders` in order (the features' order: `handlers.features.bot().demo`)."""
    ids = {}
    for code, name, keywords in AGENCIES:
        row = uow.agencies.add(Agency(code=code, name=name, keywords=keywords, active=True))
        await uow.flush()
        ids[code] = row.id
    for nip, name, phone, agency, golongan, jabatan, employment in EMPLOYEES:
        uow.employees.add(Employee(nip=nip, name=name, phone=phone, agency_id=ids[agency], golongan=golongan,
                                   jabatan=jabatan, employment=employment, **RECORDS.get(nip, {})))
    for p in PERSONAS:
        if p.role:
            await grant_role(uow, actor="seed", external_id=p.telegram_id, role=p.role, agency_code=p.agency,
                             now=now)
    await uow.flush()
    for seed in seeders:
        await seed(uow, now)
        await uow.flush()
