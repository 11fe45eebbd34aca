"""Stage results from a spreadsheet: `nip,vacancy,stage,status[,score]`, through `record_result`.

`vacancy` is the vacancy's code; `stage` its position (1, 2…), standard key or name; `status`
lulus / tidak_lulus (or menunggu); `score` 0–100 or empty. Each good row goes through
`selection.record_result` (HR-only, audited per result), so the file obeys exactly the rules of
the chat: a stage already announced is not changed from a file (a correction needs a reason,
given in the chat), an applicant out of the running gets no result. Reasons never show a whole NIP.
"""

from __future__ import annotations

from datetime import datetime

from db.models import Vacancy
from db.uow import UnitOfWork
from services.account import nip as nips
from services.errors import DomainError, InvalidInput
from services.imports.kinds import Context, Kind
from services.roles import Role, require_role
from services.spreadsheet import LOST_DIGITS, BadCell, ImportReport, Row, Table
from services.users import Person
from services.vacancies import selection
from services.vacancies.dto import RESULT_STATUSES, SUBMITTED

REQUIRED = ("nip", "vacancy", "stage", "status")
OPTIONAL = ("score",)
_STATUS = {s.replace("_", " "): s for s in RESULT_STATUSES} | {s: s for s in RESULT_STATUSES}


def _parse(row: Row) -> tuple[str, str, str, str, float | None]:
    raw = row.get("nip", "").strip()
    if raw == LOST_DIGITS:
        raise BadCell("nip", "imp.row.nip_lost_digits")
    nip = nips.clean(raw)
    if len(nip) != 18:
        raise BadCell("nip", "imp.row.nip_length", got=len(nip))
    code = row.get("vacancy", "").strip().upper()
    if not code:
        raise BadCell("vacancy", "imp.row.empty")
    stage = " ".join(row.get("stage", "").split()).lower()
    if not stage:
        raise BadCell("stage", "imp.row.empty")
    status = _STATUS.get(" ".join(row.get("status", "").lower().replace("-", " ").split()))
    if status is None:
        raise BadCell("status", "imp.row.result_status", value=row.get("status", "")[:20])
    raw_score = row.get("score", "").strip().replace(",", ".")
    score = None
    if raw_score:
        try:
            score = float(raw_score)
        except ValueError:
            raise BadCell("score", "imp.row.score", value=raw_score[:20]) from None
        if not 0 <= score <= 100:
            raise BadCell("score", "imp.row.score", value=raw_score[:20])
        score = round(score, 2)
    return nip, code, stage, status, score


async def import_rows(uow: UnitOfWork, actor: Person | None, header: list[str], rows: list[tuple[int, Row]], *,
                      now: datetime, dry_run: bool = False) -> ImportReport:
    """Each good row recorded by `selection.record_result` in `actor`'s name; `dry_run` writes nothing."""
    if actor is None:
        raise DomainError("import.results_need_person")
    require_role(actor.role, Role.HR)
    report = ImportReport()
    seen: set[tuple[int, int]] = set()
    vacancies: dict[str, Vacancy | None] = {}
    for line, row in rows:
        try:
            nip, code, stage_word, status, score = _parse(row)
        except BadCell as e:
            report.reject_cell(line, e)
            continue
        if code not in vacancies:
            vacancies[code] = await uow.vacancies.by_code(code)
        vacancy = vacancies[code]
        if vacancy is None:
            report.reject(line, "vacancy", "imp.row.unknown_vacancy", code=code[:32])
            continue
        stages = (await uow.vacancies.stages([vacancy.id]))[vacancy.id]
        stage = next((s for s in stages if stage_word in (str(s.position), (s.key or "").lower(), s.name.lower())),
                     None)
        if stage is None:
            report.reject(line, "stage", "imp.row.no_stage", code=code[:32], stage=stage_word[:40])
            continue
        employees = await uow.employees.by_nips([nip])
        emp = employees.get(nip)
        app = await uow.vacancies.application_for(vacancy.id, emp.id) if emp else None
        if app is None or app.status != SUBMITTED:
            report.reject(line, "nip", "imp.row.no_application", nip=nips.mask(nip), code=code[:32])
            continue
        if (app.id, stage.id) in seen:
            report.reject(line, "stage", "imp.row.result_repeated")
            continue
        seen.add((app.id, stage.id))
        if stage.published_at is not None:
            report.reject(line, "stage", "imp.row.stage_announced")
            continue
        existing = (await uow.vacancies.results_of(app.id)).get(stage.id)
        if existing is not None and (existing.status, existing.score) == (status, score):
            report.unchanged += 1
            continue
        if not dry_run:
            try:
                await selection.record_result(uow, actor, app.id, stage.id, status, score, now=now)
            except InvalidInput as e:
                report.reject(line, "status", e.code, **e.params)
                continue
            except DomainError as e:  # out of the running at an earlier stage, and the like
                report.reject(line, None, e.code, **e.params)
                continue
        if existing is None:
            report.created += 1
        else:
            report.updated += 1
    report.errors.sort()
    return report


async def _run(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    return await import_rows(uow, ctx.person, table.header, table.rows, now=ctx.now, dry_run=dry_run)


KIND = Kind("results", REQUIRED, OPTIONAL, _run, None, ("hasil", "seleksi", "results"),
            label="vaa.import_kind", order=40, by_person=True)
