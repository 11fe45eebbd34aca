"""The demo government's open selection: one vacancy Siti meets, one she does not (with reasons)."""

from __future__ import annotations

from datetime import datetime, timedelta

from db.models import Vacancy, VacancyStage
from db.uow import UnitOfWork
from services.vacancies.rules import DocumentItem, Requirements, VacancyKind, default_stages

PDF, PDF_OR_IMAGE, IMAGE = ("pdf",), ("pdf", "image"), ("image",)
# (code, jabatan, agency, kind, requirements, checklist, days until closing)
VACANCIES = [
    ("JF-DINKES-2026-01", "Perawat Ahli Muda", "DINKES", VacancyKind.JF,
     {"min_golongan": "III/b", "jabatan_kinds": ["jf_ahli_pertama"], "min_service_years": 2},
     [DocumentItem("lamaran", "Surat lamaran", PDF), DocumentItem("sk_pangkat", "SK pangkat terakhir", PDF_OR_IMAGE),
      DocumentItem("foto", "Pas foto", IMAGE)], 21),
    ("JPT-DINKES-2026-01", "Kepala Dinas Kesehatan (JPT Pratama)", "DINKES", VacancyKind.JPT,
     {"min_golongan": "IV/a", "min_predikat": "baik", "predikat_years": 2,
      "jabatan_kinds": ["administrator", "jf_ahli_madya"], "max_age": 56, "min_service_years": 5},
     [DocumentItem("lamaran", "Surat lamaran", PDF), DocumentItem("sk_pangkat", "SK pangkat terakhir", PDF),
      DocumentItem("skp", "SKP dua tahun terakhir", PDF), DocumentItem("makalah", "Makalah rencana kerja", PDF),
      DocumentItem("sehat", "Surat keterangan sehat", PDF_OR_IMAGE)], 30),
]


async def seed(uow: UnitOfWork, now: datetime) -> None:
    """Both open since yesterday, closing three and four weeks from `now`."""
    for code, jabatan, agency_code, kind, requirements, documents, days in VACANCIES:
        agency = await uow.agencies.by_code(agency_code)
        assert agency is not None, agency_code
        v = uow.vacancies.add(Vacancy(
            code=code, jabatan=jabatan, agency_id=agency.id, kind=kind,
            requirements=Requirements.from_data(requirements).to_data(), documents=[d.to_data() for d in documents],
            opens_at=now - timedelta(days=1), closes_at=now + timedelta(days=days), created_at=now,
            published_at=now - timedelta(days=1)))
        await uow.flush()
        for position, (key, name) in enumerate(default_stages(kind), 1):
            uow.vacancies.add(VacancyStage(vacancy_id=v.id, position=position, key=key, name=name))
    await uow.flush()
