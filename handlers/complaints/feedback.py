"""After an answer: "was it fixed?" (reopening only after a confirmation), the rating and its comment."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.complaints import views
from handlers.complaints.callbacks import Feedback, Rate, ReplyTo, SkipComment, ViewReport
from handlers.complaints.status import back, view_button
from handlers.flow import Step, Steps
from handlers.kit import Button, Kind
from handlers.router import Chat, Router
from services.complaints import tracking
from services.complaints.rules import RULES, policy_for
from services.errors import InvalidInput

router = Router()


class Commenting(Steps, prefix="cx"):
    comment = Step(note="a comment on the rating")


@dataclass(frozen=True)
class Rated:
    report_id: int = 0  # the report just rated, whose comment may follow
    number: str = ""
    stars: int = 0


@router.callback(Feedback)
async def btn_feedback(chat: Chat, cb: Feedback) -> None:
    cid, verdict = cb.report_id, cb.verdict
    # "y": the press on the confirmation; reopening from the first press alone would be one slip away.
    fb = await tracking.feedback(chat.uow, chat.person, cid, verdict, now=chat.now, policy=policy_for(chat.settings),
                                 confirmed=cb.confirm == "y")
    view = [view_button(chat, cid)]
    stars = [views.stars(cid)] if fb.can_rate else []
    if fb.outcome == "confirm":
        chat.reply(chat.t("cx.fb.confirm_reopen", number=fb.number, verdict=chat.t(f"cx.fb.{verdict}"),
                          status=views.status(chat.locale, RULES["reopen"].target)),
                   [[Button(chat.t("cx.btn.reopen_yes"), Feedback(cid, verdict, "y").pack())],
                    [Button(chat.t("cx.btn.reopen_no"), ViewReport(cid).pack())]])
    elif fb.outcome == "closed":
        # The rating is promised only when its request was queued now; otherwise it is asked right here.
        key = "cx.fb.thanks_fixed" if fb.rating_asked else ("cx.fb.closed_rate" if fb.can_rate else "cx.fb.closed")
        chat.reply(chat.t(key, number=fb.number), ([] if fb.rating_asked else stars) + [view])
    elif fb.outcome == "reopened":
        chat.reply(chat.t("cx.fb.reopened", status=views.status(chat.locale, fb.status)),
                   [[Button(chat.t("cx.btn.explain"), ReplyTo(cid).pack())], view])
    else:  # a press after the fact: what the report is now, and nothing promised
        chat.reply(chat.t("cx.fb.current", number=fb.number, status=views.status(chat.locale, fb.status)),
                   stars + [view])


def _skip(chat: Chat, cid: int) -> list[list[Button]]:
    return [[Button(chat.t("cx.btn.skip"), SkipComment(cid).pack())]]


@router.callback(Rate)
async def btn_rate(chat: Chat, cb: Rate) -> None:
    number = await tracking.rate(chat.uow, chat.person, cb.report_id, cb.stars, now=chat.now)
    chat.save(Rated(cb.report_id, number, cb.stars))
    await Commenting.comment.enter(chat)


@Commenting.comment.asks
def ask_comment(chat: Chat) -> None:
    """Thanks for the stars, and a comment if they like."""
    rated = chat.load(Rated)
    chat.reply(chat.t("cx.rate.thanks", number=rated.number, stars=views.STARS * rated.stars),
               _skip(chat, rated.report_id))


@router.callback(SkipComment, during=Commenting.comment)
async def btn_skip_comment(chat: Chat, cb: SkipComment) -> None:
    chat.clear()
    chat.reply(chat.t("cx.rate.done"), back(chat))


@router.step(Commenting.comment)
async def comment_typed(chat: Chat) -> None:
    cid = chat.load(Rated).report_id
    if chat.incoming.kind is not Kind.TEXT:
        chat.reply(chat.t("cx.reply.text_only"), _skip(chat, cid))
        return
    try:
        await tracking.rate_comment(chat.uow, chat.person, cid, chat.incoming.text)
    except InvalidInput as e:
        chat.reply(chat.error_text(e), _skip(chat, cid))
        return
    chat.clear()
    chat.reply(chat.t("cx.rate.done"), back(chat))
