"""HR reviews a vacancy's applicants: who applied, each file (opened, accepted or rejected), each
stage's sheet of results. Results themselves are written by `selection` (record, publish, correct).

Every function checks the role (HR or superadmin). An id from a button is a hint: a document or
application is looked up and its vacancy read from the row, never from the button.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from db.models import Employee, VacancyApplication, VacancyDocument
from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.errors import DomainError, InvalidInput, NotFound
from services.notice import queue
from services.roles import Role, require_role
from services.users import Person
from services.vacancies import manage, selection
from services.vacancies.dto import SUBMITTED, WITHDRAWN, StageView
from services.vacancies.fields import text
from services.vacancies.notices import DocumentReviewed
from services.vacancies.rules import ACCEPTED, REJECTED

REASON_MAX = 500
_SCORE = re.compile(r"\d{1,3}(?:[.,]\d{1,2})?")


@dataclass(frozen=True)
class ReviewDoc:
    id: int
    code: str
    label: str
    name: str | None
    size: int | None
    mime: str | None
    review: str | None  # None | accepted | rejected
    reason: str | None
    corrected_at: datetime | None = None  # the applicant replaced a rejected file (perbaikan berkas)


@dataclass(frozen=True)
class ApplicantRow:
    application_id: int
    name: str
    nip: str
    agency: str
    status: str  # draft | submitted | withdrawn
    submitted_at: datetime | None
    docs_have: int
    docs_needed: int
    docs_rejected: int
    docs_corrected: int = 0  # replaced after a rejection and not reviewed since: HR's to look at

    @property
    def complete(self) -> bool:
        return self.docs_have >= self.docs_needed


@dataclass(frozen=True)
class ResultCell:
    status: str
    score: float | None
    revision: int


@dataclass(frozen=True)
class ApplicantCard:
    vacancy: manage.AdminVacancy
    row: ApplicantRow
    documents: tuple[ReviewDoc, ...]
    results: dict[int, ResultCell]  # stage id → result (unannounced ones included: this is HR)


@dataclass(frozen=True)
class StageRow:
    application_id: int
    name: str
    nip: str
    agency: str
    in_running: bool  # not out at an earlier announced stage
    result: ResultCell | None
    docs_complete: bool


@dataclass(frozen=True)
class StageSheet:
    vacancy: manage.AdminVacancy
    stage: StageView
    rows: tuple[StageRow, ...]

    @property
    def missing(self) -> int:
        return sum(1 for r in self.rows if r.in_running and (r.result is None or r.result.status == "menunggu"))


@dataclass(frozen=True)
class DocFile:
    file_id: str
    kind: str  # "photo" | "document": how Telegram must be asked to send it back
    name: str


def _row(a: VacancyApplication, e: Employee, docs: list[VacancyDocument], codes: dict[str, str],
         agencies: dict[int, str]) -> ApplicantRow:
    mine = [d for d in docs if d.code in codes]
    return ApplicantRow(a.id, e.name, e.nip, agencies.get(e.agency_id or 0, "-"), a.status, a.submitted_at,
                        len(mine), len(codes), sum(1 for d in mine if d.review == REJECTED),
                        sum(1 for d in mine if d.corrected_at is not None and d.review is None))


async def applicants(uow: UnitOfWork, actor: Person, vacancy_id: int
                     ) -> tuple[manage.AdminVacancy, list[ApplicantRow]]:
    """The vacancy with every application (drafts and withdrawn ones too), by name."""
    vacancy = await manage.card(uow, actor, vacancy_id)
    pairs = await uow.vacancy_admin.applications(vacancy_id)
    docs = await uow.vacancies.documents([a.id for a, _ in pairs])
    agencies = await uow.vacancies.agency_names(sorted({e.agency_id for _, e in pairs if e.agency_id}))
    codes = {d.code: d.label for d in vacancy.documents}
    return vacancy, [_row(a, e, docs[a.id], codes, agencies) for a, e in pairs]


async def _application(uow: UnitOfWork, actor: Person, application_id: int, *, for_update: bool = False
                       ) -> tuple[VacancyApplication, Employee]:
    require_role(actor.role, Role.HR)
    app = await uow.vacancies.application(application_id, for_update=for_update)
    emp = await uow.vacancies.employee(app.employee_id) if app else None
    if app is None or emp is None:
        raise NotFound("vac.err.no_application")
    return app, emp


async def applicant(uow: UnitOfWork, actor: Person, application_id: int) -> ApplicantCard:
    app, emp = await _application(uow, actor, application_id)
    vacancy = await manage.card(uow, actor, app.vacancy_id)
    docs = (await uow.vacancies.documents([app.id]))[app.id]
    codes = {d.code: d.label for d in vacancy.documents}
    agencies = await uow.vacancies.agency_names([emp.agency_id] if emp.agency_id else [])
    views = tuple(ReviewDoc(d.id, d.code, codes[d.code], d.name, d.size, d.mime, d.review, d.review_reason,
                            d.corrected_at)
                  for d in sorted(docs, key=lambda d: list(codes).index(d.code) if d.code in codes else 99)
                  if d.code in codes)
    results = {r.stage_id: ResultCell(r.status, r.score, r.revision)
               for r in (await uow.vacancies.results_of(app.id)).values()}
    return ApplicantCard(vacancy, _row(app, emp, docs, codes, agencies), views, results)


async def _document(uow: UnitOfWork, actor: Person, document_id: int, *, for_update: bool = False
                    ) -> tuple[VacancyDocument, VacancyApplication]:
    require_role(actor.role, Role.HR)
    doc = await uow.vacancy_admin.document(document_id, for_update=for_update)
    if doc is None:
        raise NotFound("vaa.err.no_document")
    app, _ = await _application(uow, actor, doc.application_id, for_update=for_update)
    return doc, app


async def application_of(uow: UnitOfWork, actor: Person, document_id: int) -> int:
    """Whose application a document belongs to (to go back to its card)."""
    _, app = await _document(uow, actor, document_id)
    return app.id


async def document_file(uow: UnitOfWork, actor: Person, document_id: int) -> DocFile:
    """The file to send HR back by its Telegram file id. A photo's id only works as a photo."""
    doc, _ = await _document(uow, actor, document_id)
    photo = doc.name == "photo.jpg" and doc.mime == "image/jpeg"  # how `applications.attach` keeps a photo
    return DocFile(doc.file_id, "photo" if photo else "document", doc.name or doc.code)


async def review_document(uow: UnitOfWork, actor: Person, document_id: int, *, accept: bool,
                          reason: str | None = None, now: datetime) -> ReviewDoc:
    """Accept a file, or reject it with a reason; the applicant is told either way. The same verdict
    again changes nothing and tells nobody twice."""
    label, actor_id = actor_label(actor)
    doc, app = await _document(uow, actor, document_id, for_update=True)
    if app.status == WITHDRAWN:
        raise DomainError("vaa.err.withdrawn")
    v = await manage.get(uow, actor, app.vacancy_id)
    labels = {d["code"]: str(d["label"]) for d in v.documents or ()}
    if doc.code not in labels:
        raise NotFound("vaa.err.no_document")
    verdict = ACCEPTED if accept else REJECTED
    why = None if accept else text(reason, limit=REASON_MAX, code="vaa.err.reason")
    view = ReviewDoc(doc.id, doc.code, labels[doc.code], doc.name, doc.size, doc.mime, verdict, why,
                     doc.corrected_at)
    if (doc.review, doc.review_reason) == (verdict, why):
        return view
    before = {"review": doc.review, "reason": doc.review_reason}
    doc.review, doc.review_reason, doc.reviewed_at, doc.reviewed_by = verdict, why, now, actor_id
    uow.audit.record(label, "vacancy.document_reviewed", f"application:{app.id}", actor_user_id=actor_id,
                     document=doc.id, code=doc.code, before=before, after={"review": verdict, "reason": why})
    if app.user_id is not None:
        await queue(uow, app.user_id, DocumentReviewed(app.id, v.jabatan, labels[doc.code], accept, why, doc.id),
                    dedupe_key=f"vac-doc:{doc.id}:{now.isoformat()}")
    return view


async def stage_sheet(uow: UnitOfWork, actor: Person, stage_id: int) -> StageSheet:
    """A stage's results so far, for every submitted applicant (those out earlier marked as such)."""
    require_role(actor.role, Role.HR)
    stage = await uow.vacancies.stage(stage_id)
    if stage is None:
        raise NotFound("vaa.err.no_stage")
    vacancy, rows = await applicants(uow, actor, stage.vacancy_id)
    running, _ = await selection.in_running(uow, stage)
    ids = {a.id for a in running}
    results = await uow.vacancies.results_at(stage.id)
    out = tuple(StageRow(r.application_id, r.name, r.nip, r.agency, r.application_id in ids,
                         ResultCell(results[r.application_id].status, results[r.application_id].score,
                                    results[r.application_id].revision) if r.application_id in results else None,
                         r.complete) for r in rows if r.status == SUBMITTED)
    view = next(s for s in vacancy.stages if s.id == stage.id)
    return StageSheet(vacancy, view, out)


def parse_score(raw: str | None) -> float | None:
    """'85', '85,5', '85.25'; '-' for no score. 0–100 as `selection` checks; anything else refused."""
    value = (raw or "").strip()
    if value in ("-", ""):
        return None
    if not value.isascii() or not _SCORE.fullmatch(value):
        raise InvalidInput("vac.err.bad_score")
    score = float(value.replace(",", "."))
    if not 0 <= score <= 100:
        raise InvalidInput("vac.err.bad_score")
    return score
