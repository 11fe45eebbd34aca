"""HR's screens of the open selection. Every value HR or an applicant typed is escaped here."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from handlers.callbacks import Callback
from handlers.dates import moment, short_day
from handlers.feature import renders
from handlers.flow import Step
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Cancel, Menu
from handlers.render import escape
from handlers.router import Chat
from handlers.vacancies.admin.callbacks import (
    VaaAccept,
    VaaApplicant,
    VaaApplicants,
    VaaCard,
    VaaEdit,
    VaaEditDraft,
    VaaExport,
    VaaGrade,
    VaaList,
    VaaNew,
    VaaOpen,
    VaaPublish,
    VaaPublishYes,
    VaaReject,
    VaaSave,
    VaaStage,
    VaaStagePublish,
    VaaStages,
)
from handlers.vacancies.admin.steps import Create, DraftData
from handlers.vacancies.callbacks import VacFix, VacTrack
from handlers.vacancies.views import (
    STATUS_ICON,
    requirement_lines,
    score,
    stage_label,
    stage_name,
    types_text,
)
from services.vacancies.dto import SUBMITTED
from services.vacancies.manage import AdminVacancy, check_access
from services.vacancies.notices import DocumentReviewed
from services.vacancies.review import ApplicantCard, ApplicantRow, StageSheet
from services.vacancies.rules import ACCEPTED, REJECTED

PAGE = 8
REVIEW_ICON = {ACCEPTED: "✅", REJECTED: "❌", None: "⏳"}


def home_row(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("vaa.btn.list"), VaaList().pack()), Button(chat.t("menu.back"), Menu().pack())]]


async def expired(chat: Chat, cb: object = None) -> None:
    """A button of a question that is over, or of an earlier one (a step button's `otherwise`): said
    so, with the way home. HR's only: the role is checked as the step's own handler would."""
    check_access(chat.person)
    chat.reply(chat.t("vaa.err.expired"), home_row(chat))


def _nav(chat: Chat, page: int, pages: int, make: Callable[[int], Callback]) -> list[Button]:
    nav = []
    if page > 0:
        nav.append(Button(chat.t("vac.btn.prev"), make(page - 1).pack()))
    if page < pages - 1:
        nav.append(Button(chat.t("vac.btn.next"), make(page + 1).pack()))
    return nav


def vacancy_list(chat: Chat, rows: list[AdminVacancy], page: int) -> None:
    pages = max(1, (len(rows) + PAGE - 1) // PAGE)
    page = max(0, min(page, pages - 1))
    lines = [chat.t("vaa.list.title", n=len(rows))]
    buttons: list[list[Button]] = [[Button(chat.t("vaa.btn.new"), VaaNew().pack())]]
    for v in rows[page * PAGE:(page + 1) * PAGE]:
        state = chat.t("vaa.draft") if v.draft else chat.t("vaa.published_short")
        lines.append(f"• <b>{escape(v.jabatan)}</b> ({escape(v.code)}) — {state}")
        buttons.append([Button(f"{'📝' if v.draft else '📢'} {v.jabatan}"[:60], VaaCard(v.id).pack())])
    if not rows:
        lines.append(chat.t("vaa.list.empty"))
    if pages > 1:
        lines.append(chat.t("vac.page", page=page + 1, pages=pages))
        buttons.append(_nav(chat, page, pages, lambda p: VaaList(p)))
    buttons.append([Button(chat.t("menu.back"), Menu().pack())])
    chat.reply("\n".join(lines), buttons, edit=True)


def _stages(chat: Chat, v: AdminVacancy) -> str:
    return "\n".join(f"{'📢' if s.published else '▫️'} {s.position}. {stage_name(chat.locale, s.key, s.name)}"
                     for s in v.stages)


def details(chat: Chat, v: AdminVacancy) -> str:
    loc, tz = chat.locale, chat.settings.tz
    state = (chat.t("vaa.state.draft") if v.published_at is None else  # v.draft, spelt out: the time is then known
             chat.t("vaa.state.published", at=moment(loc, v.published_at, tz)))
    return "\n\n".join([
        chat.t("vaa.card", jabatan=escape(v.jabatan), code=escape(v.code), agency=escape(v.agency),
               kind=chat.t(f"vac.kind.{v.kind}"), opens=moment(loc, v.opens_at, tz),
               closes=moment(loc, v.closes_at, tz), state=state),
        chat.t("vac.card.requirements") + "\n" + "\n".join(f"• {x}" for x in requirement_lines(loc, v.requirements)),
        chat.t("vac.card.documents") + "\n" + "\n".join(f"• {escape(d.label)} ({types_text(loc, d.types)})"
                                                        for d in v.documents),
        chat.t("vac.card.stages") + "\n" + _stages(chat, v)])


def card(chat: Chat, v: AdminVacancy, lead: str = "") -> None:
    counts = chat.t("vaa.counts", submitted=v.counts.get("submitted", 0), draft=v.counts.get("draft", 0),
                    withdrawn=v.counts.get("withdrawn", 0))
    rows: list[list[Button]] = []
    if v.draft:
        rows.append([Button(chat.t("vaa.btn.edit"), VaaEditDraft(v.id).pack()),
                     Button(chat.t("vaa.btn.publish"), VaaPublish(v.id).pack())])
    rows.append([Button(chat.t("vaa.btn.applicants"), VaaApplicants(v.id).pack()),
                 Button(chat.t("vaa.btn.stages"), VaaStages(v.id).pack())])
    rows.append([Button(chat.t("vaa.btn.export"), VaaExport(v.id).pack())])
    rows += home_row(chat)
    text = details(chat, v) + "\n\n" + counts
    chat.reply(f"{lead}\n\n{text}" if lead else text, rows, edit=True)


def _day(chat: Chat, iso: str) -> str:
    return short_day(chat.locale, date.fromisoformat(iso)) if iso else "-"


def summary(chat: Chat, d: DraftData, steps: list[Step]) -> tuple[str, list[list[Button]]]:
    """Everything the draft will hold, with one edit button per field."""
    loc = chat.locale
    req = requirement_lines(loc, d.requirements())
    docs = "\n".join(f"• {escape(x['label'])}" for x in d.documents) or "-"
    stages = "\n".join(f"{i}. {stage_name(loc, k, n)}" for i, (k, n) in enumerate(d.stages, 1)) or "-"
    text = chat.t("vaa.summary", code=escape(d.code), jabatan=escape(d.jabatan), agency=escape(d.agency),
                  kind=chat.t(f"vac.kind.{d.kind}") if d.kind else "-", opens=_day(chat, d.opens),
                  closes=_day(chat, d.closes), requirements="\n".join(f"• {x}" for x in req), documents=docs,
                  stages=stages)
    if d.vacancy_id:
        text = chat.t("vaa.summary.editing") + "\n\n" + text
    buttons = [Button(chat.t(f"vaa.field.{s.attr}"), VaaEdit(Create.steps.index(s)).pack()) for s in steps]
    rows = [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    rows.append([Button(chat.t("vaa.btn.save"), VaaSave().pack())])
    rows.append([Button(chat.t("btn.cancel"), Cancel().pack())])
    return text, rows


def publish_confirm(chat: Chat, v: AdminVacancy) -> None:
    chat.reply(chat.t("vaa.publish.confirm", jabatan=escape(v.jabatan), code=escape(v.code),
                      opens=moment(chat.locale, v.opens_at, chat.settings.tz),
                      closes=moment(chat.locale, v.closes_at, chat.settings.tz)),
               [[Button(chat.t("vaa.btn.publish_yes"), VaaPublishYes(v.id).pack())],
                [Button(chat.t("btn.cancel"), VaaCard(v.id).pack())]], edit=True)


def _docs_line(chat: Chat, r: ApplicantRow, key: str = "vaa.docs_count") -> str:
    """'dokumen 3/3 (1 ditolak)' in the list; on the card, under its own heading, '3/3 (1 ditolak)'."""
    parts = [chat.t(key, have=r.docs_have, needed=r.docs_needed)]
    if r.docs_rejected:
        parts.append(chat.t("vaa.docs_rejected", n=r.docs_rejected))
    if r.docs_corrected:
        parts.append(chat.t("vaa.docs_corrected", n=r.docs_corrected))
    return " ".join(parts)


def applicants(chat: Chat, v: AdminVacancy, rows: list[ApplicantRow], page: int) -> None:
    pages = max(1, (len(rows) + PAGE - 1) // PAGE)
    page = max(0, min(page, pages - 1))
    lines = [chat.t("vaa.applicants.title", jabatan=escape(v.jabatan), n=len(rows)),
             chat.t("vaa.counts", submitted=v.counts.get("submitted", 0), draft=v.counts.get("draft", 0),
                    withdrawn=v.counts.get("withdrawn", 0))]
    buttons: list[list[Button]] = []
    for r in rows[page * PAGE:(page + 1) * PAGE]:
        lines.append(f"• <b>{escape(r.name)}</b> — {chat.t(f'vac.status.{r.status}')}; {_docs_line(chat, r)}")
        buttons.append([Button(r.name[:60], VaaApplicant(r.application_id).pack())])
    if not rows:
        lines.append(chat.t("vaa.applicants.empty"))
    if pages > 1:
        lines.append(chat.t("vac.page", page=page + 1, pages=pages))
        buttons.append(_nav(chat, page, pages, lambda p: VaaApplicants(v.id, p)))
    buttons.append([Button(chat.t("vaa.btn.back_card"), VaaCard(v.id).pack())])
    chat.reply("\n".join(lines), buttons, edit=True)


def applicant(chat: Chat, c: ApplicantCard, lead: str = "") -> None:
    loc, r = chat.locale, c.row
    lines = [chat.t("vaa.applicant", name=escape(r.name), nip=escape(r.nip), agency=escape(r.agency),
                    jabatan=escape(c.vacancy.jabatan), status=chat.t(f"vac.status.{r.status}"))]
    if r.submitted_at:
        lines.append(chat.t("vac.track.submitted", at=moment(loc, r.submitted_at, chat.settings.tz)))
    lines.append(chat.t("vac.card.documents") + " " + _docs_line(chat, r, "vaa.docs_of"))
    buttons: list[list[Button]] = []
    for d in c.documents:
        line = f"{REVIEW_ICON.get(d.review, '⏳')} {escape(d.label)} — {escape(d.name or '-')}"
        if d.corrected_at:  # a replacement for a file HR rejected: the earlier review was of the old one
            line += " " + chat.t("vaa.doc.corrected", at=moment(loc, d.corrected_at, chat.settings.tz))
        if d.review == REJECTED and d.reason:
            line += "\n   " + chat.t("vaa.doc.reason", reason=escape(d.reason))
        lines.append(line)
        buttons.append([Button(f"📄 {d.label}"[:60], VaaOpen(d.id).pack())])
        buttons.append([Button(chat.t("vaa.btn.accept"), VaaAccept(d.id).pack()),
                        Button(chat.t("vaa.btn.reject"), VaaReject(d.id).pack())])
    have = {d.code for d in c.documents}
    lines += [f"⬜ {escape(x.label)} — {chat.t('vaa.doc.missing')}" for x in c.vacancy.documents if x.code not in have]
    if c.vacancy.stages and r.status == SUBMITTED:
        lines.append(chat.t("vac.card.stages"))
        for s in c.vacancy.stages:
            res = c.results.get(s.id)
            mark = "" if s.published else " " + chat.t("vaa.not_announced")
            value = chat.t(f"vac.result.{res.status}") if res else "-"
            if res and res.score is not None:
                value += " " + chat.t("vac.track.score", score=score(loc, res.score))
            lines.append(f"{STATUS_ICON.get(res.status if res else '', '⏳')} {s.position}. "
                         f"{stage_name(loc, s.key, s.name)}: {value}{mark}")
    buttons.append([Button(chat.t("vaa.btn.back_applicants"), VaaApplicants(c.vacancy.id).pack())])
    text = "\n".join(lines)
    chat.reply(f"{lead}\n\n{text}" if lead else text, buttons, edit=True)


def stages(chat: Chat, v: AdminVacancy) -> None:
    rows = [[Button(f"{'📢' if s.published else '▫️'} {s.position}. {stage_label(chat.locale, s)}"[:60],
                    VaaStage(s.id).pack())] for s in v.stages]
    rows.append([Button(chat.t("vaa.btn.back_card"), VaaCard(v.id).pack())])
    chat.reply(chat.t("vaa.stages.title", jabatan=escape(v.jabatan)) + "\n\n" + _stages(chat, v), rows, edit=True)


def stage_sheet(chat: Chat, sheet: StageSheet, page: int, lead: str = "") -> None:
    loc, s = chat.locale, sheet.stage
    state = chat.t("vaa.stage.published") if s.published else chat.t("vaa.stage.open", missing=sheet.missing)
    lines = [chat.t("vaa.stage.title", stage=stage_name(loc, s.key, s.name), jabatan=escape(sheet.vacancy.jabatan)),
             state]
    pages = max(1, (len(sheet.rows) + PAGE - 1) // PAGE)
    page = max(0, min(page, pages - 1))
    buttons: list[list[Button]] = []
    for r in sheet.rows[page * PAGE:(page + 1) * PAGE]:
        if not r.in_running:
            lines.append(f"➖ {escape(r.name)}: {chat.t('vaa.out_earlier')}")
            continue
        value = chat.t(f"vac.result.{r.result.status}") if r.result else chat.t("vaa.no_result")
        if r.result and r.result.score is not None:
            value += " " + chat.t("vac.track.score", score=score(loc, r.result.score))
        if r.result and r.result.revision > 1:
            value += " " + chat.t("vaa.revision", n=r.result.revision)
        lines.append(f"{STATUS_ICON.get(r.result.status if r.result else '', '⏳')} {escape(r.name)}: {value}")
        buttons.append([Button(r.name[:60], VaaGrade(s.id, r.application_id).pack())])
    if not sheet.rows:
        lines.append(chat.t("vaa.applicants.empty"))
    if pages > 1:
        lines.append(chat.t("vac.page", page=page + 1, pages=pages))
        buttons.append(_nav(chat, page, pages, lambda p: VaaStage(s.id, p)))
    if not s.published:
        buttons.append([Button(chat.t("vaa.btn.announce"), VaaStagePublish(s.id).pack())])
    buttons.append([Button(chat.t("vaa.btn.back_stages"), VaaStages(sheet.vacancy.id).pack())])
    text = "\n".join(lines)
    chat.reply(f"{lead}\n\n{text}" if lead else text, buttons, edit=True)


@renders(DocumentReviewed)
def document_reviewed(loc: str, n: DocumentReviewed) -> Reply:
    if n.accepted:
        text = t(loc, "vaa.notice.accepted", label=escape(n.label), jabatan=escape(n.jabatan))
    else:
        text = t(loc, "vaa.notice.rejected", label=escape(n.label), jabatan=escape(n.jabatan),
                 reason=escape(n.reason or "-"))
    rows = [[Button(t(loc, "vac.btn.track"), VacTrack(n.application_id).pack())]]
    if not n.accepted and n.document_id is not None:  # whether it is still open is checked when pressed
        text += "\n\n" + t(loc, "vaa.notice.fix")
        rows.insert(0, [Button(t(loc, "vac.btn.fix"), VacFix(n.document_id).pack())])
    return Reply(text, rows)
