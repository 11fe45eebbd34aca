"""The agency's minimum: the queue, a report's card, status changes with a note, answers,
returning a wrongly routed report, and HR's routing of the "not sure" ones."""

from __future__ import annotations

from dataclasses import dataclass, replace

from handlers.callbacks import StaleButton
from handlers.complaints import cards, views
from handlers.complaints.callbacks import (
    ChooseAction,
    ChooseAgency,
    DropAnswer,
    EditAnswer,
    NoNote,
    OpenCard,
    Queue,
    RejectNotAuthority,
    RouteTo,
    SendAnswer,
)
from handlers.flow import Step, Steps
from handlers.kit import Button, Kind
from handlers.render import escape
from handlers.router import Chat, Router
from services.complaints import desk
from services.complaints.dto import AnswerDraft
from services.errors import DomainError, InvalidInput
from services.roles import Role

router = Router()
STAFF_DESK = (Role.OFFICER, Role.HR)
ASK = {"answer": "cx.desk.ask_answer", "resolve": "cx.desk.ask_resolve", "close": "cx.desk.ask_close"}


class Acting(Steps, prefix="cxo"):
    """An action from the card: its note (a reason, an answer); an answer is previewed before it goes."""

    note = Step(note="a note, a reason or the answer")
    preview = Step(skip=lambda chat: chat.load(OnCard).action != "answer", note="answers only")


class Merging(Steps, prefix="cxo"):
    merge = Step(note="the number it duplicates")


FLOWS = (Acting, Merging)


@dataclass(frozen=True)
class OnCard:
    """The report a desk step acts on; state names and these fields are people's saved state."""

    report_id: int = 0
    action: str = ""
    number: str = ""
    text: str = ""  # the answer waiting in the preview (kept while it is edited)
    to_reporter: bool = True  # False: the reporter erased their data, the answer only joins the history


def current(chat: Chat, step: Step, report_id: int, action: str | None = None) -> OnCard:
    """What the open step holds, if the pressed button belongs to it; else the button is stale
    (sent already, cancelled, another report's or another action's: nothing happens twice)."""
    on = chat.load(OnCard)
    if (not step.is_current(chat) or on.report_id != report_id or (action is not None and on.action != action)
            or (step is Acting.preview and not on.text)):
        raise StaleButton(f"{step.name} {report_id}")
    return on


def _cancel(chat: Chat) -> list[Button]:
    return [Button(chat.t("btn.cancel"), "cancel")]


def _to_queue(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("cx.btn.queue"), Queue(1).pack())]]


async def show_card(chat: Chat, complaint_id: int, *, with_photos: bool = True) -> None:
    c = await desk.card(chat.uow, chat.person, complaint_id)
    chat.replies.extend(cards.desk_card(chat.locale, c, chat.settings.tz, with_photos=with_photos))


def _illegal(chat: Chat, cid: int, number: str, status: str) -> None:
    chat.reply(chat.t("cx.err.illegal_now", number=number, status=views.status(chat.locale, status)),
               [[Button(chat.t("cx.btn.open"), OpenCard(cid).pack())]])


# --- the queue and the card

@router.command("laporanmasuk", "inbox", "desk")
async def cmd_queue(chat: Chat) -> None:
    await _queue(chat, 1)


@router.callback(Queue)
async def btn_queue(chat: Chat, cb: Queue) -> None:
    await _queue(chat, cb.page)


async def _queue(chat: Chat, page_no: int) -> None:
    if Acting.step(chat.state) or Merging.step(chat.state):  # an unfinished note must not land on a report later
        chat.clear()
    page = await desk.queue(chat.uow, chat.person, page_no)
    title = chat.t("cx.desk.title_hr" if chat.person.role != Role.OFFICER else "cx.desk.title")
    r = cards.report_list(chat.locale, page, chat.settings.tz, pages=Queue, opens=OpenCard, title=title,
                          empty=chat.t("cx.desk.empty"), now=chat.now)
    if not page.items:
        r.buttons = [[Button(chat.t("menu.back"), "menu")]]
    chat.reply(r.text, r.buttons, edit=chat.incoming.kind is Kind.CALLBACK)


@router.callback(OpenCard)
async def open_report(chat: Chat, cb: OpenCard) -> None:
    chat.clear()
    await show_card(chat, cb.report_id, with_photos=cb.refresh != "np")  # "np": a refresh, photos already shown


@router.callback(ChooseAction)
async def choose_action(chat: Chat, cb: ChooseAction) -> None:
    c = await desk.card(chat.uow, chat.person, cb.report_id)  # also the access check
    if cb.action not in c.actions:
        _illegal(chat, cb.report_id, c.number, c.status)
        return
    chat.save(OnCard(cb.report_id, cb.action, c.number))
    await (Merging.merge if cb.action == "merge" else Acting.note).enter(chat)


# --- a note, then the action

@Acting.note.asks
def ask_note(chat: Chat) -> None:
    on = chat.load(OnCard)
    if on.text:  # an answer back from its preview: the text to copy from
        chat.reply(chat.t("cx.desk.edit_answer", text=escape(on.text)), [_cancel(chat)])
        return
    rows: list[list[Button]] = []
    if on.action == "reject":
        rows.append([Button(chat.t("cx.btn.reason_authority"), RejectNotAuthority(on.report_id).pack())])
    if not desk.needs_note(on.action):
        rows.append([Button(chat.t("cx.btn.no_note"), NoNote(on.report_id, on.action).pack())])
    # Selesai and Tutup say what they will do: they read alike but end differently for the citizen.
    key = ASK.get(on.action, "cx.desk.ask_note")
    chat.reply(chat.t(key, number=on.number, action=chat.t(f"cx.act.{on.action}"),
                      days=chat.settings.complaint_reopen_days), rows + [_cancel(chat)])


async def _apply(chat: Chat, cid: int, action: str, note: str | None) -> None:
    try:
        status = await desk.act(chat.uow, chat.person, cid, action, note=note, now=chat.now)
    except InvalidInput as e:  # e.g. a reason is required: the step stays open
        chat.reply(chat.error_text(e), [_cancel(chat)])
        return
    chat.clear()
    chat.reply(chat.t("cx.desk.done", status=views.status(chat.locale, status)))
    if action != "return":  # a returned report is no longer the officer's to open
        await show_card(chat, cid, with_photos=False)
    else:
        chat.reply(chat.t("cx.desk.returned"), _to_queue(chat))


@router.step(Acting.note)
async def note_typed(chat: Chat) -> None:
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [_cancel(chat)])
        return
    on = chat.load(OnCard)
    if on.action == "answer":
        await _preview(chat, on, chat.incoming.text)
        return
    await _apply(chat, on.report_id, on.action, chat.incoming.text)


@router.callback(NoNote)
async def no_note(chat: Chat, cb: NoNote) -> None:
    on = current(chat, Acting.note, cb.report_id, cb.action)
    await _apply(chat, on.report_id, on.action, None)


@router.callback(RejectNotAuthority)
async def reject_not_authority(chat: Chat, cb: RejectNotAuthority) -> None:
    on = current(chat, Acting.note, cb.report_id, "reject")
    await _apply(chat, on.report_id, "reject", chat.t("cx.reason.authority"))


# --- an answer is previewed before it reaches the citizen; the text waits in the saved state

async def _preview(chat: Chat, on: OnCard, text: str) -> None:
    try:
        draft = await desk.draft_answer(chat.uow, chat.person, on.report_id, text)
    except InvalidInput as e:  # empty or too long: the step stays open for another try
        chat.reply(chat.error_text(e), [_cancel(chat)])
        return
    chat.save(replace(on, number=draft.number, text=draft.text, to_reporter=draft.to_reporter))
    await Acting.preview.enter(chat)


@Acting.preview.asks
def show_preview(chat: Chat) -> None:
    on = chat.load(OnCard)
    draft = AnswerDraft(on.report_id, on.number, on.text, to_reporter=on.to_reporter)
    chat.replies.append(cards.answer_preview(chat.locale, draft))


@router.step(Acting.preview)
async def preview_typed(chat: Chat) -> None:
    """Typing again while the preview is shown replaces the answer and shows it anew."""
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), [_cancel(chat)])
        return
    await _preview(chat, chat.load(OnCard), chat.incoming.text)


@router.callback(SendAnswer)
async def send_answer(chat: Chat, cb: SendAnswer) -> None:
    on = current(chat, Acting.preview, cb.report_id)
    await _apply(chat, on.report_id, "answer", on.text)


@router.callback(EditAnswer)
async def edit_answer(chat: Chat, cb: EditAnswer) -> None:
    current(chat, Acting.preview, cb.report_id)
    await Acting.note.enter(chat)  # the text stays saved until a new one is typed


@router.callback(DropAnswer)
async def drop_answer(chat: Chat, cb: DropAnswer) -> None:
    on = current(chat, Acting.preview, cb.report_id)
    chat.clear()
    chat.reply(chat.t("cx.desk.answer_dropped"), [[Button(chat.t("cx.btn.open"), OpenCard(on.report_id, "np").pack())]])


# --- merging, routing

@Merging.merge.asks
def ask_merge(chat: Chat) -> None:
    chat.reply(chat.t("cx.desk.ask_merge", number=chat.load(OnCard).number), [_cancel(chat)])


@router.step(Merging.merge)
async def merge_typed(chat: Chat) -> None:
    try:
        number = await desk.merge(chat.uow, chat.person, chat.load(OnCard).report_id, chat.incoming.text, now=chat.now)
    except DomainError as e:  # a wrong number is worth another try
        chat.reply(chat.error_text(e), [_cancel(chat)])
        return
    chat.clear()
    chat.reply(chat.t("cx.desk.merged", number=number), _to_queue(chat))


@router.callback(ChooseAgency)
async def choose_agency(chat: Chat, cb: ChooseAgency) -> None:
    cid = cb.report_id
    c = await desk.card(chat.uow, chat.person, cid)
    if not c.can_route:
        _illegal(chat, cid, c.number, c.status)
        return
    targets = await desk.route_targets(chat.uow, chat.person)
    rows = [[Button(("" if t.staffed else "⚠️ ") + t.agency.name, RouteTo(cid, t.agency.id).pack())]
            for t in targets]
    text = chat.t("cx.desk.ask_route", number=c.number)
    if not all(t.staffed for t in targets):  # warned before the choice, not only after it
        text += "\n" + chat.t("cx.desk.route_unstaffed_hint")
    chat.reply(text, rows + [[Button(chat.t("cx.btn.open"), OpenCard(cid).pack())]])


@router.callback(RouteTo)
async def route(chat: Chat, cb: RouteTo) -> None:
    routed = await desk.route(chat.uow, chat.person, cb.report_id, cb.agency_id, now=chat.now)
    # Only a notice that was queued is claimed: with no officer there, nobody at the agency was told.
    key = "cx.desk.routed" if routed.officers else "cx.desk.routed_unstaffed"
    chat.reply(chat.t(key, agency=escape(routed.agency)), _to_queue(chat))


router.menu_item("cx.menu.desk", Queue(1), roles=STAFF_DESK, order=12)
router.help("cx.help.desk", STAFF_DESK)
router.restrict("cxo", "/laporanmasuk", "/inbox", "/desk", roles=STAFF_DESK)  # forged desk buttons: refused, audited
