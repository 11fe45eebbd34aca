"""The agency's minimum: the queue, a report's card, status changes with a note, answers,
returning a wrongly routed report, and HR's routing of the "not sure" ones."""

from __future__ import annotations

from handlers.complaints import views
from handlers.kit import Button, Kind
from handlers.menu import stale_button
from handlers.render import button, escape
from handlers.router import Chat, Router
from services.complaints import desk
from services.errors import DomainError, InvalidInput
from services.roles import Role

router = Router()
STAFF_DESK = (Role.OFFICER, Role.HR)
ASK = {"answer": "cx.desk.ask_answer", "resolve": "cx.desk.ask_resolve", "close": "cx.desk.ask_close"}


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
    # Selesai and Tutup say what they will do: they read alike but end differently for the citizen.
    key = ASK.get(action, "cx.desk.ask_note")
    chat.reply(chat.t(key, number=c.number, action=chat.t(f"cx.act.{action}"),
                      days=chat.settings.complaint_reopen_days), rows + [_cancel(chat)])


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
    action = str(chat.data.get("action", ""))
    if action == "answer":
        await _preview(chat, int(chat.data.get("cid", 0)), chat.incoming.text)
        return
    await _apply(chat, int(chat.data.get("cid", 0)), action, chat.incoming.text)


# --- an answer is previewed before it reaches the citizen; the text waits in the saved state

async def _preview(chat: Chat, cid: int, text: str) -> None:
    try:
        draft = await desk.draft_answer(chat.uow, chat.person, cid, text)
    except InvalidInput as e:  # empty or too long: the step stays open for another try
        chat.reply(chat.t(e.code, **e.params), [_cancel(chat)])
        return
    chat.goto("cxo.preview", cid=cid, action="answer", text=draft.text)
    chat.replies.append(views.answer_preview(chat.locale, draft))


@router.state("cxo.preview")
async def preview_typed(chat: Chat) -> None:
    """Typing again while the preview is shown replaces the answer and shows it anew."""
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [_cancel(chat)])
        return
    await _preview(chat, int(chat.data.get("cid", 0)), chat.incoming.text)


def _previewing(chat: Chat) -> int | None:
    """The report whose answer is waiting, if the pressed button belongs to that preview."""
    cid = chat.arg_int(0)
    if chat.state != "cxo.preview" or cid != chat.data.get("cid") or not chat.data.get("text"):
        return None
    return cid


@router.callback("cxo:snd")
async def send_answer(chat: Chat) -> None:
    cid = _previewing(chat)
    if cid is None:  # sent already, cancelled, or another report's: nothing goes out twice
        await stale_button(chat)
        return
    await _apply(chat, cid, "answer", str(chat.data["text"]))


@router.callback("cxo:ed")
async def edit_answer(chat: Chat) -> None:
    cid = _previewing(chat)
    if cid is None:
        await stale_button(chat)
        return
    text = str(chat.data["text"])
    chat.goto("cxo.note", cid=cid, action="answer")  # the text stays saved until a new one is typed
    chat.reply(chat.t("cx.desk.edit_answer", text=escape(text)), [_cancel(chat)])


@router.callback("cxo:ab")
async def drop_answer(chat: Chat) -> None:
    cid = _previewing(chat)
    if cid is None:
        await stale_button(chat)
        return
    chat.clear()
    chat.reply(chat.t("cx.desk.answer_dropped"), [[button(chat.t("cx.btn.open"), "cxo:o", cid, "np")]])


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
    targets = await desk.route_targets(chat.uow, chat.person)
    rows = [[button(("" if t.staffed else "⚠️ ") + t.agency.name, "cxo:to", cid, t.agency.id)] for t in targets]
    text = chat.t("cx.desk.ask_route", number=c.number)
    if not all(t.staffed for t in targets):  # warned before the choice, not only after it
        text += "\n" + chat.t("cx.desk.route_unstaffed_hint")
    chat.reply(text, rows + [[button(chat.t("cx.btn.open"), "cxo:o", cid)]])


@router.callback("cxo:to")
async def route(chat: Chat) -> None:
    cid, agency_id = chat.arg_int(0), chat.arg_int(1)
    routed = await desk.route(chat.uow, chat.person, cid, agency_id, now=chat.now)
    # Only a notice that was queued is claimed: with no officer there, nobody at the agency was told.
    key = "cx.desk.routed" if routed.officers else "cx.desk.routed_unstaffed"
    chat.reply(chat.t(key, agency=escape(routed.agency)),
               [[button(chat.t("cx.btn.queue"), "cxo:q", 1)]])


router.menu_item("cx.menu.desk", "cxo:q:1", roles=STAFF_DESK, order=12)
router.help("cx.help.desk", STAFF_DESK)
