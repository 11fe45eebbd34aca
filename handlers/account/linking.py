"""/tautkan: the NIP, then the person's own contact; a contact shared outside the flow."""

from __future__ import annotations

from dataclasses import replace

from handlers.account.callbacks import Account, LinkDraft, Linking
from handlers.kit import Button, KeyButton, Kind
from handlers.menu import show_menu
from handlers.render import escape
from handlers.router import Chat, Router
from services.account import employees
from services.errors import DomainError
from services.roles import ADMINS, Role

router = Router("account")


@router.command("tautkan", "link", "akun")
async def tautkan(chat: Chat) -> None:
    await _open(chat)


@router.callback(Account)
async def account_button(chat: Chat, cb: Account) -> None:
    await _open(chat)


async def _open(chat: Chat) -> None:
    linked = await employees.linked_employee(chat.uow, chat.person)
    if linked:
        chat.reply(chat.t("link.already", name=escape(linked.name), nip=linked.nip_masked,
                          agency=escape(linked.agency or "-"), golongan=escape(linked.golongan or "-"),
                          jabatan=escape(linked.jabatan or "-"), employment=linked.employment),
                   [[Button(chat.t("menu.back"), "menu")]])
        return
    await Linking.start(chat)


def _cancel_button(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("btn.cancel"), "cancel")]]


@Linking.nip.asks
def ask_nip(chat: Chat) -> None:
    chat.reply(chat.t("link.ask_nip"), _cancel_button(chat))


@router.step(Linking.nip)
async def got_nip(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("link.ask_nip"))
        return
    try:
        nip = await employees.find_for_link(chat.uow, chat.incoming.text)
    except DomainError as e:
        chat.reply(chat.t(e.code, **e.params) + "\n\n" + chat.t("link.ask_nip"), _cancel_button(chat))
        return
    chat.save(LinkDraft(nip=nip))
    await Linking.advance(chat)


def _contact_keyboard(chat: Chat) -> list[list[KeyButton]]:
    return [[KeyButton(chat.t("btn.share_contact"), request_contact=True)], [KeyButton(chat.t("btn.cancel_text"))]]


@Linking.contact.asks
def ask_contact(chat: Chat) -> None:
    chat.reply(chat.t("link.ask_contact"), keyboard=_contact_keyboard(chat))


@router.step(Linking.contact)
async def got_contact(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind is not Kind.CONTACT:
        if inc.kind is Kind.TEXT and inc.text.strip().lower() in {chat.t("btn.cancel_text").lower(), "batal"}:
            chat.clear()
            chat.reply(chat.t("cancel.done"), remove_keyboard=True)
            show_menu(chat)
            return
        ask_contact(chat)
        return
    draft = chat.load(LinkDraft)
    try:
        linked = await employees.link(chat.uow, chat.person, draft.nip, phone=inc.phone,
                                      contact_user_id=inc.contact_user_id)
    except DomainError as e:
        chat.clear()
        chat.reply(chat.t(e.code, **e.params), remove_keyboard=True)
        return
    chat.clear()
    role = chat.person.role if chat.person.role != Role.CITIZEN else Role.ASN
    chat.person = replace(chat.person, role=role)
    chat.reply(chat.t("link.done", name=escape(linked.name), nip=linked.nip_masked,
                      agency=escape(linked.agency or "-")), remove_keyboard=True)
    show_menu(chat)


@router.kind(Kind.CONTACT)
async def contact_outside_flow(chat: Chat) -> None:
    chat.reply(chat.t("contact.outside"), [[Button(chat.t("menu.btn.link"), Account().pack())]])


router.menu_item("menu.btn.link", Account(), roles=(Role.CITIZEN, Role.ASN, *ADMINS), order=70)
router.help("help.asn")
