"""A linked person's own record (/tautkan once linked), and letting go of it."""

from __future__ import annotations

from dataclasses import replace

from handlers.account.callbacks import Unlink
from handlers.callbacks import StaleButton
from handlers.kit import Button
from handlers.menu import Cancel, Menu, show_menu
from handlers.render import escape
from handlers.router import Chat, Router
from services.account import linking

router = Router("account")


async def show_profile(chat: Chat, *, edit: bool = False) -> bool:
    """The profile, or False when the person has no record linked."""
    p = await linking.profile(chat.uow, chat.person, chat.now.astimezone(chat.settings.tz).date())
    if p is None:
        return False
    golongan = f"{p.golongan} ({p.pangkat})" if p.golongan and p.pangkat else p.golongan or "-"
    service = (chat.t("link.service_years", years=p.years_of_service) if p.years_of_service is not None
               else "-")
    chat.reply(chat.t("link.already", name=escape(p.name), nip=p.nip_masked, agency=escape(p.agency or "-"),
                      golongan=escape(golongan), jabatan=escape(p.jabatan or "-"), employment=p.employment,
                      service=service),
               [[Button(chat.t("link.btn.unlink"), Unlink(chat.person.employee_id or 0).pack())], [Button(chat.t("menu.back"), Menu().pack())]],
               edit=edit)
    return True


def _current(chat: Chat, cb: Unlink) -> None:
    """The one check of the unlink buttons: they apply only to the record linked now."""
    if chat.person.employee_id is None or chat.person.employee_id != cb.employee_id:
        raise StaleButton("not the linked record")


@router.callback(Unlink)
async def unlink(chat: Chat, cb: Unlink) -> None:
    _current(chat, cb)
    if not cb.confirm:
        chat.reply(chat.t("link.unlink_confirm"), [[Button(chat.t("link.btn.unlink_yes"),
                                                           Unlink(cb.employee_id, True).pack())],
                                                   [Button(chat.t("btn.cancel"), Cancel().pack())]], edit=True)
        return
    role = await linking.unlink(chat.uow, chat.person)
    chat.clear()
    chat.person = replace(chat.person, role=role, employee_id=None)
    show_menu(chat, edit=True, lead=chat.t("link.unlinked"))
