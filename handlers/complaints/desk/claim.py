"""Taking a report ("I handle this one") and letting it go; colleagues see who has it."""

from __future__ import annotations

from handlers.complaints.callbacks import ClaimReport, OpenCard, ReleaseReport
from handlers.complaints.desk.common import show_card
from handlers.kit import Button
from handlers.render import escape
from handlers.router import Chat, Router
from services.complaints import claims
from services.errors import DomainError

router = Router()


@router.callback(ClaimReport)
async def claim(chat: Chat, cb: ClaimReport) -> None:
    try:
        done = await claims.claim(chat.uow, chat.person, cb.report_id, now=chat.now, take_over=cb.take_over == "y")
    except DomainError as e:
        if e.code != "cx.err.claimed":
            raise
        # A colleague has it: taking over is a second, deliberate press.
        chat.reply(chat.t("cx.desk.take_over_ask", name=escape(str(e.params["name"])), number=e.params["number"]),
                   [[Button(chat.t("cx.btn.take_over"), ClaimReport(cb.report_id, "y").pack())],
                    [Button(chat.t("cx.btn.open"), OpenCard(cb.report_id, "np").pack())]])
        return
    if done.previous:
        chat.reply(chat.t("cx.desk.taken_over", number=done.number, name=escape(done.previous)))
    else:
        chat.reply(chat.t("cx.desk.claimed", number=done.number))
    await show_card(chat, cb.report_id, with_photos=False)


@router.callback(ReleaseReport)
async def release(chat: Chat, cb: ReleaseReport) -> None:
    number = await claims.release(chat.uow, chat.person, cb.report_id, now=chat.now)
    chat.reply(chat.t("cx.desk.released", number=number))
    await show_card(chat, cb.report_id, with_photos=False)
