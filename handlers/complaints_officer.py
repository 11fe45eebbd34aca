"""The agency's minimum: the queue, a report's card, status changes with a note, answers,
returning a wrongly routed report, and HR's routing of the "not sure" ones."""

from __future__ import annotations

from handlers import complaint_views as views
from handlers.common import stale_button
from handlers.kit import Button, Kind
from handlers.render import button, escape
from handlers.router import Chat, Router
from services import complaint_desk as desk
from services import complaints
from services.errors import DomainError, InvalidInput
from services.roles import Role

router = Router()
STAFF_DESK = (Role.OFFICER, Role.HR)


def _cancel(chat: Chat) -> list[Button]:
    return [Button(chat.t("btn.cancel"), "cancel")]


async def show_card(chat: Chat, complaint_id: int, *, with_photos: bool = True) -> None:
    c = await desk.card(chat.uow, chat.person, complaint_id)
    chat.replies.extend(views.desk_card(chat.locale, c, chat.settings.tz, with_photos=with_photos))


@router.command("laporanmasuk", "inbox", "desk")
@router.callback("cxo:q")
async def queue(chat: Chat) -> None:
    if chat.state and chat.state.startswith("cxo."):  # an unfinished note must not land on a report later
        chat.clear()
    page = await desk.queue(chat.uow, chat.person, chat.arg_int(0, default=1))
    title = chat.t("cx.desk.title_hr" if chat.person.role != Role.OFFICER else "cx.desk.title")
    r = views.report_list(chat.locale, page, chat.settings.tz, prefix="cxo:q", title=title,
                          empty=chat.t("cx.desk.empty"), open_prefix="cxo:o", now=chat.now)
    if not page.items:
        r.buttons = [[Button(chat.t("menu.back"), "menu")]]
    chat.reply(r.text, r.buttons, edit=chat.incoming.kind is Kind.CALLBACK)


@router.callback("cxo:o")
async def open_report(chat: Chat) -> None:
    cid = chat.arg_int(0)
    chat.clear()
    await show_card(chat, cid, with_photos=chat.args[1:2] != ["np"])  # "np": a refresh, photos already shown


@router.callback("cxo:a")
async def choose_action(chat: Chat) -> None:
    cid, action = chat.arg_int(0), chat.arg_str(1)
    c = await desk.card(chat.uow, chat.person, cid)  # also the access check
    if action not in c.actions:
        chat.reply(chat.t("cx.err.illegal_now", number=c.number, status=views.status(chat.locale, c.status)),
                   [[button(chat.t("cx.btn.open"), "cxo:o", cid)]])
        return
    if action == "merge":
        chat.goto("cxo.merge", cid=cid)
        chat.reply(chat.t("cx.desk.ask_merge", number=c.number), [_cancel(chat)])
        return
    chat.goto("cxo.note", cid=cid, action=action)
    rows: list[list[Button]] = []
    if action == "reject":
        rows.append([button(chat.t("cx.btn.reason_authority"), "cxo:rj", cid)])
    if not desk.needs_note(action):
        rows.append([button(chat.t("cx.btn.no_note"), "cxo:nn", cid, action)])
    key = "cx.desk.ask_answer" if action == "answer" else "cx.desk.ask_note"
    chat.reply(chat.t(key, number=c.number, action=chat.t(f"cx.act.{action}")), rows + [_cancel(chat)])


async def _apply(chat: Chat, cid: int, action: str, note: str | None) -> None:
    try:
        status = await desk.act(chat.uow, chat.person, cid, action, note=note, now=chat.now)
    except InvalidInput as e:  # e.g. a reason is required: the step stays open
        chat.reply(chat.t(e.code, **e.params), [_cancel(chat)])
        return
    chat.clear()
    chat.reply(chat.t("cx.desk.done", status=views.status(chat.locale, status)))
    if action != "return":  # a returned report is no longer the officer's to open
        await show_card(chat, cid, with_photos=False)
    else:
        chat.reply(chat.t("cx.desk.returned"), [[button(chat.t("cx.btn.queue"), "cxo:q", 1)]])


@router.state("cxo.note")
async def note_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [_cancel(chat)])
        return
    await _apply(chat, int(chat.data.get("cid", 0)), str(chat.data.get("action", "")), chat.incoming.text)


@router.callback("cxo:nn")
async def no_note(chat: Chat) -> None:
    cid = chat.arg_int(0)
    if chat.state != "cxo.note" or cid != chat.data.get("cid") or chat.args[1:2] != [chat.data.get("action")]:
        await stale_button(chat)
        return
    await _apply(chat, cid, str(chat.data["action"]), None)


@router.callback("cxo:rj")
async def reject_not_authority(chat: Chat) -> None:
    cid = chat.arg_int(0)
    if chat.state != "cxo.note" or cid != chat.data.get("cid") or chat.data.get("action") != "reject":
        await stale_button(chat)
        return
    await _apply(chat, cid, "reject", chat.t("cx.reason.authority"))


@router.state("cxo.merge")
async def merge_typed(chat: Chat) -> None:
    cid = int(chat.data.get("cid", 0))
    try:
        number = await desk.merge(chat.uow, chat.person, cid, chat.incoming.text, now=chat.now)
    except DomainError as e:  # a wrong number is worth another try
        chat.reply(chat.t(e.code, **e.params), [_cancel(chat)])
        return
    chat.clear()
    chat.reply(chat.t("cx.desk.merged", number=number), [[button(chat.t("cx.btn.queue"), "cxo:q", 1)]])


@router.callback("cxo:r")
async def choose_agency(chat: Chat) -> None:
    cid = chat.arg_int(0)
    c = await desk.card(chat.uow, chat.person, cid)
    if not c.can_route:
        chat.reply(chat.t("cx.err.illegal_now", number=c.number, status=views.status(chat.locale, c.status)),
                   [[button(chat.t("cx.btn.open"), "cxo:o", cid)]])
        return
    rows = [[button(a.name, "cxo:to", cid, a.id)] for a in await complaints.agencies(chat.uow)]
    chat.reply(chat.t("cx.desk.ask_route", number=c.number), rows + [[button(chat.t("cx.btn.open"), "cxo:o", cid)]])


@router.callback("cxo:to")
async def route(chat: Chat) -> None:
    cid, agency_id = chat.arg_int(0), chat.arg_int(1)
    name = await desk.route(chat.uow, chat.person, cid, agency_id, now=chat.now)
    chat.reply(chat.t("cx.desk.routed", agency=escape(name)), [[button(chat.t("cx.btn.queue"), "cxo:q", 1)]])


@router.command("opd", "agencies")
async def routing_keywords(chat: Chat) -> None:
    """`/opd` lists agencies and their routing keywords; `/opd CODE a, b, c` replaces them."""
    code, _, words = chat.incoming.args.strip().partition(" ")
    if code and words.strip():
        saved = await complaints.set_routing_keywords(chat.uow, chat.person, code, words)
        chat.reply(chat.t("cx.opd.saved", code=escape(code.upper()), keywords=escape(", ".join(saved))))
        return
    rows = await complaints.routing_keywords(chat.uow, chat.person)
    lines = [chat.t("cx.opd.title")] + [
        chat.t("cx.opd.item", code=escape(c), name=escape(n), keywords=escape(", ".join(k) or "-"))
        for c, n, k in rows]
    chat.reply("\n\n".join(lines), [[Button(chat.t("menu.back"), "menu")]])


router.menu_item("cx.menu.desk", "cxo:q:1", roles=STAFF_DESK, order=12)
router.help("cx.help.desk", STAFF_DESK)
router.help("cx.help.opd", (Role.HR,))
