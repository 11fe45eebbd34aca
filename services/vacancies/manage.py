"""HR writes vacancies: a draft (invisible to everyone else) saved, edited, then published.

Every function checks the role itself (HR or superadmin) and re-checks every field, whatever
the conversation gathered. Publishing only sets `published_at`: the subscribers' notices are
the scheduler's job, which reads that column; nothing here sends them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from typing import Any

from db.models import Vacancy, VacancyStage
from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.agencies.manage import AgencyChoice
from services.errors import DomainError, InvalidInput, NotFound
from services.roles import Role, require_role
from services.users import Person
from services.vacancies import fields as f
from services.vacancies.dto import StageView
from services.vacancies.rules import DocumentItem, Requirements


@dataclass(frozen=True)
class AdminVacancy:
    id: int
    code: str
    jabatan: str
    agency_id: int
    agency: str
    kind: str
    opens_at: datetime
    closes_at: datetime
    published_at: datetime | None
    requirements: Requirements
    documents: tuple[DocumentItem, ...]
    stages: tuple[StageView, ...]
    counts: dict[str, int] = field(default_factory=dict)  # application status → how many

    @property
    def draft(self) -> bool:
        return self.published_at is None


async def _views(uow: UnitOfWork, rows: list[Vacancy], counts: dict[int, Counter[str]] | None = None
                 ) -> list[AdminVacancy]:
    stages = await uow.vacancies.stages([v.id for v in rows])
    agencies = await uow.vacancies.agency_names(sorted({v.agency_id for v in rows}))
    return [AdminVacancy(
        v.id, v.code, v.jabatan, v.agency_id, agencies.get(v.agency_id, "-"), v.kind, v.opens_at, v.closes_at,
        v.published_at, Requirements.from_data(v.requirements or {}),
        tuple(DocumentItem.from_data(d) for d in v.documents or ()),
        tuple(StageView(s.id, s.position, s.key, s.name, s.published_at is not None) for s in stages[v.id]),
        dict((counts or {}).get(v.id, Counter()))) for v in rows]


def check_access(actor: Person) -> None:
    """HR or superadmin; for a button that answers before any other service is called."""
    require_role(actor.role, Role.HR)


async def get(uow: UnitOfWork, actor: Person, vacancy_id: int, *, for_update: bool = False) -> Vacancy:
    """The vacancy for HR (drafts included); NotFound for an id that is not there."""
    require_role(actor.role, Role.HR)
    v = await uow.vacancy_admin.vacancy(vacancy_id, for_update=for_update)
    if v is None:
        raise NotFound("vaa.err.not_found")
    return v


async def list_vacancies(uow: UnitOfWork, actor: Person) -> list[AdminVacancy]:
    require_role(actor.role, Role.HR)
    return await _views(uow, await uow.vacancy_admin.all())


async def card(uow: UnitOfWork, actor: Person, vacancy_id: int) -> AdminVacancy:
    v = await get(uow, actor, vacancy_id)
    counts = Counter(a.status for a, _ in await uow.vacancy_admin.applications(v.id))
    return (await _views(uow, [v], {v.id: counts}))[0]


async def agencies(uow: UnitOfWork, actor: Person) -> list[AgencyChoice]:
    require_role(actor.role, Role.HR)
    return [AgencyChoice.of(a) for a in await uow.agencies.all_active()]


async def check_code(uow: UnitOfWork, actor: Person, raw: str, vacancy_id: int | None = None) -> str:
    """A well-formed code no other vacancy has (the draft being edited may keep its own)."""
    require_role(actor.role, Role.HR)
    code = f.vacancy_code(raw)
    owner = await uow.vacancy_admin.code_owner(code)
    if owner is not None and owner != vacancy_id:
        raise InvalidInput("vaa.err.code_taken", taken=code)
    return code


async def check_agency(uow: UnitOfWork, actor: Person, raw: str) -> AgencyChoice:
    """An active agency by its id (a picked button) or its code (typed)."""
    value = (raw or "").strip()
    for a in await agencies(uow, actor):
        if value.upper() == a.code or (value.isascii() and value.isdigit() and int(value) == a.id):
            return a
    raise InvalidInput("vaa.err.agency")


async def input_of(uow: UnitOfWork, actor: Person, vacancy_id: int, *, tz: tzinfo) -> f.VacancyInput:
    """A draft's fields, to edit them; a published vacancy is not edited (its text was announced)."""
    v = await get(uow, actor, vacancy_id)
    if v.published_at is not None:
        raise DomainError("vaa.err.published")
    view = (await _views(uow, [v]))[0]
    return f.VacancyInput(v.code, v.jabatan, v.agency_id, v.kind, v.opens_at.astimezone(tz).date(),
                          v.closes_at.astimezone(tz).date(),
                          view.requirements, view.documents, tuple((s.key, s.name) for s in view.stages))


def _snapshot(v: Vacancy, stages: list[tuple[str | None, str]]) -> dict[str, Any]:
    """What the audit keeps of a vacancy: every field HR set, as JSON."""
    return {"code": v.code, "jabatan": v.jabatan, "agency_id": v.agency_id, "kind": v.kind,
            "opens_at": v.opens_at.isoformat(), "closes_at": v.closes_at.isoformat(),
            "requirements": v.requirements, "documents": v.documents, "stages": [list(s) for s in stages],
            "published_at": v.published_at.isoformat() if v.published_at else None}


async def _check(uow: UnitOfWork, actor: Person, inp: f.VacancyInput, vacancy_id: int | None, *,
                 now: datetime, tz: tzinfo) -> f.VacancyInput:
    today = now.astimezone(tz).date()
    code = await check_code(uow, actor, inp.code, vacancy_id)
    agency = await check_agency(uow, actor, str(inp.agency_id))
    kind = f.kind(inp.kind)
    opening = f.opens_on(inp.opens_on.isoformat(), today)
    closing = f.closes_on(inp.closes_on.isoformat(), opening, today)
    try:
        req = Requirements.from_data(inp.requirements.to_data())
    except (ValueError, TypeError):
        raise InvalidInput("vaa.err.requirements") from None
    for value, (lo, hi) in ((req.max_age, f.AGE_RANGE), (req.min_service_years, f.SERVICE_RANGE)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi):
            raise InvalidInput("vaa.err.requirements")
    return f.VacancyInput(code, f.jabatan(inp.jabatan), agency.id, kind, opening, closing, req,
                          f.check_documents(inp.documents), f.check_stages(inp.stages))


async def save_draft(uow: UnitOfWork, actor: Person, inp: f.VacancyInput, *, vacancy_id: int | None = None,
                     now: datetime, tz: tzinfo) -> AdminVacancy:
    """A new draft, or the draft `vacancy_id` rewritten; audited with what it was and is."""
    label, actor_id = actor_label(actor)
    clean = await _check(uow, actor, inp, vacancy_id, now=now, tz=tz)
    opens_at, closes_at = f.window(clean.opens_on, clean.closes_on, tz)
    values = {"code": clean.code, "jabatan": clean.jabatan, "agency_id": clean.agency_id, "kind": clean.kind,
              "opens_at": opens_at, "closes_at": closes_at, "requirements": clean.requirements.to_data(),
              "documents": [d.to_data() for d in clean.documents]}
    if vacancy_id is None:
        v = uow.vacancies.add(Vacancy(**values, published_at=None, created_at=now))
        await uow.flush()
        before = None
    else:
        v = await get(uow, actor, vacancy_id, for_update=True)
        if v.published_at is not None:
            raise DomainError("vaa.err.published")
        old = (await uow.vacancies.stages([v.id]))[v.id]
        before = _snapshot(v, [(s.key, s.name) for s in old])
        for k, value in values.items():
            setattr(v, k, value)
        await uow.vacancy_admin.drop_stages(v.id)  # a draft has no results yet: its stages are rewritten
    for position, (key, name) in enumerate(clean.stages, 1):
        uow.vacancies.add(VacancyStage(vacancy_id=v.id, position=position, key=key, name=name))
    await uow.flush()
    uow.audit.record(label, "vacancy.draft_created" if before is None else "vacancy.draft_edited",
                     f"vacancy:{v.id}", actor_user_id=actor_id, before=before,
                     after=_snapshot(v, list(clean.stages)))
    return await card(uow, actor, v.id)


async def publish(uow: UnitOfWork, actor: Person, vacancy_id: int, *, now: datetime) -> AdminVacancy:
    """A draft becomes visible (from its opening day). Once: publishing twice is refused."""
    label, actor_id = actor_label(actor)
    v = await get(uow, actor, vacancy_id, for_update=True)
    if v.published_at is not None:
        raise DomainError("vaa.err.published")
    if v.closes_at <= now:
        raise DomainError("vaa.err.publish_closed")
    if not v.documents or not (await uow.vacancies.stages([v.id]))[v.id]:
        raise DomainError("vaa.err.publish_incomplete")
    v.published_at = now
    uow.audit.record(label, "vacancy.published", f"vacancy:{v.id}", actor_user_id=actor_id,
                     before={"published_at": None}, after={"published_at": now.isoformat()}, code=v.code)
    return await card(uow, actor, v.id)
