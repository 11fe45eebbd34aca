"""Following a report: /status (by number), /aduanku, the card, replying, following someone else's."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.complaints import cards
from handlers.complaints.callbacks import (
    Follow,
    MyReports,
    NewReport,
    ReplyTo,
    Unfollow,
    ViewReport,
)
from handlers.flow import Step, Steps
from handlers.kit import Button, Kind
from handlers.menu import Cancel, Menu, pass_on
from handlers.router import Chat, Router
from services.complaints import tracking
from services.complaints.rules import policy_for
from services.errors import DomainError, InvalidInput

router = Router()


# One-step flows. Their state names ("cx.lookup"…) are what people's saved state holds.
class Lookup(Steps, prefix="cx"):
    lookup = Step(note="a report number")


class Replying(Steps, prefix="cx"):
    reply = Step(note="the reporter's reply")


FLOWS = (Lookup, Replying)


@dataclass(frozen=True)
class LookupTry:
    missed: bool = False  # told once already that what they typed is no number


@dataclass(frozen=True)
class OnReport:
    report_id: int = 0  # the report being replied to
    number: str = ""


def back(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("menu.back"), Menu().pack())]]


def _cancel(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("btn.cancel"), Cancel().pack())]]


def view_button(chat: Chat, cid: int) -> Button:
    return Button(chat.t("cx.btn.view"), ViewReport(cid).pack())


async def show(chat: Chat, complaint_id: int, *, edit: bool = False) -> None:
    v = await tracking.view(chat.uow, chat.person, complaint_id, now=chat.now, policy=policy_for(chat.settings))
    r = cards.report_card(chat.locale, v, chat.settings.tz)
    chat.reply(r.text, r.buttons, edit=edit)


# --- looking up

@router.command("status", "cek", "lacak")
async def cmd_status(chat: Chat) -> None:
    if not chat.incoming.args.strip():
        await Lookup.lookup.enter(chat)
        return
    await _lookup(chat, chat.incoming.args)


@Lookup.lookup.asks
def ask_number(chat: Chat) -> None:
    chat.reply(chat.t("cx.ask.number"), _cancel(chat))


@router.step(Lookup.lookup)
async def lookup_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        ask_number(chat)
        return
    if chat.load(LookupTry).missed and not _number_like(chat.incoming.text):
        # They were told once that this is no number: "halo" or "jalan rusak…" now means
        # what it means anywhere else, instead of the same refusal until /batal.
        await pass_on(chat)
        return
    await _lookup(chat, chat.incoming.text)


def _number_like(text: str) -> bool:
    try:
        tracking.parse_number(text)
    except InvalidInput:
        return False
    return True


async def _lookup(chat: Chat, text: str) -> None:
    try:
        v = await tracking.lookup(chat.uow, chat.person, text, now=chat.now, policy=policy_for(chat.settings))
    except DomainError as e:
        # A wrong number is worth another try; the step stays open for numbers, while anything
        # else typed next goes to the usual intents (see lookup_typed).
        chat.goto(Lookup.lookup.name)
        chat.save(LookupTry(missed=True))
        chat.reply(chat.error_text(e) + "\n\n" + chat.t("cx.ask.number"),
                   [[Button(chat.t("cx.btn.mine"), MyReports(1).pack()), Button(chat.t("btn.cancel"), Cancel().pack())]])
        return
    chat.clear()
    chat.replies.append(cards.report_card(chat.locale, v, chat.settings.tz))


@router.callback(ViewReport)
async def btn_view(chat: Chat, cb: ViewReport) -> None:
    """A new message, except "refresh" on the card itself, which updates it in place."""
    await show(chat, cb.report_id, edit=cb.refresh == "r")


@router.command("aduanku", "laporanku", "myreports")
async def cmd_mine(chat: Chat) -> None:
    await _mine(chat, 1)


@router.callback(MyReports)
async def btn_mine(chat: Chat, cb: MyReports) -> None:
    await _mine(chat, cb.page)


@router.intent("cx.mine", ["aduanku", "laporan saya", "status laporan", "cek laporan", "cek status laporan",
                           "my reports", "status of my report"])
async def intent_mine(chat: Chat) -> None:
    await _mine(chat, 1)


async def _mine(chat: Chat, page_no: int) -> None:
    page = await tracking.my_reports(chat.uow, chat.person, page_no)
    r = cards.report_list(chat.locale, page, chat.settings.tz, pages=MyReports, opens=ViewReport,
                          title=chat.t("cx.list.title"), empty=chat.t("cx.list.empty"))
    chat.reply(r.text, r.buttons, edit=chat.incoming.kind is Kind.CALLBACK)


# --- replying

@router.callback(ReplyTo)
async def btn_reply(chat: Chat, cb: ReplyTo) -> None:
    v = await tracking.view(chat.uow, chat.person, cb.report_id, now=chat.now, policy=policy_for(chat.settings))
    if not v.can_reply:
        chat.reply(chat.t("cx.err.closed" if v.is_reporter else "cx.err.not_yours", number=v.number), back(chat))
        return
    chat.save(OnReport(cb.report_id, v.number))
    await Replying.reply.enter(chat)


@Replying.reply.asks
def ask_reply(chat: Chat) -> None:
    chat.reply(chat.t("cx.ask.reply", number=chat.load(OnReport).number), _cancel(chat))


@router.step(Replying.reply)
async def reply_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), _cancel(chat))
        return
    cid = chat.load(OnReport).report_id
    try:
        number = await tracking.reply(chat.uow, chat.person, cid, chat.incoming.text, now=chat.now)
    except InvalidInput as e:
        chat.reply(chat.error_text(e), _cancel(chat))
        return
    except DomainError as e:
        chat.clear()
        chat.reply(chat.error_text(e), back(chat))
        return
    chat.clear()
    chat.reply(chat.t("cx.reply.sent", number=number), [[view_button(chat, cid)]])


# --- following

@router.callback(Follow)
async def btn_follow(chat: Chat, cb: Follow) -> None:
    number = await tracking.follow(chat.uow, chat.person, cb.report_id, now=chat.now)
    chat.toast = chat.t("cx.follow.on", number=number)
    await show(chat, cb.report_id, edit=True)


@router.callback(Unfollow)
async def btn_unfollow(chat: Chat, cb: Unfollow) -> None:
    number = await tracking.unfollow(chat.uow, chat.person, cb.report_id)
    chat.reply(chat.t("cx.follow.off", number=number), [[view_button(chat, cb.report_id)]])


router.menu_item("cx.menu.new", NewReport(), order=10)
router.menu_item("cx.menu.mine", MyReports(1), order=11)
router.help("cx.help")
