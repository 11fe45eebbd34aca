"""`/pelatihan` (catalogue, search, sign-up, waiting list, cancelling) and `/pelatihanku`.

Every screen is reachable by buttons; commands are shortcuts. The service re-checks every id
a button carries, the deadline and the seats at the moment of the press.
"""

from __future__ import annotations

from handlers.account.callbacks import Account
from handlers.kit import Button, Kind
from handlers.menu import Cancel, Menu
from handlers.render import escape
from handlers.router import Chat, Router
from handlers.training import views
from handlers.training.callbacks import Search, TrJoin, TrLeave, TrList, TrMine, TrOpen, TrSearch
from services.errors import DomainError
from services.roles import ADMINS, Role
from services.training import attendance, catalogue, signup
from services.training.rules import NotEligible

router = Router("training")


def _linked(chat: Chat) -> bool:
    """Training is for civil servants with a linked record; anyone else is shown the way there."""
    if chat.person.employee_id is not None:
        return True
    if chat.state == Search.query.name:
        chat.clear()
    chat.reply(chat.t("tr.not_linked"), [[Button(chat.t("menu.btn.link"), Account().pack())],
                                         [Button(chat.t("menu.back"), Menu().pack())]])
    return False


def _fail(chat: Chat, e: DomainError, buttons: list[list[Button]] | None = None) -> None:
    """A refusal in words; titles come from HR's data, so every text param is escaped."""
    chat.reply(chat.error_text(e), buttons or [[Button(chat.t("tr.btn.all"), TrList(1).pack()),
                                                      Button(chat.t("tr.btn.mine"), TrMine().pack())]])


@router.command("pelatihan", "training", "diklat")
async def pelatihan(chat: Chat) -> None:
    """`/pelatihan` lists; `/pelatihan manajemen proyek` searches."""
    if not _linked(chat):
        return
    query = chat.incoming.args.strip()
    if query:
        await _search(chat, query)
        return
    await _list(chat, 1)


@router.intent("tr.find", ["cari pelatihan", "daftar pelatihan", "daftar diklat", "pelatihan", "diklat",
                           "ikut pelatihan", "training"])
async def find(chat: Chat) -> None:
    if _linked(chat):
        await _list(chat, 1)


@router.callback(TrList)
async def listing(chat: Chat, cb: TrList) -> None:
    if _linked(chat):
        await _list(chat, cb.page, edit=True)


async def _list(chat: Chat, page: int, *, edit: bool = False) -> None:
    rows = await catalogue.upcoming(chat.uow, chat.person, chat.now)
    r = views.listing(chat.locale, rows, page, chat.settings.tz)
    chat.reply(r.text, r.buttons, edit=edit)


@router.callback(TrSearch)
async def search_button(chat: Chat, cb: TrSearch) -> None:
    if _linked(chat):
        await Search.start(chat)


@Search.query.asks
def ask_query(chat: Chat) -> None:
    chat.reply(chat.t("tr.search.ask"), [[Button(chat.t("btn.cancel"), Cancel().pack())]])


@router.step(Search.query)
async def typed_query(chat: Chat) -> None:
    text = chat.incoming.text.strip() if chat.incoming.kind is Kind.TEXT else ""
    if not _linked(chat):
        return
    if not catalogue.normalise(text):  # empty, emoji only, punctuation: nothing to look for
        chat.reply(chat.t("tr.search.empty") + "\n\n" + chat.t("tr.search.ask"),
                   [[Button(chat.t("btn.cancel"), Cancel().pack())]])
        return
    chat.clear()
    await _search(chat, text)


async def _search(chat: Chat, query: str) -> None:
    rows = await catalogue.search(chat.uow, chat.person, query, chat.now)
    r = views.results(chat.locale, rows, chat.settings.tz)
    chat.reply(r.text, r.buttons)


@router.callback(TrOpen)
async def open_training(chat: Chat, cb: TrOpen) -> None:
    if not _linked(chat):
        return
    try:
        v = await catalogue.detail(chat.uow, chat.person, cb.training_id, chat.now)
    except DomainError as e:
        _fail(chat, e)
        return
    r = views.card(chat.locale, v, chat.settings.tz, cb.page)
    chat.reply(r.text, r.buttons, edit=True)


@router.callback(TrJoin)
async def join(chat: Chat, cb: TrJoin) -> None:
    if not _linked(chat):
        return
    if not cb.confirm:  # the one confirmation: what they sign up for, seat or waiting list
        try:
            v = await catalogue.detail(chat.uow, chat.person, cb.training_id, chat.now)
        except DomainError as e:
            _fail(chat, e)
            return
        if v.mine in ("seat", "waiting", "attended"):
            _fail(chat, DomainError(f"tr.err.already_{v.mine}", title=v.title))
        elif not v.registration_open:
            _fail(chat, DomainError("tr.err.cancelled" if v.cancelled else "tr.err.closed", title=v.title))
        elif v.unmet:
            chat.reply(chat.t("tr.err.not_eligible") + "\n" + views.reasons(chat.locale, v.unmet),
                       [[Button(chat.t("tr.btn.all"), TrList(1).pack())]])
        else:
            r = views.confirm_join(chat.locale, v, chat.settings.tz)
            chat.reply(r.text, r.buttons, edit=True)
        return
    try:
        done = await signup.sign_up(chat.uow, chat.person, cb.training_id, chat.now, waiting_list=cb.wait)
    except NotEligible as e:
        chat.reply(chat.t("tr.err.not_eligible") + "\n" + views.reasons(chat.locale, e.unmet),
                   [[Button(chat.t("tr.btn.all"), TrList(1).pack())]])
        return
    except DomainError as e:
        if e.code == "tr.err.full":  # the last seat went while they were deciding: offer the line
            _fail(chat, e, [[Button(chat.t("tr.btn.yes_wait"), TrJoin(cb.training_id, True, True).pack())],
                            [Button(chat.t("tr.btn.all"), TrList(1).pack())]])
            return
        _fail(chat, e)
        return
    if done.status == "seat":
        text = chat.t("tr.done.seat", title=escape(done.title))
    else:
        text = chat.t("tr.done.waiting", title=escape(done.title), position=done.position)
    chat.reply(text, [[Button(chat.t("tr.btn.mine"), TrMine().pack()), Button(chat.t("tr.btn.all"), TrList(1).pack())]],
               edit=True)


@router.callback(TrLeave)
async def leave(chat: Chat, cb: TrLeave) -> None:
    if not _linked(chat):
        return
    try:
        if not cb.confirm:
            v = await catalogue.detail(chat.uow, chat.person, cb.training_id, chat.now)
            if v.mine not in ("seat", "waiting"):
                raise DomainError("tr.err.not_enrolled", title=v.title)
            r = views.confirm_leave(chat.locale, v, chat.settings.tz)
            chat.reply(r.text, r.buttons, edit=True)
            return
        done = await signup.cancel(chat.uow, chat.person, cb.training_id, chat.now, tz=chat.settings.tz.key)
    except DomainError as e:
        _fail(chat, e)
        return
    chat.reply(chat.t("tr.done.left", title=escape(done.title)),
               [[Button(chat.t("tr.btn.mine"), TrMine().pack()), Button(chat.t("tr.btn.all"), TrList(1).pack())]],
               edit=True)


@router.command("pelatihanku", "mytraining")
async def pelatihanku(chat: Chat) -> None:
    if _linked(chat):
        await _mine(chat)


@router.callback(TrMine)
async def mine(chat: Chat, cb: TrMine) -> None:
    if _linked(chat):
        await _mine(chat, edit=True)


async def _mine(chat: Chat, *, edit: bool = False) -> None:
    y = await attendance.my_year(chat.uow, chat.person, chat.now, chat.settings.tz)
    r = views.my_year(chat.locale, y, chat.settings.tz)
    chat.reply(r.text, r.buttons, edit=edit)


router.menu_item("tr.menu", TrList(1), roles=(Role.ASN, *ADMINS), order=30)
router.help("tr.help", (Role.ASN, *ADMINS))
