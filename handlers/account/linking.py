"""/tautkan: the NIP, then the person's own contact or HR's activation code; a contact outside the flow."""

from __future__ import annotations

from dataclasses import replace

from handlers.account.callbacks import Account, LinkDraft, Linking
from handlers.account.profile import router as router  # the feature's manifest includes it
from handlers.account.profile import show_profile
from handlers.kit import Button, KeyButton, Kind
from handlers.menu import Cancel, Menu, show_menu
from handlers.render import escape
from handlers.router import Chat
from services.account import codes, linking
from services.account.attempts import Locked
from services.errors import DomainError
from services.roles import ADMINS, Role


@router.command("tautkan", "link", "akun")
async def tautkan(chat: Chat) -> None:
    await _open(chat)


@router.callback(Account)
async def account_button(chat: Chat, cb: Account) -> None:
    await _open(chat)


async def _open(chat: Chat) -> None:
    if await show_profile(chat):
        return
    try:
        await linking.may_link(chat.uow, chat.person, chat.now)
    except Locked as e:
        chat.reply(_refusal(chat, e), [[Button(chat.t("menu.back"), Menu().pack())]])
        return
    await Linking.start(chat)


def _cancel_button(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("btn.cancel"), Cancel().pack())]]


def _refusal(chat: Chat, e: DomainError) -> str:
    """The error in words, with the tries left when it was counted (params are ours, not user text)."""
    text = chat.error_text(e)
    left = e.params.get("left")
    return text + "\n" + chat.t("link.tries_left", left=left) if isinstance(left, int) else text


def _end(chat: Chat, e: DomainError) -> None:
    """A refusal that ends the flow (locked, linked elsewhere): nothing of it stays."""
    chat.clear()
    chat.reply(_refusal(chat, e), remove_keyboard=True)


@Linking.nip.asks
def ask_nip(chat: Chat) -> None:
    chat.reply(chat.t("link.ask_nip"), _cancel_button(chat))


@router.step(Linking.nip)
async def got_nip(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("link.ask_nip"))
        return
    try:
        nip = await linking.find_for_link(chat.uow, chat.person, chat.incoming.text, chat.now)
    except (Locked, DomainError) as e:
        if isinstance(e, Locked) or e.code == "link.already_linked":
            _end(chat, e)
            return
        chat.reply(_refusal(chat, e) + "\n\n" + chat.t("link.ask_nip"), _cancel_button(chat))
        return
    chat.save(LinkDraft(nip=nip))
    await Linking.advance(chat)


def _contact_keyboard(chat: Chat) -> list[list[KeyButton]]:
    return [[KeyButton(chat.t("btn.share_contact"), request_contact=True)], [KeyButton(chat.t("btn.cancel_text"))]]


@Linking.contact.asks
def ask_contact(chat: Chat) -> None:
    chat.reply(chat.t("link.ask_contact"), keyboard=_contact_keyboard(chat))


def _is_cancel(chat: Chat) -> bool:
    inc = chat.incoming
    return inc.kind is Kind.TEXT and inc.text.strip().lower() in {chat.t("btn.cancel_text").lower(), "batal"}


@router.step(Linking.contact)
async def got_contact(chat: Chat) -> None:
    inc = chat.incoming
    if inc.kind is not Kind.CONTACT:
        if _is_cancel(chat):
            chat.clear()
            chat.reply(chat.t("cancel.done"), remove_keyboard=True)
            show_menu(chat)
            return
        if inc.kind is Kind.TEXT and codes.normalise(inc.text):  # HR's code typed instead of sharing
            await got_code(chat)
            return
        ask_contact(chat)
        return
    draft = chat.load(LinkDraft)
    try:
        linked = await linking.link(chat.uow, chat.person, draft.nip, phone=inc.phone,
                                    contact_user_id=inc.contact_user_id, now=chat.now)
    except DomainError as e:
        if e.code == "link.phone_mismatch" and not isinstance(e, Locked):
            left = e.params.get("left")
            chat.save(replace(draft, phone_refused=True, left=left if isinstance(left, int) else 0))
            await Linking.advance(chat)
            return
        _end(chat, e)
        return
    _done(chat, linked)


@Linking.code.asks
def ask_code(chat: Chat) -> None:
    draft = chat.load(LinkDraft)
    if draft.phone_refused:
        # One message: a reply keyboard can only be removed by a message without inline buttons.
        lead = chat.t("link.phone_mismatch") + "\n" + chat.t("link.tries_left", left=draft.left)
        chat.reply(lead + "\n\n" + chat.t("link.ask_code_after_phone"), remove_keyboard=True)
        return
    chat.reply(chat.t("link.ask_code"), _cancel_button(chat))


@router.step(Linking.code)
async def got_code(chat: Chat) -> None:
    inc = chat.incoming
    if _is_cancel(chat):
        chat.clear()
        chat.reply(chat.t("cancel.done"), remove_keyboard=True)
        show_menu(chat)
        return
    if inc.kind is not Kind.TEXT:
        chat.reply(chat.t("link.ask_code"), _cancel_button(chat))
        return
    draft = chat.load(LinkDraft)
    try:
        linked = await linking.link_with_code(chat.uow, chat.person, draft.nip, inc.text, chat.now)
    except DomainError as e:
        if isinstance(e, Locked) or e.code in ("link.taken", "link.already_linked", "link.nip_unknown"):
            _end(chat, e)
            return
        chat.state = Linking.code.name  # typed at the contact step: the code step from now on
        chat.reply(_refusal(chat, e) + "\n\n" + chat.t("link.ask_code"), _cancel_button(chat))
        return
    _done(chat, linked)


def _done(chat: Chat, linked: linking.LinkedEmployee) -> None:
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
