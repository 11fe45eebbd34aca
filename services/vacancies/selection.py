"""What HR does with a selection: record each applicant's result at a stage, then announce the stage.

HR's console (handlers/vacancies/admin) calls these. Each checks the role itself,
writes an audit row, and announcing queues a notice to every applicant in the same transaction.
A result that was announced is never changed quietly: a correction needs a reason, is audited
with the old and new values, and tells the applicant.
"""

from __future__ import annotations

import math
from datetime import datetime

from db.models import VacancyApplication, VacancyResult, VacancyStage
from db.uow import UnitOfWork
from services.errors import DomainError, InvalidInput, NotFound
from services.notice import queue
from services.roles import Role, require_role
from services.users import Person
from services.vacancies.dto import LULUS, MENUNGGU, RESULT_STATUSES, SUBMITTED, ResultView
from services.vacancies.notices import StageResult

REASON_LIMIT = 500


def _view(r: VacancyResult, stage: VacancyStage) -> ResultView:
    return ResultView(r.application_id, r.stage_id, r.status, r.score, r.revision, stage.published_at is not None)


async def _earlier(uow: UnitOfWork, stage: VacancyStage) -> list[VacancyStage]:
    return [s for s in (await uow.vacancies.stages([stage.vacancy_id]))[stage.vacancy_id]
            if s.position < stage.position]


async def _in_running(uow: UnitOfWork, stage: VacancyStage) -> tuple[list[VacancyApplication],
                                                                      list[VacancyApplication]]:
    """(still in the running at `stage`, out of it): submitted applicants by their earlier results."""
    earlier = {s.id for s in await _earlier(uow, stage) if s.published_at is not None}
    applicants = [a for a, _ in await uow.vacancies.applicants(stage.vacancy_id)]
    failed = {r.application_id for r in await uow.vacancies.results_for([a.id for a in applicants])
              if r.stage_id in earlier and r.status != LULUS}
    return [a for a in applicants if a.id not in failed], [a for a in applicants if a.id in failed]


def _check_score(score: float | None) -> float | None:
    if score is None:
        return None
    if isinstance(score, bool) or not isinstance(score, int | float) or not math.isfinite(score) \
            or not 0 <= score <= 100:
        raise InvalidInput("vac.err.bad_score")
    return round(float(score), 2)


async def record_result(uow: UnitOfWork, actor: Person, application_id: int, stage_id: int, status: str,
                        score: float | None = None, *, now: datetime, reason: str | None = None) -> ResultView:
    """An applicant's result at a stage. Before the stage is announced it may change freely (it is
    not visible yet); afterwards only as a correction with a reason, which the applicant is told."""
    require_role(actor.role, Role.HR)
    if status not in RESULT_STATUSES:
        raise InvalidInput("vac.err.bad_status")
    score = _check_score(score)
    stage = await uow.vacancies.stage(stage_id, for_update=True)
    app = await uow.vacancies.application(application_id, for_update=True)
    if stage is None or app is None or app.vacancy_id != stage.vacancy_id:
        raise NotFound("vac.err.no_application")
    if app.status != SUBMITTED:
        raise DomainError("vac.err.not_submitted")
    running, _ = await _in_running(uow, stage)
    if app.id not in {a.id for a in running}:
        raise DomainError("vac.err.eliminated")
    existing = (await uow.vacancies.results_of(app.id)).get(stage.id)
    actor_label = f"user:{actor.id}"
    if stage.published_at is not None:
        reason = (reason or "").strip()[:REASON_LIMIT]
        if not reason:
            raise DomainError("vac.err.published")
        if status == MENUNGGU:
            raise InvalidInput("vac.err.bad_status")
        if existing is None:  # an announced stage has a result for everyone in the running
            raise NotFound("vac.err.no_application")
        if (existing.status, existing.score) == (status, score):
            return _view(existing, stage)
        old = {"status": existing.status, "score": existing.score}
        existing.status, existing.score, existing.revision = status, score, existing.revision + 1
        existing.recorded_at, existing.recorded_by = now, actor.id
        uow.audit.record(actor_label, "vacancy.result_corrected", f"application:{app.id}", actor_user_id=actor.id,
                         stage=stage.id, old=old, new={"status": status, "score": score}, reason=reason)
        if app.user_id is not None:
            await _notify(uow, app, stage, status, score, corrected=True,
                          key=f"vac-fix:{existing.id}:{existing.revision}")
        return _view(existing, stage)
    before = {"status": existing.status, "score": existing.score} if existing else None
    if existing is None:
        existing = uow.vacancies.add(VacancyResult(application_id=app.id, stage_id=stage.id, status=status,
                                                   score=score, revision=1, recorded_at=now, recorded_by=actor.id))
        await uow.flush()
    else:
        existing.status, existing.score, existing.recorded_at, existing.recorded_by = status, score, now, actor.id
    uow.audit.record(actor_label, "vacancy.result", f"application:{app.id}", actor_user_id=actor.id,
                     stage=stage.id, status=status, score=score, before=before,
                     after={"status": status, "score": score})
    return _view(existing, stage)


async def _notify(uow: UnitOfWork, app: VacancyApplication, stage: VacancyStage, status: str | None,
                  score: float | None, *, corrected: bool, key: str) -> None:
    v = await uow.vacancies.get(app.vacancy_id)
    assert v is not None and app.user_id is not None
    await queue(uow, app.user_id, StageResult(app.id, stage.id, v.jabatan, stage.key, stage.name, status, score,
                                              corrected), dedupe_key=key)


in_running = _in_running  # HR's stage sheet reads the same rule


async def publish_stage(uow: UnitOfWork, actor: Person, stage_id: int, *, now: datetime) -> int:
    """Announce a stage: every applicant in the running has a final result (lulus / tidak lulus),
    the earlier stages are announced; each submitted applicant is told. Returns the notices queued."""
    require_role(actor.role, Role.HR)
    stage = await uow.vacancies.stage(stage_id, for_update=True)
    if stage is None:
        raise NotFound("vac.err.not_published")
    if stage.published_at is not None:
        raise DomainError("vac.err.already_published")
    pending = [s for s in await _earlier(uow, stage) if s.published_at is None]
    if pending:
        raise DomainError("vac.err.earlier_unpublished", stage=pending[0].name)
    running, out = await _in_running(uow, stage)
    results = await uow.vacancies.results_at(stage.id)
    missing = [a for a in running if a.id not in results or results[a.id].status == MENUNGGU]
    if missing:
        raise DomainError("vac.err.results_missing", count=len(missing))
    stage.published_at = now
    uow.audit.record(f"user:{actor.id}", "vacancy.publish", f"stage:{stage.id}", actor_user_id=actor.id,
                     vacancy=stage.vacancy_id, results=len(running))
    queued = 0
    for app in running + out:
        if app.user_id is None:
            continue
        r = results.get(app.id)
        await _notify(uow, app, stage, r.status if r else None, r.score if r else None, corrected=False,
                      key=f"vac-stage:{stage.id}:{app.id}")
        queued += 1
    return queued
