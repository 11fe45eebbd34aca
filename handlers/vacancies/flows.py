"""`/lowongan` and `/lamaranku`: browse, check eligibility, apply with documents, follow the stages.

Applying is a declared flow: `confirm` (say yes to one vacancy) then `docs` (send each file of
the checklist). The state says which vacancy or application the chat is on, so an old "Ya,
lamar" button, or one for another vacancy, applies to nothing. A rejected file of a submitted
application is replaced through the same `docs` step ("Kirim perbaikan", `ApplyData.fix`): the
same service calls, so the same rule of what files are accepted: the file step itself, which
checks a file's bytes after the update (uploads.py), serves both. Everything a button or file
does goes through services/vacancies, which re-checks the person, the ids and the dates.
"""

from __future__ import annotations

from handlers.dates import moment
from handlers.kit import Button
from handlers.menu import Cancel, Menu
from handlers.render import escape
from handlers.router import Chat
from handlers.vacancies import views
from handlers.vacancies.callbacks import (
    VacApply,
    VacApplyYes,
    VacDocItem,
    VacDocs,
    VacList,
    VacMine,
    VacSubmit,
    VacTrack,
    VacView,
)
from handlers.vacancies.common import Apply, ApplyData, ctx, enter_docs, fail
from handlers.vacancies.common import router as router  # the feature's manifest checks it is one router
from services.errors import DomainError
from services.roles import STAFF, Role
from services.vacancies import applications as svc

# --- browsing ------------------------------------------------------------------------------------

@router.command("lowongan", "vacancies", "seleksi")
async def vacancies_command(chat: Chat) -> None:
    await _list(chat, 0, edit=False)


@router.intent("vac.list", ["lowongan", "lowongan jabatan", "seleksi terbuka", "lelang jabatan", "info lowongan"])
async def vacancies_intent(chat: Chat) -> None:
    await _list(chat, 0, edit=False)


@router.callback(VacList)
async def vacancies_page(chat: Chat, cb: VacList) -> None:
    await _list(chat, cb.page, edit=True)


async def _list(chat: Chat, page: int, *, edit: bool) -> None:
    if Apply.confirm.is_current(chat):
        chat.clear()  # looking elsewhere ends the question; a draft's documents stay saved
    try:
        found = await svc.list_open(chat.uow, chat.person, **ctx(chat))
    except DomainError as e:
        fail(chat, e, edit=edit)
        return
    text, rows = views.vacancy_list(chat.locale, chat.settings.tz, found, page)
    chat.reply(text, rows, edit=edit)


@router.callback(VacView)
async def vacancy(chat: Chat, cb: VacView) -> None:
    if Apply.confirm.is_current(chat):
        chat.clear()
    try:
        v = await svc.view(chat.uow, chat.person, cb.vacancy_id, **ctx(chat))
    except DomainError as e:
        fail(chat, e, edit=True)
        return
    text, rows = views.vacancy_card(chat.locale, chat.settings.tz, v)
    chat.reply(text, rows, edit=True)


# --- applying ------------------------------------------------------------------------------------

@router.callback(VacApply)
async def apply(chat: Chat, cb: VacApply) -> None:
    """Say what applying needs, and ask once; nothing is saved before "Ya, lamar"."""
    try:
        v = await svc.view(chat.uow, chat.person, cb.vacancy_id, **ctx(chat))
        if not v.is_open:
            raise svc.Closed(v.closes_at)
        if v.application_status == "submitted":
            raise DomainError("vac.err.already_applied")
        if v.application_status == "draft" and v.application_id is not None:
            await _open_docs(chat, v.application_id, edit=True)
            return
        if v.unmet:
            raise svc.NotEligible(list(v.unmet))
    except DomainError as e:
        fail(chat, e, edit=True)
        return
    chat.clear()
    chat.save(ApplyData(vacancy_id=v.id))
    chat.state = Apply.confirm.name
    chat.reply(views.confirm_apply(chat.locale, chat.settings.tz, v),
               [[Button(chat.t("vac.btn.yes_apply"), VacApplyYes(v.id).pack())],
                [Button(chat.t("btn.cancel"), VacView(v.id).pack())]], edit=True)


@Apply.confirm.asks
def ask_confirm(chat: Chat) -> None:
    chat.reply(chat.t("vac.confirm.again"), [[Button(chat.t("vac.btn.yes_apply"),
                                                     VacApplyYes(chat.load(ApplyData).vacancy_id).pack())],
                                             [Button(chat.t("btn.cancel"), Cancel().pack())]])


@router.step(Apply.confirm)
async def confirm_typed(chat: Chat) -> None:
    ask_confirm(chat)


async def _expired(chat: Chat, cb: VacApplyYes) -> None:
    """A "Ya, lamar" from an earlier question, for another vacancy, or forged: it applies to nothing."""
    chat.reply(chat.t("vac.err.expired"), [[Button(chat.t("vac.btn.list"), VacList().pack())]], edit=True)


@router.callback(VacApplyYes, during=Apply.confirm, otherwise=_expired)
async def apply_yes(chat: Chat, cb: VacApplyYes) -> None:
    if chat.load(ApplyData).vacancy_id != cb.vacancy_id:
        await _expired(chat, cb)
        return
    try:
        app = await svc.apply(chat.uow, chat.person, cb.vacancy_id, **ctx(chat))
    except DomainError as e:
        chat.clear()  # the vacancy closed or changed while the person was deciding: nothing was saved
        fail(chat, e, edit=True)
        return
    enter_docs(chat, app, edit=True)


async def _open_docs(chat: Chat, application_id: int, *, edit: bool, index: int | None = None) -> None:
    try:
        app = await svc.application(chat.uow, chat.person, application_id, **ctx(chat))
        if app.status != "draft":
            raise DomainError("vac.err.already_submitted" if app.status == "submitted" else "vac.err.withdrawn")
        if not app.vacancy.is_open:
            raise svc.Closed(app.vacancy.closes_at)
    except DomainError as e:
        fail(chat, e, edit=edit)
        return
    item = None
    if index is not None:
        if not 0 <= index < len(app.vacancy.documents):
            chat.reply(chat.t("vac.err.expired"), [[Button(chat.t("vac.btn.mine"), VacMine().pack())]], edit=edit)
            return
        item = app.vacancy.documents[index]
    enter_docs(chat, app, edit=edit, item=item)


@router.callback(VacDocs)
async def docs(chat: Chat, cb: VacDocs) -> None:
    await _open_docs(chat, cb.application_id, edit=True)


@router.callback(VacDocItem)
async def doc_item(chat: Chat, cb: VacDocItem) -> None:
    await _open_docs(chat, cb.application_id, edit=True, index=cb.index)


@router.callback(VacSubmit)
async def submit(chat: Chat, cb: VacSubmit) -> None:
    try:
        app = await svc.submit(chat.uow, chat.person, cb.application_id, **ctx(chat))
    except DomainError as e:
        if e.code == "vac.err.incomplete":
            await _open_docs(chat, cb.application_id, edit=True)
            chat.replies[-1].text = chat.t("vac.err.incomplete", missing=e.params["missing"]) + "\n\n" + \
                chat.replies[-1].text
            return
        chat.clear()
        fail(chat, e, edit=True)
        return
    chat.clear()
    chat.reply(chat.t("vac.submitted", jabatan=escape(app.vacancy.jabatan),
                      closes=moment(chat.locale, app.vacancy.closes_at, chat.settings.tz)),
               [[Button(chat.t("vac.btn.track"), VacTrack(app.id).pack())],
                [Button(chat.t("vac.btn.mine"), VacMine().pack()), Button(chat.t("menu.back"), Menu().pack())]], edit=True)


router.menu_item("vac.menu", VacList(), roles=(Role.ASN, *STAFF), order=40)
router.help("vac.help", (Role.ASN, *STAFF))
