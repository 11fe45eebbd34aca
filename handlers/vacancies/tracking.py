"""`/lamaranku`: one's applications, each stage's status, withdrawal, stage announcements, and the
correction of a file HR rejected (perbaikan berkas)."""

from __future__ import annotations

from handlers.kit import Button
from handlers.menu import Menu
from handlers.render import escape
from handlers.router import Chat
from handlers.vacancies import views
from handlers.vacancies.callbacks import VacAnnounce, VacFix, VacMine, VacTrack, VacWithdraw, VacWithdrawYes
from handlers.vacancies.common import Apply, ApplyData, ctx, enter_docs, fail, way_back
from handlers.vacancies.common import router as router  # the feature's manifest checks it is one router
from services.errors import DomainError
from services.vacancies import applications as svc
from services.vacancies import corrections
from services.vacancies.dto import SUBMITTED

# --- my applications, stages, withdrawal, announcements -----------------------------------------

@router.command("lamaranku", "applications")
async def mine_command(chat: Chat) -> None:
    await _mine(chat, edit=False)


@router.callback(VacMine)
async def mine(chat: Chat, cb: VacMine) -> None:
    await _mine(chat, edit=True)


async def _mine(chat: Chat, *, edit: bool) -> None:
    if chat.state and chat.state.startswith("vac."):
        chat.clear()  # "later": the draft and its documents stay saved
    try:
        apps = await svc.mine(chat.uow, chat.person, **ctx(chat))
    except DomainError as e:
        fail(chat, e, edit=edit)
        return
    text, rows = views.mine(chat.locale, apps)
    chat.reply(text, rows, edit=edit)


@router.callback(VacTrack)
async def track(chat: Chat, cb: VacTrack) -> None:
    if Apply.docs.is_current(chat) and chat.load(ApplyData).fix:
        chat.clear()  # "Batal" of a correction: the rejected file stays as it was
    try:
        tr = await svc.tracking(chat.uow, chat.person, cb.application_id, **ctx(chat))
    except DomainError as e:
        fail(chat, e, edit=True)
        return
    text, rows = views.tracking(chat.locale, chat.settings.tz, tr)
    chat.reply(text, rows, edit=True)


@router.callback(VacWithdraw)
async def withdraw(chat: Chat, cb: VacWithdraw) -> None:
    try:
        app = await svc.application(chat.uow, chat.person, cb.application_id, **ctx(chat))
        if app.status == "withdrawn":
            raise DomainError("vac.err.withdrawn")
        if not app.vacancy.is_open:
            raise svc.Closed(app.vacancy.closes_at)
    except DomainError as e:
        fail(chat, e, edit=True)
        return
    chat.reply(chat.t("vac.withdraw.confirm", jabatan=escape(app.vacancy.jabatan)),
               [[Button(chat.t("vac.btn.yes_withdraw"), VacWithdrawYes(app.id).pack())],
                [Button(chat.t("btn.back"), VacTrack(app.id).pack())]], edit=True)


@router.callback(VacWithdrawYes)
async def withdraw_yes(chat: Chat, cb: VacWithdrawYes) -> None:
    try:
        app = await svc.withdraw(chat.uow, chat.person, cb.application_id, **ctx(chat))
    except DomainError as e:
        fail(chat, e, edit=True)
        return
    if chat.state and chat.state.startswith("vac."):
        chat.clear()
    chat.reply(chat.t("vac.withdrawn", jabatan=escape(app.vacancy.jabatan)),
               [[Button(chat.t("vac.btn.mine"), VacMine().pack()), Button(chat.t("menu.back"), Menu().pack())]], edit=True)


@router.callback(VacAnnounce)
async def announced(chat: Chat, cb: VacAnnounce) -> None:
    try:
        ann = await svc.announcement(chat.uow, chat.person, cb.stage_id, now=chat.now, tz=chat.settings.tz)
    except DomainError as e:
        fail(chat, e, edit=True)
        return
    text, rows = views.announcement(chat.locale, ann)
    chat.reply(text, rows, edit=True)


@router.callback(VacFix)
async def fix(chat: Chat, cb: VacFix) -> None:
    """"Kirim perbaikan": ask for the replacement of one rejected file; the file then goes to the apply
    flow's `docs` step. Answered in a new message, so the rejection notice (or the application
    screen) it was pressed on stays readable."""
    try:
        c = await corrections.correction(chat.uow, chat.person, cb.document_id, **ctx(chat))
    except DomainError as e:
        if Apply.docs.is_current(chat) and chat.load(ApplyData).fix:
            chat.clear()  # the question was about another file: a file sent next must not land there
        fail(chat, e, [[Button(chat.t("vac.btn.mine"), VacMine().pack()), Button(chat.t("menu.back"), Menu().pack())]])
        return
    if c.application.status != SUBMITTED:  # a draft: every file may still change, as in the checklist
        enter_docs(chat, c.application, edit=False, item=c.item)
        return
    data = ApplyData(vacancy_id=c.application.vacancy.id, application_id=c.application.id, item=c.item.code,
                     fix=True)
    chat.clear()
    chat.save(data)
    chat.state = Apply.docs.name
    chat.reply(views.fix_prompt(chat.locale, c), way_back(chat, data))
