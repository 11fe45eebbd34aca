"""`/kelolaseleksi`: HR's vacancies, each one's card, publishing a draft, the applicants and their
files (opened, accepted, rejected with a reason), the XLSX export.

Handlers only parse, call one service and render; a refusal (wrong role, a forged id) is a
DomainError the router answers in words, leaving the conversation where it was.
"""

from __future__ import annotations

import asyncio

from handlers.kit import Attachment, Button, Kind
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.vacancies.admin import views
from handlers.vacancies.admin.callbacks import (
    VaaAccept,
    VaaApplicant,
    VaaApplicants,
    VaaButtons,
    VaaCard,
    VaaExport,
    VaaList,
    VaaOpen,
    VaaPublish,
    VaaPublishYes,
    VaaReject,
)
from handlers.vacancies.admin.sheet import applicants_sheets
from handlers.vacancies.admin.steps import Rejecting, ReviewData, leave_flows
from services.errors import DomainError
from services.roles import ADMINS
from services.vacancies import export, manage, review
from services.xlsx import workbook

router = Router("vacancies_admin.console")


async def _list(chat: Chat, page: int) -> None:
    leave_flows(chat)
    views.vacancy_list(chat, await manage.list_vacancies(chat.uow, chat.person), page)


@router.command("kelolaseleksi", "selectionadmin")
async def command(chat: Chat) -> None:
    await _list(chat, 0)


@router.callback(VaaList)
async def listing(chat: Chat, cb: VaaList) -> None:
    await _list(chat, cb.page)


@router.callback(VaaCard)
async def card(chat: Chat, cb: VaaCard) -> None:
    leave_flows(chat)
    views.card(chat, await manage.card(chat.uow, chat.person, cb.vacancy_id))


# --- publishing a draft -------------------------------------------------------------------------------

@router.callback(VaaPublish)
async def publish(chat: Chat, cb: VaaPublish) -> None:
    """Ask once, and say what publishing does (and that the notices are the scheduler's)."""
    v = await manage.card(chat.uow, chat.person, cb.vacancy_id)
    if not v.draft:
        raise DomainError("vaa.err.published")
    views.publish_confirm(chat, v)


@router.callback(VaaPublishYes)
async def publish_yes(chat: Chat, cb: VaaPublishYes) -> None:
    v = await manage.publish(chat.uow, chat.person, cb.vacancy_id, now=chat.now)
    views.card(chat, v, chat.t("vaa.published"))


# --- applicants and their files ------------------------------------------------------------------------

@router.callback(VaaApplicants)
async def applicants(chat: Chat, cb: VaaApplicants) -> None:
    v, rows = await review.applicants(chat.uow, chat.person, cb.vacancy_id)
    leave_flows(chat)
    views.applicants(chat, v, rows, cb.page)


async def _applicant(chat: Chat, application_id: int, lead: str = "") -> None:
    views.applicant(chat, await review.applicant(chat.uow, chat.person, application_id), lead)


@router.callback(VaaApplicant)
async def applicant(chat: Chat, cb: VaaApplicant) -> None:
    leave_flows(chat)  # back from the reason's question: nothing was rejected
    await _applicant(chat, cb.application_id)


@router.callback(VaaOpen)
async def open_file(chat: Chat, cb: VaaOpen) -> None:
    """The file itself, sent back by Telegram's file id (the bot never kept the bytes)."""
    f = await review.document_file(chat.uow, chat.person, cb.document_id)
    chat.reply(escape(f.name), attachment=Attachment(kind=f.kind, file_id=f.file_id, filename=f.name))


@router.callback(VaaAccept)
async def accept(chat: Chat, cb: VaaAccept) -> None:
    doc = await review.review_document(chat.uow, chat.person, cb.document_id, accept=True, now=chat.now)
    app_id = await review.application_of(chat.uow, chat.person, cb.document_id)
    await _applicant(chat, app_id, chat.t("vaa.doc.accepted", label=escape(doc.label)))


@router.callback(VaaReject)
async def reject(chat: Chat, cb: VaaReject) -> None:
    app_id = await review.application_of(chat.uow, chat.person, cb.document_id)
    chat.clear()
    chat.save(ReviewData(document_id=cb.document_id, application_id=app_id))
    await Rejecting.start(chat)


@Rejecting.reason.asks
def ask_reason(chat: Chat) -> None:
    d = chat.load(ReviewData)
    chat.reply(chat.t("vaa.ask.reason", max=review.REASON_MAX),
               [[Button(chat.t("btn.cancel"), VaaApplicant(d.application_id).pack())]])


@router.step(Rejecting.reason)
async def reason_typed(chat: Chat) -> None:
    d = chat.load(ReviewData)
    if chat.incoming.kind is not Kind.TEXT:
        ask_reason(chat)
        return
    try:
        doc = await review.review_document(chat.uow, chat.person, d.document_id, accept=False,
                                           reason=chat.incoming.text, now=chat.now)
    except DomainError as e:
        if e.code != "vaa.err.reason":
            chat.clear()
            raise
        ask_reason(chat)
        chat.replies[-1].text = "⚠️ " + chat.error_text(e) + "\n\n" + chat.replies[-1].text
        return
    chat.clear()
    await _applicant(chat, d.application_id, chat.t("vaa.doc.rejected", label=escape(doc.label)))


# --- the export -------------------------------------------------------------------------------------------

@router.callback(VaaExport)
async def export_xlsx(chat: Chat, cb: VaaExport) -> None:
    f = await export.applicants_file(chat.uow, chat.person, cb.vacancy_id)
    tz = chat.settings.tz
    sheets = applicants_sheets(chat.locale, chat.now.astimezone(tz).tzname() or "", f)
    content = await asyncio.to_thread(workbook, sheets, tz=tz)  # off the event loop: chats keep being answered
    chat.reply(chat.t("vaa.exported", n=len(f.rows)),
               attachment=Attachment(kind="document", content=content, filename=f.filename))


router.menu_item("vaa.menu", VaaList(), roles=ADMINS, order=76)
router.help("vaa.help", ADMINS)

router.restrict(VaaButtons, commands=("kelolaseleksi", "selectionadmin"), roles=ADMINS)  # forged buttons: refused, audited
