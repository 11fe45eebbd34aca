"""`/kelolaakun`: HR looks up an employee by NIP, issues or revokes an activation code, or
releases the record from a lost account (prefix "akn", state "akn.nip").

Issuing, revoking and releasing each ask once before they act; the service checks the role
before it reads anything, so a forged button learns nothing. The plain code is shown once, in
the reply, and kept nowhere else (not in the conversation state, not in the audit log).
"""

from __future__ import annotations

from handlers.callbacks import Callback
from handlers.dates import moment
from handlers.flow import Step, Steps
from handlers.kit import Button, Kind
from handlers.menu import Cancel, Menu
from handlers.render import escape
from handlers.router import Chat, Router
from services.account import admin
from services.account.admin import LinkCard
from services.errors import DomainError
from services.roles import ADMINS, Role, require_role

router = Router("account.admin")


class AknButtons(Callback, prefix="akn"):
    """The family of every account-admin button ("akn:…"): what router.restrict gates, not a button."""


class AknFind(Callback, prefix="akn:f"):
    pass


class AknOpen(Callback, prefix="akn:o"):
    employee_id: int


class AknIssue(Callback, prefix="akn:i"):
    employee_id: int
    confirm: bool = False


class AknRevoke(Callback, prefix="akn:r"):
    employee_id: int
    confirm: bool = False


class AknRelease(Callback, prefix="akn:x"):
    employee_id: int
    confirm: bool = False


class AccountAdmin(Steps, prefix="akn"):
    """Typing the NIP of the employee whose link HR looks after."""

    nip = Step()


def _card(chat: Chat, c: LinkCard, lead: str | None = None, *, edit: bool = False) -> None:
    linked = (chat.t("akn.linked", name=escape(c.linked_to)) if c.linked_to else chat.t("akn.not_linked"))
    code = (chat.t("akn.code_live", expires=moment(chat.locale, c.code_expires_at, chat.settings.tz))
            if c.code_expires_at else chat.t("akn.code_none"))
    text = chat.t("akn.card", name=escape(c.name), nip=escape(c.nip), agency=escape(c.agency or "-"),
                  linked=linked, code=code)
    rows = [[Button(chat.t("akn.btn.issue"), AknIssue(c.employee_id).pack())]]
    if c.code_expires_at:
        rows.append([Button(chat.t("akn.btn.revoke"), AknRevoke(c.employee_id).pack())])
    if c.linked_to:
        rows.append([Button(chat.t("akn.btn.release"), AknRelease(c.employee_id).pack())])
    rows.append([Button(chat.t("akn.btn.other"), AknFind().pack()), Button(chat.t("menu.back"), Menu().pack())])
    chat.reply(f"{lead}\n\n{text}" if lead else text, rows, edit=edit)


@router.command("kelolaakun", "kodeaktivasi", "manageaccount")
async def kelola(chat: Chat) -> None:
    """`/kelolaakun` asks for the NIP; `/kelolaakun NIP` opens the record at once."""
    require_role(chat.person.role, Role.HR)
    chat.clear()
    if chat.incoming.args.strip():
        await _find(chat, chat.incoming.args)
        return
    await AccountAdmin.start(chat)


@router.callback(AknFind)
async def find_button(chat: Chat, cb: AknFind) -> None:
    require_role(chat.person.role, Role.HR)
    chat.clear()
    await AccountAdmin.start(chat)


@AccountAdmin.nip.asks
def ask_nip(chat: Chat) -> None:
    chat.reply(chat.t("akn.ask_nip"), [[Button(chat.t("btn.cancel"), Cancel().pack())]])


@router.step(AccountAdmin.nip)
async def nip_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("akn.ask_nip"), [[Button(chat.t("btn.cancel"), Cancel().pack())]])
        return
    await _find(chat, chat.incoming.text)


async def _find(chat: Chat, raw: str) -> None:
    try:
        c = await admin.find(chat.uow, chat.person, raw, chat.now)
    except DomainError as e:
        if e.code == "error.forbidden":
            raise
        chat.state = AccountAdmin.nip.name  # stay on the NIP step: type another
        chat.reply(chat.error_text(e) + "\n\n" + chat.t("akn.ask_nip"), [[Button(chat.t("btn.cancel"), Cancel().pack())]])
        return
    chat.clear()
    _card(chat, c)


@router.callback(AknOpen)
async def open_card(chat: Chat, cb: AknOpen) -> None:
    chat.clear()
    _card(chat, await admin.card(chat.uow, chat.person, cb.employee_id, chat.now), edit=True)


def _ask(chat: Chat, key: str, c: LinkCard, yes: Callback) -> None:
    chat.reply(chat.t(key, name=escape(c.name), holder=escape(c.linked_to or "-")),
               [[Button(chat.t("akn.btn.yes"), yes.pack()),
                 Button(chat.t("btn.back"), AknOpen(c.employee_id).pack())]], edit=True)


@router.callback(AknIssue)
async def issue(chat: Chat, cb: AknIssue) -> None:
    if not cb.confirm:
        c = await admin.card(chat.uow, chat.person, cb.employee_id, chat.now)
        _ask(chat, "akn.confirm.issue_replace" if c.code_expires_at else "akn.confirm.issue", c,
             AknIssue(c.employee_id, True))
        return
    code = await admin.issue(chat.uow, chat.person, cb.employee_id, chat.now)
    c = await admin.card(chat.uow, chat.person, cb.employee_id, chat.now)
    _card(chat, c, chat.t("akn.done.issued", code=code.code, name=escape(code.name),
                          expires=moment(chat.locale, code.expires_at, chat.settings.tz)), edit=True)


@router.callback(AknRevoke)
async def revoke(chat: Chat, cb: AknRevoke) -> None:
    if not cb.confirm:
        c = await admin.card(chat.uow, chat.person, cb.employee_id, chat.now)
        _ask(chat, "akn.confirm.revoke", c, AknRevoke(c.employee_id, True))
        return
    await admin.revoke(chat.uow, chat.person, cb.employee_id, chat.now)
    _card(chat, await admin.card(chat.uow, chat.person, cb.employee_id, chat.now), chat.t("akn.done.revoked"),
          edit=True)


@router.callback(AknRelease)
async def release(chat: Chat, cb: AknRelease) -> None:
    if not cb.confirm:
        c = await admin.card(chat.uow, chat.person, cb.employee_id, chat.now)
        _ask(chat, "akn.confirm.release", c, AknRelease(c.employee_id, True))
        return
    done = await admin.release(chat.uow, chat.person, cb.employee_id)
    _card(chat, await admin.card(chat.uow, chat.person, cb.employee_id, chat.now),
          chat.t("akn.done.released", name=escape(done.name)), edit=True)


router.menu_item("akn.menu", AknFind(), roles=ADMINS, order=72)
router.help("akn.help", ADMINS)

router.restrict(AknButtons, commands=("kelolaakun", "kodeaktivasi", "manageaccount"), roles=ADMINS)  # forged buttons: refused, audited
