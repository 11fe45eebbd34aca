"""`/kelolapelatihan`: HR's list of trainings, a training's HR card, closing registration and the
participant export (attendance: handlers/training/admin/attendance.py). Thin: each handler calls
one service and renders."""

from __future__ import annotations

import asyncio

from handlers.kit import Attachment, Button
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.training.admin import views
from handlers.training.admin.callbacks import (
    TaButtons,
    TaClose,
    TaExport,
    TaFields,
    TaList,
    TaOpen,
)
from handlers.training.admin.sheet import filename, participants_sheet
from services.roles import ADMINS
from services.training import export, manage
from services.training.manage import AdminView
from services.xlsx import workbook

router = Router("training.admin")


async def show_console(chat: Chat, page: int = 1, *, edit: bool = False) -> None:
    rows = await manage.console(chat.uow, chat.person, chat.now)
    r = views.console(chat.locale, rows, page, chat.settings.tz)
    chat.reply(r.text, r.buttons, edit=edit)


async def show_card(chat: Chat, v: AdminView, lead: str | None = None, *, edit: bool = False) -> None:
    r = views.card(chat.locale, v, chat.settings.tz, lead)
    chat.reply(r.text, r.buttons, edit=edit)


@router.command("kelolapelatihan", "kelola_pelatihan", "managetraining")
async def kelola(chat: Chat) -> None:
    """`/kelolapelatihan` lists; `/kelolapelatihan KODE` opens that training's card."""
    chat.clear()
    code = chat.incoming.args.strip().upper()
    rows = await manage.console(chat.uow, chat.person, chat.now)  # the role check comes first
    found = next((v for v in rows if v.code == code), None) if code else None
    if found is not None:
        await show_card(chat, found)
        return
    r = views.console(chat.locale, rows, 1, chat.settings.tz)
    lead = chat.t("tra.err.code_unknown", value=escape(code[:32])) if code else None
    chat.reply(f"{lead}\n\n{r.text}" if lead else r.text, r.buttons)


@router.callback(TaList)
async def listing(chat: Chat, cb: TaList) -> None:
    chat.clear()
    await show_console(chat, cb.page, edit=True)


@router.callback(TaOpen)
async def open_card(chat: Chat, cb: TaOpen) -> None:
    chat.clear()  # back from a form or a confirmation: nothing half-typed stays
    await show_card(chat, await manage.card(chat.uow, chat.person, cb.training_id, chat.now), edit=True)


@router.callback(TaFields)
async def fields(chat: Chat, cb: TaFields) -> None:
    v = await manage.card(chat.uow, chat.person, cb.training_id, chat.now)
    r = views.choose_field(chat.locale, v)
    chat.reply(r.text, r.buttons, edit=True)


@router.callback(TaClose)
async def close(chat: Chat, cb: TaClose) -> None:
    if not cb.confirm:
        v = await manage.card(chat.uow, chat.person, cb.training_id, chat.now)
        r = views.confirm_close(chat.locale, v, chat.settings.tz)
        chat.reply(r.text, r.buttons, edit=True)
        return
    v = await manage.close_registration(chat.uow, chat.person, cb.training_id, chat.now)
    await show_card(chat, v, chat.t("tra.done.closed"), edit=True)


@router.callback(TaExport)
async def export_xlsx(chat: Chat, cb: TaExport) -> None:
    roster = await export.roster(chat.uow, chat.person, cb.training_id)
    tz = chat.settings.tz
    sheet = participants_sheet(chat.locale, chat.now.astimezone(tz).tzname() or "", roster)
    content = await asyncio.to_thread(workbook, [sheet], tz=tz)  # off the event loop: chats keep being answered
    name = filename(roster, chat.now, tz)
    chat.reply(chat.t("tra.export.caption", rows=len(roster.people), name=escape(name)),
               [[Button(chat.t("btn.back"), TaOpen(cb.training_id).pack())]],
               attachment=Attachment(kind="document", content=content, filename=name))


router.menu_item("tra.menu", TaList(), roles=ADMINS, order=31)
router.help("tra.help", ADMINS)

router.restrict(TaButtons, commands=("kelolapelatihan", "kelola_pelatihan", "managetraining"), roles=ADMINS)  # forged buttons: refused, audited
