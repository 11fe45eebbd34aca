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

from dataclasses import dataclass

from handlers.flow import Step, Steps
from handlers.kit import Button
from handlers.render import escape
from handlers.router import Chat, Router
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
from services.appraisal.history import predikat_by_year
from services.errors import DomainError
from services.roles import STAFF, Role
from services.vacancies import applications as svc
from services.vacancies.dto import ApplicationView
from services.vacancies.rules import DocumentItem, PredikatHistory

router = Router("vacancies")
# Where the predikat rule reads a person's appraisal history: the appraisal feature's records.
PREDIKAT_HISTORY: PredikatHistory = predikat_by_year


class Apply(Steps, prefix="vac"):
    confirm = Step(note="Ya, lamar")
    docs = Step(note="each file of the checklist, or a rejected file's replacement")


@dataclass
class ApplyData:
    vacancy_id: int = 0
    application_id: int = 0
    item: str = ""  # the checklist code the next file is for
    fix: bool = False  # replacing a rejected file of a submitted application (perbaikan berkas)


def _ctx(chat: Chat) -> dict[str, object]:
    return {"now": chat.now, "tz": chat.settings.tz, "history": PREDIKAT_HISTORY}


def _fail(chat: Chat, e: DomainError, buttons: list[list[Button]] | None = None, *, edit: bool = False) -> None:
    """A domain error in words: not linked offers /tautkan, unmet rules list their reasons."""
    loc = chat.locale
    if isinstance(e, svc.NotLinked):
        chat.reply(chat.t("vac.err.not_linked"), [[Button(chat.t("vac.btn.link"), "acct")],
                                                   [Button(chat.t("menu.back"), "menu")]], edit=edit)
        return
    if isinstance(e, svc.NotEligible):
        text = chat.t("vac.err.not_eligible") + "\n" + "\n".join(f"• {views.reason(loc, u)}" for u in e.unmet)
    elif isinstance(e, svc.Closed):
        text = chat.t("vac.err.closed", closes=views.when(loc, e.closes_at, chat.settings.tz))
    elif e.code == "vac.err.file_type":
        text = chat.t(e.code, types=views._types(loc, str(e.params.get("types", "pdf"))))
    else:
        text = chat.error_text(e)
    chat.reply(text, buttons or [[Button(chat.t("vac.btn.list"), VacList().pack()),
                                  Button(chat.t("vac.btn.mine"), VacMine().pack())]], edit=edit)


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
        found = await svc.list_open(chat.uow, chat.person, **_ctx(chat))  # type: ignore[arg-type]
    except DomainError as e:
        _fail(chat, e, edit=edit)
        return
    text, rows = views.vacancy_list(chat.locale, chat.settings.tz, found, page)
    chat.reply(text, rows, edit=edit)


@router.callback(VacView)
async def vacancy(chat: Chat, cb: VacView) -> None:
    if Apply.confirm.is_current(chat):
        chat.clear()
    try:
        v = await svc.view(chat.uow, chat.person, cb.vacancy_id, **_ctx(chat))  # type: ignore[arg-type]
    except DomainError as e:
        _fail(chat, e, edit=True)
        return
    text, rows = views.vacancy_card(chat.locale, chat.settings.tz, v)
    chat.reply(text, rows, edit=True)


# --- applying ------------------------------------------------------------------------------------

@router.callback(VacApply)
async def apply(chat: Chat, cb: VacApply) -> None:
    """Say what applying needs, and ask once; nothing is saved before "Ya, lamar"."""
    try:
        v = await svc.view(chat.uow, chat.person, cb.vacancy_id, **_ctx(chat))  # type: ignore[arg-type]
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
        _fail(chat, e, edit=True)
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
                                             [Button(chat.t("btn.cancel"), "cancel")]])


@router.step(Apply.confirm)
async def confirm_typed(chat: Chat) -> None:
    ask_confirm(chat)


@router.callback(VacApplyYes)
async def apply_yes(chat: Chat, cb: VacApplyYes) -> None:
    if not Apply.confirm.is_current(chat) or chat.load(ApplyData).vacancy_id != cb.vacancy_id:
        # A button from an earlier question (or forged): it applies to nothing.
        chat.reply(chat.t("vac.err.expired"), [[Button(chat.t("vac.btn.list"), VacList().pack())]], edit=True)
        return
    try:
        app = await svc.apply(chat.uow, chat.person, cb.vacancy_id, **_ctx(chat))  # type: ignore[arg-type]
    except DomainError as e:
        chat.clear()  # the vacancy closed or changed while the person was deciding: nothing was saved
        _fail(chat, e, edit=True)
        return
    _enter_docs(chat, app, edit=True)


def _enter_docs(chat: Chat, app: ApplicationView, *, edit: bool, item: DocumentItem | None = None,
                lead: str = "") -> None:
    current = item or (app.missing[0] if app.missing else None)
    chat.clear()
    chat.save(ApplyData(vacancy_id=app.vacancy.id, application_id=app.id, item=current.code if current else ""))
    chat.state = Apply.docs.name
    text, rows = views.checklist(chat.locale, chat.settings.tz, app, current)
    chat.reply(f"{lead}\n\n{text}" if lead else text, rows, edit=edit)


async def _open_docs(chat: Chat, application_id: int, *, edit: bool, index: int | None = None) -> None:
    try:
        app = await svc.application(chat.uow, chat.person, application_id, **_ctx(chat))  # type: ignore[arg-type]
        if app.status != "draft":
            raise DomainError("vac.err.already_submitted" if app.status == "submitted" else "vac.err.withdrawn")
        if not app.vacancy.is_open:
            raise svc.Closed(app.vacancy.closes_at)
    except DomainError as e:
        _fail(chat, e, edit=edit)
        return
    item = None
    if index is not None:
        if not 0 <= index < len(app.vacancy.documents):
            chat.reply(chat.t("vac.err.expired"), [[Button(chat.t("vac.btn.mine"), VacMine().pack())]], edit=edit)
            return
        item = app.vacancy.documents[index]
    _enter_docs(chat, app, edit=edit, item=item)


@router.callback(VacDocs)
async def docs(chat: Chat, cb: VacDocs) -> None:
    await _open_docs(chat, cb.application_id, edit=True)


@router.callback(VacDocItem)
async def doc_item(chat: Chat, cb: VacDocItem) -> None:
    await _open_docs(chat, cb.application_id, edit=True, index=cb.index)


def _back(chat: Chat, data: ApplyData) -> list[list[Button]]:
    """Where a refused file leaves the person: the checklist, or the application being corrected."""
    if data.fix:
        return [[Button(chat.t("btn.cancel"), VacTrack(data.application_id).pack())]]
    return [[Button(chat.t("vac.btn.checklist"), VacDocs(data.application_id).pack())]]


@Apply.docs.asks
def ask_docs(chat: Chat) -> None:
    data = chat.load(ApplyData)
    chat.reply(chat.t("vac.fix.send_file" if data.fix else "vac.docs.send_file"), _back(chat, data))


async def _corrected(chat: Chat, application_id: int, label: str) -> None:
    """The replacement is in: say so, with the application as it now stands."""
    chat.clear()
    tr = await svc.tracking(chat.uow, chat.person, application_id, **_ctx(chat))  # type: ignore[arg-type]
    text, rows = views.tracking(chat.locale, chat.settings.tz, tr)
    chat.reply(chat.t("vac.fix.saved", label=label) + "\n\n" + text, rows)


@router.callback(VacSubmit)
async def submit(chat: Chat, cb: VacSubmit) -> None:
    try:
        app = await svc.submit(chat.uow, chat.person, cb.application_id, **_ctx(chat))  # type: ignore[arg-type]
    except DomainError as e:
        if e.code == "vac.err.incomplete":
            await _open_docs(chat, cb.application_id, edit=True)
            chat.replies[-1].text = chat.t("vac.err.incomplete", missing=e.params["missing"]) + "\n\n" + \
                chat.replies[-1].text
            return
        chat.clear()
        _fail(chat, e, edit=True)
        return
    chat.clear()
    chat.reply(chat.t("vac.submitted", jabatan=escape(app.vacancy.jabatan),
                      closes=views.when(chat.locale, app.vacancy.closes_at, chat.settings.tz)),
               [[Button(chat.t("vac.btn.track"), VacTrack(app.id).pack())],
                [Button(chat.t("vac.btn.mine"), VacMine().pack()), Button(chat.t("menu.back"), "menu")]], edit=True)


router.menu_item("vac.menu", VacList(), roles=(Role.ASN, *STAFF), order=40)
router.help("vac.help", (Role.ASN, *STAFF))
