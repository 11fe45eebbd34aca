"""A civil servant and the open selection: vacancies, eligibility, applying, documents, tracking.

Every function takes the Person and checks for itself that they are a linked civil servant and
that an application id is theirs (an id from a button is only a hint): another person's
application answers exactly like one that does not exist.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from db.models import Employee, Vacancy, VacancyApplication, VacancyStage
from db.uow import UnitOfWork
from services import civil_service
from services.errors import DomainError, NotFound
from services.roles import ADMINS
from services.users import Person
from services.vacancies.dto import (
    DRAFT,
    LULUS,
    SUBMITTED,
    WITHDRAWN,
    AnnouncedRow,
    Announcement,
    ApplicationView,
    DocumentView,
    StageView,
    Tracking,
    VacancyView,
    stage_progress,
)
from services.vacancies.rules import (
    DocumentItem,
    PredikatHistory,
    Requirements,
    Unmet,
    check,
    no_history,
)


class NotLinked(DomainError):
    """Only a civil servant linked to their record (/tautkan) has vacancies to see."""

    def __init__(self) -> None:
        super().__init__("vac.err.not_linked")


class NotEligible(DomainError):
    def __init__(self, unmet: list[Unmet]) -> None:
        super().__init__("vac.err.not_eligible")
        self.unmet = tuple(unmet)


class Closed(DomainError):
    def __init__(self, closes_at: datetime) -> None:
        super().__init__("vac.err.closed")
        self.closes_at = closes_at


def _employee_id(person: Person) -> int:
    if person.employee_id is None:
        raise NotLinked()
    return person.employee_id


async def _employee(uow: UnitOfWork, person: Person) -> Employee:
    emp = await uow.vacancies.employee(_employee_id(person))
    if emp is None:  # the record was deleted under a linked account
        raise NotLinked()
    return emp


def record_of(emp: Employee) -> civil_service.Record:
    return civil_service.record(emp.id, emp.nip, emp.agency_id, emp.golongan, emp.jabatan_kind, emp.employment,
                                emp.birth_date, emp.tmt)


def is_open(v: Vacancy, now: datetime) -> bool:
    return v.opens_at <= now < v.closes_at


def _stage(s: VacancyStage) -> StageView:
    return StageView(s.id, s.position, s.key, s.name, s.published_at is not None)


async def _views(uow: UnitOfWork, rows: list[Vacancy], emp: Employee | None, *, now: datetime, tz: tzinfo,
                 history: PredikatHistory) -> list[VacancyView]:
    stages = await uow.vacancies.stages([v.id for v in rows])
    agencies = await uow.vacancies.agency_names(sorted({v.agency_id for v in rows}))
    record = record_of(emp) if emp else None
    past = await history(uow, emp.id) if emp else {}
    mine = {a.vacancy_id: a for a in await uow.vacancies.applications_of(emp.id)} if emp else {}
    out = []
    for v in rows:
        closes_on = v.closes_at.astimezone(tz).date()
        req = Requirements.from_data(v.requirements or {})
        unmet = tuple(check(record, req, closes_on, past)) if record else ()
        app = mine.get(v.id)
        out.append(VacancyView(
            v.id, v.code, v.jabatan, agencies.get(v.agency_id, "-"), v.kind, v.opens_at, v.closes_at, closes_on,
            is_open(v, now), req, tuple(DocumentItem.from_data(d) for d in v.documents or ()),
            tuple(_stage(s) for s in stages[v.id]), unmet, app.id if app else None, app.status if app else None))
    return out


async def list_open(uow: UnitOfWork, person: Person, *, now: datetime, tz: tzinfo,
                    history: PredikatHistory = no_history) -> list[VacancyView]:
    """Vacancies open now, each with whether this person meets its requirements."""
    emp = await _employee(uow, person)
    return await _views(uow, await uow.vacancies.open_at(now), emp, now=now, tz=tz, history=history)


async def view(uow: UnitOfWork, person: Person, vacancy_id: int, *, now: datetime, tz: tzinfo,
               history: PredikatHistory = no_history) -> VacancyView:
    emp = await _employee(uow, person)
    v = await uow.vacancies.get(vacancy_id)
    if v is None or v.published_at is None or v.opens_at > now:  # not announced yet: as if it did not exist
        raise NotFound("vac.err.not_found")
    return (await _views(uow, [v], emp, now=now, tz=tz, history=history))[0]


async def application_view(uow: UnitOfWork, app: VacancyApplication, emp: Employee, *, now: datetime,
                            tz: tzinfo, history: PredikatHistory) -> ApplicationView:
    v = await uow.vacancies.get(app.vacancy_id)
    assert v is not None  # the foreign key cascades
    vacancy = (await _views(uow, [v], emp, now=now, tz=tz, history=history))[0]
    docs = (await uow.vacancies.documents([app.id]))[app.id]
    labels = {d.code: d.label for d in vacancy.documents}
    have = {d.code for d in docs}
    return ApplicationView(
        app.id, vacancy, app.status,
        tuple(DocumentView(d.code, labels.get(d.code, d.code), d.name, d.size, d.mime, d.id, d.review,
                           d.review_reason, d.corrected_at) for d in docs if d.code in labels),
        tuple(item for item in vacancy.documents if item.code not in have), app.submitted_at)


async def own_application(uow: UnitOfWork, person: Person, application_id: int) -> tuple[VacancyApplication, Employee]:
    emp = await _employee(uow, person)
    app = await uow.vacancies.application(application_id, for_update=True)
    if app is None or app.employee_id != emp.id:
        raise NotFound("vac.err.no_application")
    return app, emp


async def open_vacancy(uow: UnitOfWork, vacancy_id: int, now: datetime) -> Vacancy:
    v = await uow.vacancies.get(vacancy_id)
    if v is None or v.published_at is None or v.opens_at > now:
        raise NotFound("vac.err.not_found")
    if not is_open(v, now):
        raise Closed(v.closes_at)
    return v


async def apply(uow: UnitOfWork, person: Person, vacancy_id: int, *, now: datetime, tz: tzinfo,
                history: PredikatHistory = no_history) -> ApplicationView:
    """Start (or resume) an application: open vacancy, requirements met, not applied already."""
    emp = await _employee(uow, person)
    v = await open_vacancy(uow, vacancy_id, now)
    app = await uow.vacancies.application_for(v.id, emp.id)
    if app is not None and app.status == SUBMITTED:
        raise DomainError("vac.err.already_applied")
    if app is None or app.status == WITHDRAWN:
        vacancy = (await _views(uow, [v], emp, now=now, tz=tz, history=history))[0]
        if vacancy.unmet:
            raise NotEligible(list(vacancy.unmet))
    if app is None:
        app = await uow.vacancies.add_application({"vacancy_id": v.id, "employee_id": emp.id, "user_id": person.id,
                                                   "status": DRAFT, "created_at": now})
    elif app.status == WITHDRAWN:  # applying again before closing: the same application, back to draft
        app.status, app.withdrawn_at, app.user_id = DRAFT, None, person.id
    return await application_view(uow, app, emp, now=now, tz=tz, history=history)


async def application(uow: UnitOfWork, person: Person, application_id: int, *, now: datetime, tz: tzinfo,
                      history: PredikatHistory = no_history) -> ApplicationView:
    app, emp = await own_application(uow, person, application_id)
    return await application_view(uow, app, emp, now=now, tz=tz, history=history)


def _draft(app: VacancyApplication) -> None:
    if app.status == SUBMITTED:
        raise DomainError("vac.err.already_submitted")
    if app.status != DRAFT:
        raise DomainError("vac.err.withdrawn")


async def submit(uow: UnitOfWork, person: Person, application_id: int, *, now: datetime, tz: tzinfo,
                 history: PredikatHistory = no_history) -> ApplicationView:
    """Only a complete application, only before closing, only while the requirements still hold."""
    app, emp = await own_application(uow, person, application_id)
    _draft(app)
    await open_vacancy(uow, app.vacancy_id, now)
    current = await application_view(uow, app, emp, now=now, tz=tz, history=history)
    if current.missing:
        raise DomainError("vac.err.incomplete", missing=len(current.missing))
    if current.vacancy.unmet:
        raise NotEligible(list(current.vacancy.unmet))
    app.status, app.submitted_at, app.user_id = SUBMITTED, now, person.id
    uow.audit.record(f"user:{person.id}", "vacancy.submit", f"application:{app.id}", actor_user_id=person.id,
                     vacancy=current.vacancy.code)
    return await application_view(uow, app, emp, now=now, tz=tz, history=history)


async def withdraw(uow: UnitOfWork, person: Person, application_id: int, *, now: datetime, tz: tzinfo,
                   history: PredikatHistory = no_history) -> ApplicationView:
    app, emp = await own_application(uow, person, application_id)
    if app.status == WITHDRAWN:
        raise DomainError("vac.err.withdrawn")
    await open_vacancy(uow, app.vacancy_id, now)
    app.status, app.withdrawn_at = WITHDRAWN, now
    uow.audit.record(f"user:{person.id}", "vacancy.withdraw", f"application:{app.id}", actor_user_id=person.id)
    return await application_view(uow, app, emp, now=now, tz=tz, history=history)


async def mine(uow: UnitOfWork, person: Person, *, now: datetime, tz: tzinfo,
               history: PredikatHistory = no_history) -> list[ApplicationView]:
    emp = await _employee(uow, person)
    return [await application_view(uow, a, emp, now=now, tz=tz, history=history)
            for a in await uow.vacancies.applications_of(emp.id)]


async def tracking(uow: UnitOfWork, person: Person, application_id: int, *, now: datetime, tz: tzinfo,
                   history: PredikatHistory = no_history) -> Tracking:
    """Each stage with the person's status: an announced result, else the stage under way (the first
    one without it), stages ahead, or stages they take no part in. Unannounced results stay hidden."""
    app, emp = await own_application(uow, person, application_id)
    view_ = await application_view(uow, app, emp, now=now, tz=tz, history=history)
    results = await uow.vacancies.results_of(app.id)
    return Tracking(view_, stage_progress(view_.vacancy.stages, results, submitted=app.status == SUBMITTED))


async def announcement(uow: UnitOfWork, person: Person, stage_id: int, *, now: datetime, tz: tzinfo) -> Announcement:
    """A published stage's results, for the vacancy's applicants (and HR): names and status, no scores."""
    stage = await uow.vacancies.stage(stage_id)
    if stage is None or stage.published_at is None:
        raise NotFound("vac.err.not_published")
    v = await uow.vacancies.get(stage.vacancy_id)
    assert v is not None
    applicants = await uow.vacancies.applicants(v.id)
    own = next((a.id for a, _ in applicants if a.employee_id == person.employee_id), None)
    if own is None and person.role not in ADMINS:
        raise NotFound("vac.err.not_published")  # not an applicant: the same answer as no announcement
    results = await uow.vacancies.results_at(stage.id)
    agencies = await uow.vacancies.agency_names(sorted({e.agency_id for _, e in applicants if e.agency_id}))
    rows = tuple(AnnouncedRow(e.name, agencies.get(e.agency_id or 0, "-"), results[a.id].status, a.id == own)
                 for a, e in applicants if a.id in results)
    emp = await uow.vacancies.employee(person.employee_id) if person.employee_id else None
    vacancy = (await _views(uow, [v], emp, now=now, tz=tz, history=no_history))[0]
    return Announcement(vacancy, _stage(stage), tuple(sorted(rows, key=lambda r: (r.status != LULUS, r.name))))
