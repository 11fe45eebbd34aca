"""Where a report goes next: HR's disposition of the unrouted (or unstaffed) ones, and an
officer forwarding one their agency holds to another agency."""

from __future__ import annotations

from collections.abc import Callable

from handlers.callbacks import Callback
from handlers.complaints.callbacks import ChooseAgency, ChooseForward, ForwardTo, OpenCard, RouteTo
from handlers.complaints.desk.common import illegal, load_card, to_queue
from handlers.kit import Button
from handlers.render import escape
from handlers.router import Chat, Router
from services.complaints import desk, forwarding
from services.complaints.dto import RouteTarget

router = Router()


def _choices(chat: Chat, cid: int, targets: list[RouteTarget],
             pick: Callable[[int, int], Callback]) -> list[list[Button]]:
    rows = [[Button(("" if t.staffed else "⚠️ ") + t.agency.name, pick(cid, t.agency.id).pack())] for t in targets]
    return rows + [[Button(chat.t("cx.btn.open"), OpenCard(cid, "np").pack())]]


def _unstaffed_hint(chat: Chat, targets: list[RouteTarget]) -> str:
    # Warned before the choice, not only after it.
    return "" if all(t.staffed for t in targets) else "\n" + chat.t("cx.desk.route_unstaffed_hint")


@router.callback(ChooseAgency)
async def choose_agency(chat: Chat, cb: ChooseAgency) -> None:
    cid = cb.report_id
    c = await load_card(chat, cid)
    if not c.can_route:
        illegal(chat, cid, c.number, c.status)
        return
    targets = await desk.route_targets(chat.uow, chat.person)
    chat.reply(chat.t("cx.desk.ask_route", number=c.number) + _unstaffed_hint(chat, targets),
               _choices(chat, cid, targets, RouteTo))


@router.callback(RouteTo)
async def route(chat: Chat, cb: RouteTo) -> None:
    routed = await desk.route(chat.uow, chat.person, cb.report_id, cb.agency_id, now=chat.now)
    # Only a notice that was queued is claimed: with no officer there, nobody at the agency was told.
    key = "cx.desk.routed" if routed.officers else "cx.desk.routed_unstaffed"
    chat.reply(chat.t(key, agency=escape(routed.agency)), to_queue(chat))


@router.callback(ChooseForward)
async def choose_forward(chat: Chat, cb: ChooseForward) -> None:
    cid = cb.report_id
    c = await load_card(chat, cid)
    if not c.can_forward:
        illegal(chat, cid, c.number, c.status)
        return
    targets = await forwarding.forward_targets(chat.uow, chat.person, cid)
    chat.reply(chat.t("cx.desk.ask_forward", number=c.number) + _unstaffed_hint(chat, targets),
               _choices(chat, cid, targets, ForwardTo))


@router.callback(ForwardTo)
async def forward(chat: Chat, cb: ForwardTo) -> None:
    routed = await forwarding.forward(chat.uow, chat.person, cb.report_id, cb.agency_id, now=chat.now)
    key = "cx.desk.forwarded" if routed.officers else "cx.desk.routed_unstaffed"
    chat.reply(chat.t(key, agency=escape(routed.agency)), to_queue(chat))
