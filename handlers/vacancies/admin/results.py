"""Stage results in the chat: a stage's sheet, one applicant's lulus / tidak lulus and score, the
stage's announcement to every applicant, and a correction after it (a reason, audited, the
applicant told) — all through services/vacancies/selection, which checks the role and the ids.
"""

from __future__ import annotations

from handlers.kit import Button, Kind
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.vacancies.admin import views
from handlers.vacancies.admin.callbacks import (
    VaaGrade,
    VaaGradeSet,
    VaaNoScore,
    VaaStage,
    VaaStagePublish,
    VaaStagePublishYes,
    VaaStages,
)
from handlers.vacancies.admin.steps import GradeData, Grading, leave_flows
from handlers.vacancies.views import stage_name
from services.errors import DomainError
from services.vacancies import fields, manage, review, selection
from services.vacancies.dto import LULUS, TIDAK_LULUS

router = Router("vacancies_admin.results")


@router.callback(VaaStages)
async def stages(chat: Chat, cb: VaaStages) -> None:
    leave_flows(chat)
    views.stages(chat, await manage.card(chat.uow, chat.person, cb.vacancy_id))


async def _sheet(chat: Chat, stage_id: int, page: int = 0, lead: str = "") -> None:
    views.stage_sheet(chat, await review.stage_sheet(chat.uow, chat.person, stage_id), page, lead)


@router.callback(VaaStage)
async def stage(chat: Chat, cb: VaaStage) -> None:
    leave_flows(chat)  # back from a score or reason: nothing was recorded
    await _sheet(chat, cb.stage_id, cb.page)


def _row(sheet: review.StageSheet, application_id: int) -> review.StageRow:
    """The applicant on this stage's sheet: an application of another vacancy is not there."""
    row = next((r for r in sheet.rows if r.application_id == application_id), None)
    if row is None:
        raise DomainError("vac.err.no_application")
    if not row.in_running:
        raise DomainError("vac.err.eliminated")
    return row


@router.callback(VaaGrade)
async def grade(chat: Chat, cb: VaaGrade) -> None:
    sheet = await review.stage_sheet(chat.uow, chat.person, cb.stage_id)
    row = _row(sheet, cb.application_id)
    s = sheet.stage
    lines = [chat.t("vaa.grade.ask", name=escape(row.name), stage=stage_name(chat.locale, s.key, s.name))]
    if s.published:
        lines.append(chat.t("vaa.grade.correction_warning"))
    chat.reply("\n\n".join(lines), [
        [Button(chat.t("vaa.btn.lulus"), VaaGradeSet(s.id, row.application_id, True).pack()),
         Button(chat.t("vaa.btn.tidak_lulus"), VaaGradeSet(s.id, row.application_id, False).pack())],
        [Button(chat.t("btn.cancel"), VaaStage(s.id).pack())]], edit=True)


@router.callback(VaaGradeSet)
async def grade_set(chat: Chat, cb: VaaGradeSet) -> None:
    sheet = await review.stage_sheet(chat.uow, chat.person, cb.stage_id)
    row = _row(sheet, cb.application_id)
    chat.clear()
    chat.save(GradeData(stage_id=cb.stage_id, application_id=cb.application_id, passed=cb.passed,
                        published=sheet.stage.published, revision=row.result.revision if row.result else 0))
    await Grading.start(chat)


def _cancel(chat: Chat) -> list[Button]:
    return [Button(chat.t("btn.cancel"), VaaStage(chat.load(GradeData).stage_id).pack())]


@Grading.score.asks
def ask_score(chat: Chat) -> None:
    chat.reply(chat.t("vaa.ask.score"), [[Button(chat.t("vaa.btn.no_score"), VaaNoScore().pack())], _cancel(chat)])


@Grading.correction.asks
def ask_correction(chat: Chat) -> None:
    chat.reply(chat.t("vaa.ask.correction", max=selection.REASON_LIMIT), [_cancel(chat)])


async def _record(chat: Chat, d: GradeData, reason: str | None = None) -> None:
    status = LULUS if d.passed else TIDAK_LULUS
    try:
        done = await selection.record_result(chat.uow, chat.person, d.application_id, d.stage_id, status, d.score,
                                             now=chat.now, reason=reason)
    except DomainError as e:
        if e.code == "vac.err.published" and not d.published:
            # Announced while HR was typing: the change is now a correction, with a reason.
            chat.save(GradeData(d.stage_id, d.application_id, d.passed, d.score, True, d.revision))
            await Grading.correction.enter(chat)
            chat.replies[-1].text = chat.t("vaa.grade.now_published") + "\n\n" + chat.replies[-1].text
            return
        chat.clear()  # nothing was recorded: say why, and go back to the stage from here
        chat.reply(chat.error_text(e), [[Button(chat.t("vaa.btn.back_stage"), VaaStage(d.stage_id).pack())]])
        return
    chat.clear()
    key = ("vaa.grade.unchanged" if done.revision == d.revision else "vaa.grade.corrected") if reason \
        else "vaa.grade.saved"
    await _sheet(chat, d.stage_id, lead=chat.t(key))


async def _scored(chat: Chat, raw: str) -> None:
    d = chat.load(GradeData)
    try:
        value = review.parse_score(raw)
    except DomainError as e:
        ask_score(chat)
        chat.replies[-1].text = "⚠️ " + chat.error_text(e) + "\n\n" + chat.replies[-1].text
        return
    d = GradeData(d.stage_id, d.application_id, d.passed, value, d.published, d.revision)
    chat.save(d)
    if d.published:
        await Grading.advance(chat)
        return
    await _record(chat, d)


@router.step(Grading.score)
async def score_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        ask_score(chat)
        return
    await _scored(chat, chat.incoming.text)


@router.callback(VaaNoScore, during=Grading.score, otherwise=views.expired)
async def no_score(chat: Chat, cb: VaaNoScore) -> None:
    manage.check_access(chat.person)
    await _scored(chat, "-")


@router.step(Grading.correction)
async def correction_typed(chat: Chat) -> None:
    d = chat.load(GradeData)
    reason = chat.incoming.text if chat.incoming.kind is Kind.TEXT else ""
    try:
        clean = fields.text(reason, limit=selection.REASON_LIMIT, code="vaa.err.reason")
    except DomainError as e:
        ask_correction(chat)
        chat.replies[-1].text = "⚠️ " + chat.error_text(e) + "\n\n" + chat.replies[-1].text
        return
    await _record(chat, d, clean)


# --- announcing a stage ---------------------------------------------------------------------------------

@router.callback(VaaStagePublish)
async def publish(chat: Chat, cb: VaaStagePublish) -> None:
    sheet = await review.stage_sheet(chat.uow, chat.person, cb.stage_id)
    s = sheet.stage
    if s.published:
        raise DomainError("vac.err.already_published")
    running = sum(1 for r in sheet.rows if r.in_running)
    chat.reply(chat.t("vaa.announce.confirm", stage=stage_name(chat.locale, s.key, s.name),
                      jabatan=escape(sheet.vacancy.jabatan), n=len(sheet.rows), running=running,
                      missing=sheet.missing),
               [[Button(chat.t("vaa.btn.announce_yes"), VaaStagePublishYes(s.id).pack())],
                [Button(chat.t("btn.cancel"), VaaStage(s.id).pack())]], edit=True)


@router.callback(VaaStagePublishYes)
async def publish_yes(chat: Chat, cb: VaaStagePublishYes) -> None:
    try:
        queued = await selection.publish_stage(chat.uow, chat.person, cb.stage_id, now=chat.now)
    except DomainError as e:
        if e.code == "error.forbidden":
            raise
        await _sheet(chat, cb.stage_id, lead="⚠️ " + chat.error_text(e))  # what is missing, on the sheet
        return
    await _sheet(chat, cb.stage_id, lead=chat.t("vaa.announced", n=queued))
