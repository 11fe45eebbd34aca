"""After filing: /status, /aduanku, replying, "was it fixed?", rating, following, /hapusdata."""

from __future__ import annotations

from handlers.complaints import views
from handlers.complaints.filing import policy
from handlers.kit import Button, Kind
from handlers.menu import pass_on, show_menu, stale_button
from handlers.render import button
from handlers.router import Chat, Router
from services.complaints import tracking
from services.complaints.erase import erase
from services.complaints.rules import RULES
from services.errors import DomainError, InvalidInput
from services.roles import Role

router = Router()


def _back(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("menu.back"), "menu")]]


async def show(chat: Chat, complaint_id: int, *, edit: bool = False) -> None:
    v = await tracking.view(chat.uow, chat.person, complaint_id, now=chat.now, policy=policy(chat))
    r = views.report_card(chat.locale, v, chat.settings.tz)
    chat.reply(r.text, r.buttons, edit=edit)


# --- looking up

@router.command("status", "cek", "lacak")
async def cmd_status(chat: Chat) -> None:
    if not chat.incoming.args.strip():
        chat.goto("cx.lookup")
        chat.reply(chat.t("cx.ask.number"), [[Button(chat.t("btn.cancel"), "cancel")]])
        return
    await _lookup(chat, chat.incoming.args)


@router.state("cx.lookup")
async def lookup_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.ask.number"), [[Button(chat.t("btn.cancel"), "cancel")]])
        return
    if chat.data.get("missed") and not _number_like(chat.incoming.text):
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
        v = await tracking.lookup(chat.uow, chat.person, text, now=chat.now, policy=policy(chat))
    except DomainError as e:
        # A wrong number is worth another try; the step stays open for numbers, while anything
        # else typed next goes to the usual intents (see lookup_typed).
        chat.goto("cx.lookup", missed=True)
        chat.reply(chat.t(e.code, **e.params) + "\n\n" + chat.t("cx.ask.number"),
                   [[button(chat.t("cx.btn.mine"), "cx:my", 1), Button(chat.t("btn.cancel"), "cancel")]])
        return
    chat.clear()
    chat.replies.append(views.report_card(chat.locale, v, chat.settings.tz))


@router.callback("cx:v")
async def btn_view(chat: Chat) -> None:
    """A new message, except "refresh" on the card itself, which updates it in place."""
    cid = chat.arg_int(0)
    await show(chat, cid, edit=chat.args[1:2] == ["r"])


@router.command("aduanku", "laporanku", "myreports")
@router.callback("cx:my")
async def my_reports(chat: Chat) -> None:
    page = await tracking.my_reports(chat.uow, chat.person, chat.arg_int(0, default=1))
    r = views.report_list(chat.locale, page, chat.settings.tz, prefix="cx:my", title=chat.t("cx.list.title"),
                          empty=chat.t("cx.list.empty"), open_prefix="cx:v")
    chat.reply(r.text, r.buttons, edit=chat.incoming.kind is Kind.CALLBACK)


@router.intent("cx.mine", ["aduanku", "laporan saya", "status laporan", "cek laporan", "cek status laporan",
                           "my reports", "status of my report"])
async def intent_mine(chat: Chat) -> None:
    await my_reports(chat)


# --- replying

@router.callback("cx:rp")
async def btn_reply(chat: Chat) -> None:
    cid = chat.arg_int(0)
    v = await tracking.view(chat.uow, chat.person, cid, now=chat.now, policy=policy(chat))
    if not v.can_reply:
        chat.reply(chat.t("cx.err.closed" if v.is_reporter else "cx.err.not_yours", number=v.number), _back(chat))
        return
    chat.goto("cx.reply", cid=cid)
    chat.reply(chat.t("cx.ask.reply", number=v.number), [[Button(chat.t("btn.cancel"), "cancel")]])


@router.state("cx.reply")
async def reply_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [[Button(chat.t("btn.cancel"), "cancel")]])
        return
    cid = int(chat.data.get("cid", 0))
    try:
        number = await tracking.reply(chat.uow, chat.person, cid, chat.incoming.text, now=chat.now)
    except InvalidInput as e:
        chat.reply(chat.t(e.code, **e.params), [[Button(chat.t("btn.cancel"), "cancel")]])
        return
    except DomainError as e:
        chat.clear()
        chat.reply(chat.t(e.code, **e.params), _back(chat))
        return
    chat.clear()
    chat.reply(chat.t("cx.reply.sent", number=number), [[button(chat.t("cx.btn.view"), "cx:v", cid)]])


# --- was it fixed? rating

@router.callback("cx:fb")
async def btn_feedback(chat: Chat) -> None:
    cid, verdict = chat.arg_int(0), chat.arg_str(1, tracking.VERDICTS)
    # "y": the press on the confirmation; reopening from the first press alone would be one slip away.
    fb = await tracking.feedback(chat.uow, chat.person, cid, verdict, now=chat.now, policy=policy(chat),
                                 confirmed=chat.arg_str(2, ("y",), default="") == "y")
    view = [button(chat.t("cx.btn.view"), "cx:v", cid)]
    stars = [views.stars(cid)] if fb.can_rate else []
    if fb.outcome == "confirm":
        chat.reply(chat.t("cx.fb.confirm_reopen", number=fb.number, verdict=chat.t(f"cx.fb.{verdict}"),
                          status=views.status(chat.locale, RULES["reopen"].target)),
                   [[button(chat.t("cx.btn.reopen_yes"), "cx:fb", cid, verdict, "y")],
                    [button(chat.t("cx.btn.reopen_no"), "cx:v", cid)]])
    elif fb.outcome == "closed":
        # The rating is promised only when its request was queued now; otherwise it is asked right here.
        key = "cx.fb.thanks_fixed" if fb.rating_asked else ("cx.fb.closed_rate" if fb.can_rate else "cx.fb.closed")
        chat.reply(chat.t(key, number=fb.number), ([] if fb.rating_asked else stars) + [view])
    elif fb.outcome == "reopened":
        chat.reply(chat.t("cx.fb.reopened", status=views.status(chat.locale, fb.status)),
                   [[button(chat.t("cx.btn.explain"), "cx:rp", cid)], view])
    else:  # a press after the fact: what the report is now, and nothing promised
        chat.reply(chat.t("cx.fb.current", number=fb.number, status=views.status(chat.locale, fb.status)),
                   stars + [view])


@router.callback("cx:rt")
async def btn_rate(chat: Chat) -> None:
    cid, stars = chat.arg_int(0), chat.arg_int(1)
    number = await tracking.rate(chat.uow, chat.person, cid, stars, now=chat.now)
    chat.goto("cx.comment", cid=cid)
    chat.reply(chat.t("cx.rate.thanks", number=number, stars=views.STARS * stars),
               [[button(chat.t("cx.btn.skip"), "cx:rcs", cid)]])


@router.callback("cx:rcs")
async def btn_skip_comment(chat: Chat) -> None:
    if chat.state != "cx.comment":
        await stale_button(chat)
        return
    chat.clear()
    chat.reply(chat.t("cx.rate.done"), _back(chat))


@router.state("cx.comment")
async def comment_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [[button(chat.t("cx.btn.skip"), "cx:rcs", chat.data.get("cid", 0))]])
        return
    try:
        await tracking.rate_comment(chat.uow, chat.person, int(chat.data.get("cid", 0)), chat.incoming.text)
    except InvalidInput as e:
        chat.reply(chat.t(e.code, **e.params), [[button(chat.t("cx.btn.skip"), "cx:rcs", chat.data.get("cid", 0))]])
        return
    chat.clear()
    chat.reply(chat.t("cx.rate.done"), _back(chat))


# --- following

@router.callback("cx:fw")
async def btn_follow(chat: Chat) -> None:
    cid = chat.arg_int(0)
    number = await tracking.follow(chat.uow, chat.person, cid, now=chat.now)
    chat.toast = chat.t("cx.follow.on", number=number)
    await show(chat, cid, edit=True)


@router.callback("cx:uf")
async def btn_unfollow(chat: Chat) -> None:
    cid = chat.arg_int(0)
    number = await tracking.unfollow(chat.uow, chat.person, cid)
    chat.reply(chat.t("cx.follow.off", number=number), [[button(chat.t("cx.btn.view"), "cx:v", cid)]])


# --- erasure

@router.command("hapusdata", "erase", "deletemydata")
@router.callback("cx:er")
async def cmd_erase(chat: Chat) -> None:
    chat.goto("cx.erase")
    chat.reply(chat.t("cx.erase.confirm"), [[button(chat.t("cx.btn.erase_yes"), "cx:erase", "yes")],
                                           [Button(chat.t("btn.cancel"), "cancel")]])


@router.callback("cx:erase")
async def btn_erase(chat: Chat) -> None:
    if chat.state != "cx.erase":
        await stale_button(chat)
        return
    n = await erase(chat.uow, chat.person, now=chat.now)
    chat.clear()
    chat.reply(chat.t("cx.erase.done", n=n), remove_keyboard=True)


@router.state("cx.erase")
async def erase_typed(chat: Chat) -> None:
    chat.clear()
    chat.reply(chat.t("cx.erase.kept"))
    show_menu(chat)


router.menu_item("cx.menu.new", "cx:new", order=10)
router.menu_item("cx.menu.mine", "cx:my:1", order=11)
# Staff accounts cannot erase themselves (services.complaints.erase): the button is for the public.
router.menu_item("cx.menu.erase", "cx:er", roles=(Role.CITIZEN, Role.ASN), order=88)
router.help("cx.help")
