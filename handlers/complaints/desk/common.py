"""What every desk screen shares: the flows' steps, the report a step acts on, the card, buttons."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.callbacks import StaleButton
from handlers.complaints import cards, views
from handlers.complaints.callbacks import OpenCard, Queue
from handlers.flow import Step, Steps
from handlers.kit import Button
from handlers.menu import Cancel
from handlers.router import Chat
from services.complaints import desk
from services.complaints.dto import DeskCard
from services.roles import Role

STAFF_DESK = (Role.OFFICER, Role.HR)
PREVIEWED = ("answer", "ask")  # what reaches the citizen in the officer's words is shown first


class Acting(Steps, prefix="cxo"):
    """An action from the card: its note (a reason, an answer, a question for the reporter); an
    answer or a question is previewed as the citizen will read it before it goes."""

    note = Step(note="a note, a reason, the answer or the question")
    preview = Step(skip=lambda chat: chat.load(OnCard).action not in PREVIEWED, note="answers and questions")


class Merging(Steps, prefix="cxo"):
    merge = Step(note="the number it duplicates")


@dataclass(frozen=True)
class OnCard:
    """The report a desk step acts on; state names and these fields are people's saved state."""

    report_id: int = 0
    action: str = ""  # a DESK_ACTION, or "ask" (more information from the reporter)
    number: str = ""
    text: str = ""  # the answer waiting in the preview (kept while it is edited)
    to_reporter: bool = True  # False: the reporter erased their data, the answer only joins the history


def on_card(chat: Chat, report_id: int, action: str | None = None, *, previewed: bool = False) -> OnCard:
    """What the open step holds, if the pressed button is for it; else the button is stale (another
    report's or another action's, or a preview with nothing in it). The step itself is the handler's
    `during`: a button of a step that is over (sent already, cancelled) never gets here."""
    on = chat.load(OnCard)
    if on.report_id != report_id or (action is not None and on.action != action) or (previewed and not on.text):
        raise StaleButton(chat.incoming.text)
    return on


def in_desk_step(chat: Chat) -> bool:
    return bool(Acting.step(chat.state) or Merging.step(chat.state))


def cancel_row(chat: Chat) -> list[Button]:
    return [Button(chat.t("btn.cancel"), Cancel().pack())]


def to_queue(chat: Chat) -> list[list[Button]]:
    return [[Button(chat.t("cx.btn.queue"), Queue(1).pack())]]


async def load_card(chat: Chat, complaint_id: int) -> DeskCard:
    return await desk.card(chat.uow, chat.person, complaint_id, now=chat.now, tz=chat.settings.tz)


async def show_card(chat: Chat, complaint_id: int, *, with_photos: bool = True) -> None:
    c = await load_card(chat, complaint_id)
    chat.replies.extend(cards.desk_card(chat.locale, c, chat.settings.tz, with_photos=with_photos))


def illegal(chat: Chat, cid: int, number: str, status: str) -> None:
    chat.reply(chat.t("cx.err.illegal_now", number=number, status=views.status(chat.locale, status)),
               [[Button(chat.t("cx.btn.open"), OpenCard(cid).pack())]])
