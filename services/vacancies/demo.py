"""The demo government's open selection: one vacancy Siti meets, one she does not (with reasons)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from db.models import Vacancy, VacancyApplication, VacancyDocument, VacancyStage
from db.uow import UnitOfWork
from services import demo_clock
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
    """Both open since yesterday 08.00 local, closing at 23.59 local on a working day three and
    four weeks from `now`."""
    opens = demo_clock.at(demo_clock.today(now) - timedelta(days=1), 8)
    for code, jabatan, agency_code, kind, requirements, documents, days in VACANCIES:
        agency = await uow.agencies.by_code(agency_code)
        assert agency is not None, agency_code
        v = uow.vacancies.add(Vacancy(
            code=code, jabatan=jabatan, agency_id=agency.id, kind=kind,
            requirements=Requirements.from_data(requirements).to_data(), documents=[d.to_data() for d in documents],
            opens_at=opens, closes_at=_closes(now, days), created_at=now, published_at=opens))
        await uow.flush()
        for position, (key, name) in enumerate(default_stages(kind), 1):
            uow.vacancies.add(VacancyStage(vacancy_id=v.id, position=position, key=key, name=name))
    await uow.flush()


# HR's desk in the sandbox (not in the test seed, whose counts other tests assert): a draft to edit
# and publish, and Budi's submitted application to the JPT vacancy with its files, to review,
# grade and announce. `store` puts a file where the bot's channel can send it back (the sandbox's
# emulator) and returns its file id; without it the ids are placeholders nothing can open.
DRAFT = ("ADM-BKPSDM-2026-01", "Kepala Bidang Pengembangan Kompetensi", "BKPSDM", VacancyKind.ADMINISTRATOR,
         {"min_golongan": "III/d", "jabatan_kinds": ["pengawas", "jf_ahli_muda"], "min_service_years": 4},
         [DocumentItem("lamaran", "Surat lamaran", PDF), DocumentItem("sk_pangkat", "SK pangkat terakhir", PDF),
          DocumentItem("skp", "SKP dua tahun terakhir", PDF)])
APPLICANT_NIP, APPLICANT_PERSONA = "197804172005011003", 700004  # Budi Santoso, also the PUPR officer persona
FileStore = Callable[[str, bytes, str], str]  # (file name, content, MIME type) → file id


def _closes(now: datetime, days: int) -> datetime:
    return demo_clock.closing(demo_clock.workdays_from(demo_clock.today(now) + timedelta(days=days)))


def _pdf(title: str) -> bytes:
    return f"%PDF-1.4\n% SAPA demo: {title}\n%%EOF\n".encode()


async def seed_hr_desk(uow: UnitOfWork, now: datetime, store: FileStore | None = None) -> None:
    code, jabatan, agency_code, kind, requirements, documents = DRAFT
    agency = await uow.agencies.by_code(agency_code)
    assert agency is not None
    draft = uow.vacancies.add(Vacancy(
        code=code, jabatan=jabatan, agency_id=agency.id, kind=kind,
        requirements=Requirements.from_data(requirements).to_data(), documents=[d.to_data() for d in documents],
        opens_at=demo_clock.at(demo_clock.workdays_from(demo_clock.today(now) + timedelta(days=2)), 8),
        closes_at=_closes(now, 23), created_at=now, published_at=None))
    await uow.flush()
    for position, (key, name) in enumerate(default_stages(kind), 1):
        uow.vacancies.add(VacancyStage(vacancy_id=draft.id, position=position, key=key, name=name))
    jpt = await uow.vacancies.by_code(VACANCIES[1][0])
    emp = await uow.employees.by_nip(APPLICANT_NIP)
    user = await uow.users.by_external("telegram", APPLICANT_PERSONA)
    assert jpt is not None and emp is not None
    app = uow.vacancies.add(VacancyApplication(vacancy_id=jpt.id, employee_id=emp.id,
                                               user_id=user.id if user else None, status="submitted",
                                               created_at=now, submitted_at=now))
    await uow.flush()
    for i, item in enumerate(jpt.documents):
        name, content = f"{item['code']}-budi.pdf", _pdf(str(item["label"]))
        file_id = store(name, content, "application/pdf") if store else f"demo-file-{i}"
        uow.vacancies.add(VacancyDocument(application_id=app.id, code=item["code"], file_id=file_id, name=name,
                                          size=len(content), mime="application/pdf", uploaded_at=now))
    await uow.flush()
