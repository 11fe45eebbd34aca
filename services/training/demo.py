"""A dozen demo trainings around `now`: one full with a waiting list, some Siti may not join
(minimum IV/a, only Dinas PUPR, only JF ahli muda/madya), one she attended this year (so
/pelatihanku shows 8 of 20 JP with suggestions), one she holds a seat in, online and in person; and
one running now (started yesterday, Budi and Nur hold seats) where HR can try marking attendance in
/kelolapelatihan."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from db.models.training import Enrolment, Training
from db.uow import UnitOfWork
from services import demo_clock

SITI, AHMAD, BUDI, NUR = "199001052015032002", "198503122010011001", "197804172005011003", "199512202023212004"
ZOOM = "https://zoom.us/j/5550001111"

# code, title, topic, organiser, starts in days, hours long, jp, quota, place or None (online), rules
TRAININGS: list[tuple[str, str, str, str, int, int, int, int, str | None, dict[str, Any]]] = [
    ("MP-2026-01", "Manajemen Proyek Pemerintah", "manajemen proyek, perencanaan, pengadaan barang dan jasa",
     "BKPSDM Kota Banjarbaru", 14, 16, 16, 30, "Aula BKPSDM, Jl. Trikora No. 1", {}),
    ("DIG-2026-01", "Digitalisasi Pelayanan Publik", "digitalisasi pelayanan, SPBE, inovasi layanan",
     "Diskominfo Kota Banjarbaru", 9, 6, 8, 100, None, {}),
    ("PP-2026-01", "Pelayanan Prima", "pelayanan publik, komunikasi, pengaduan", "BKPSDM Kota Banjarbaru",
     12, 8, 8, 2, "Ruang Rapat Balai Kota", {}),
    ("PKA-2026-01", "Pelatihan Kepemimpinan Administrator", "kepemimpinan, manajemen perubahan",
     "BPSDM Provinsi Kalimantan Selatan", 30, 40, 40, 20, "BPSDM Kalsel, Banjarbaru", {"min_golongan": "IV/a"}),
    ("JLN-2026-01", "Teknik Pemeliharaan Jalan dan Jembatan", "jalan, jembatan, konstruksi", "Dinas PUPR",
     18, 16, 16, 25, "Kantor Dinas PUPR", {"agencies": ["PUPR"]}),
    ("SKP-2026-01", "Orientasi SKP dan e-Kinerja", "skp, kinerja, e-kinerja", "BKPSDM Kota Banjarbaru",
     -20, 8, 8, 50, None, {}),
    ("NAS-2026-01", "Penulisan Naskah Dinas", "tata naskah dinas, surat menyurat, administrasi",
     "Bagian Organisasi Setda", 21, 4, 4, 40, None, {}),
    ("KIP-2026-01", "Keamanan Informasi dan Pelindungan Data Pribadi", "keamanan informasi, data pribadi, siber",
     "Diskominfo Kota Banjarbaru", 16, 6, 6, 60, None, {}),
    ("K3-2026-01", "Kesehatan dan Keselamatan Kerja di Puskesmas", "kesehatan kerja, k3, puskesmas",
     "Dinas Kesehatan", 21, 8, 8, 30, "Aula Dinas Kesehatan", {"agencies": ["DINKES"]}),
    ("AKP-2026-01", "Analisis Kebijakan Publik", "analisis kebijakan, policy brief", "LAN RI (daring)",
     25, 24, 24, 30, None, {"jabatan_kinds": ["jf_ahli_muda", "jf_ahli_madya"]}),
    ("KEU-2026-01", "Pengelolaan Keuangan Daerah", "keuangan daerah, anggaran, SIPD", "BPKAD",
     28, 16, 16, 35, "Aula BPKAD", {"employment": "PNS", "max_golongan": "IV/b"}),
    ("DATA-2026-01", "Literasi Data untuk ASN", "literasi data, statistik, dashboard", "BPS Kota Banjarbaru",
     35, 12, 12, 50, None, {}),
]
# Running now (HR's attendance demo): nobody's /pelatihanku but Budi's and Nur's shows it.
RUNNING = ("SIK-2026-01", "Bimtek Aplikasi SIMPEG", "simpeg, data kepegawaian, aplikasi")


def _span(hours: int) -> int:
    """Days a training takes: eight JP a day."""
    return max(1, -(-hours // 8))


def _dates(now: datetime, days: int, hours: int) -> tuple[datetime, datetime, datetime]:
    """Start, end and registration close of a training about `days` from today: whole working
    days (08.00–16.00 local, a short one ends earlier), registration closing at 23.59 local two
    working days before. One already attended (days < 0) is earlier this year, whatever today is."""
    today, span = demo_clock.today(now), _span(hours)
    if days >= 0:
        first = demo_clock.workdays_from(today + timedelta(days=days), span)
    else:
        first = demo_clock.workdays_from(max(today + timedelta(days=days), date(today.year, 1, 1)), span)
        if first + timedelta(days=span) > today:  # the first days of January: last year's, then
            first = demo_clock.workdays_until(today - timedelta(days=span), span)
    starts = demo_clock.at(first, 8)
    ends = demo_clock.at(first + timedelta(days=span - 1), 8 + min(hours, 8))
    return starts, ends, demo_clock.closing(demo_clock.workday_before(first, 2))


def _running(now: datetime) -> date:
    """The first day of the three-day training HR marks attendance in: begun, and on working days,
    running today when today is one (it may have ended on a weekend or holiday)."""
    today = demo_clock.today(now)
    begun = [today - timedelta(days=1), today - timedelta(days=2)] + [today] * (now >= demo_clock.at(today, 8))
    for first in begun:
        if demo_clock.all_workdays(first, 3):
            return first
    return demo_clock.workdays_until(today - timedelta(days=3), 3)


async def seed(uow: UnitOfWork, now: datetime) -> None:
    await uow.flush()
    agencies = await uow.trainings.agency_ids_by_code()
    emp = {nip: e.id for nip, e in (await uow.employees.by_nips([SITI, AHMAD, BUDI, NUR])).items()}
    made: dict[str, Training] = {}
    for code, title, topic, organiser, days, hours, jp, quota, place, rules in TRAININGS:
        starts, ends, closes = _dates(now, days, hours)
        made[code] = uow.trainings.add(Training(
            code=code, title=title, topic=topic, organiser=organiser, starts_at=starts, ends_at=ends,
            place=place, online_url=None if place else ZOOM, jp=jp, quota=quota, registration_closes_at=closes,
            status="open", min_golongan=rules.get("min_golongan"), max_golongan=rules.get("max_golongan"),
            jabatan_kinds=rules.get("jabatan_kinds", []),
            agency_ids=[agencies[c] for c in rules.get("agencies", [])], employment=rules.get("employment"),
            created_at=now, updated_at=now))
    first = _running(now)
    made[RUNNING[0]] = uow.trainings.add(Training(
        code=RUNNING[0], title=RUNNING[1], topic=RUNNING[2], organiser="BKPSDM Kota Banjarbaru",
        starts_at=demo_clock.at(first, 8), ends_at=demo_clock.at(first + timedelta(days=2), 16),
        place="Lab Komputer BKPSDM", online_url=None, jp=24, quota=20,
        registration_closes_at=demo_clock.closing(demo_clock.workday_before(first, 2)), status="open",
        jabatan_kinds=[], agency_ids=[], created_at=now, updated_at=now))
    await uow.flush()
    enrol = [("PP-2026-01", AHMAD, "seat", 3), ("PP-2026-01", BUDI, "seat", 2), ("PP-2026-01", NUR, "waiting", 1),
             ("SKP-2026-01", SITI, "attended", 30), ("SKP-2026-01", AHMAD, "attended", 30),
             ("K3-2026-01", SITI, "seat", 1), (RUNNING[0], BUDI, "seat", 6), (RUNNING[0], NUR, "seat", 5)]
    for code, nip, status, days_ago in enrol:
        at = now - timedelta(days=days_ago)
        uow.trainings.add_enrolment(Enrolment(training_id=made[code].id, employee_id=emp[nip], status=status,
                                              queued_at=at, created_at=at, updated_at=at))
    await uow.flush()
