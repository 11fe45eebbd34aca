"""The pushes about reports, rendered at send time in the recipient's language.

Each renderer is listed in the complaints manifest (`notices=`); the receipt pushed for a lost
reply (`views.n_receipt`) stays beside the filing's receipt it reuses.
"""

from __future__ import annotations

from handlers.complaints.callbacks import (
    ChooseAction,
    ChooseAgency,
    Feedback,
    OpenCard,
    ReplyTo,
    Unfollow,
    ViewReport,
)
from handlers.complaints.views import VERDICTS, kind, stars, status
from handlers.feature import Renderer, renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.render import escape
from services.complaints.notices import (
    Answered,
    CitizenNotice,
    CitizenReply,
    FollowedChanged,
    InfoRequested,
    NewReport,
    RateRequest,
    ReopenedReport,
    ReturnedReport,
    StatusChanged,
)


def _open(loc: str, cid: int) -> Button:
    return Button(t(loc, "cx.btn.open"), OpenCard(cid).pack())


def _verdicts(loc: str, cid: int) -> list[Button]:
    return [Button(t(loc, f"cx.btn.fb.{x}"), Feedback(cid, x).pack()) for x in VERDICTS]


# --- to the desk

@renders(NewReport)
def new_report(loc: str, n: NewReport) -> Reply:
    text = t(loc, "cx.n.new", number=n.number, kind=kind(loc, n.kind), excerpt=escape(n.excerpt))
    if n.unstaffed:  # sent to HR because the agency has nobody to tell
        text += "\n" + t(loc, "cx.n.unstaffed", agency=escape(n.unstaffed))
    return Reply(text, [[_open(loc, n.id)]])


@renders(ReturnedReport)
def returned(loc: str, n: ReturnedReport) -> Reply:
    return Reply(t(loc, "cx.n.returned", number=n.number, note=escape(n.note), excerpt=escape(n.excerpt)),
                 [[_open(loc, n.id), Button(t(loc, "cx.act.route"), ChooseAgency(n.id).pack())]])


@renders(ReopenedReport)
def reopened(loc: str, n: ReopenedReport) -> Reply:
    verdict = t(loc, f"cx.fb.{n.detail}") if n.detail else ""
    return Reply(t(loc, "cx.n.reopened", number=n.number, verdict=verdict, excerpt=escape(n.excerpt)),
                 [[_open(loc, n.id)]])


@renders(CitizenReply)
def citizen_reply(loc: str, n: CitizenReply) -> Reply:
    key = "cx.n.reply_info" if n.detail == "info" else "cx.n.reply"  # the answer to the desk's question
    return Reply(t(loc, key, number=n.number, note=escape(n.note)),
                 [[_open(loc, n.id), Button(t(loc, "cx.act.answer"), ChooseAction(n.id, "answer").pack())]])


# --- to the reporter and the followers

def _note(loc: str, n: CitizenNotice) -> str:
    parts = []
    if n.merged:
        parts.append(t(loc, "cx.card.merged", number=n.merged))
    if n.detail:
        parts.append(t(loc, f"cx.fb.{n.detail}"))
    if n.note and n.action not in ("merge", "return"):
        parts.append(f"<i>{escape(n.note)}</i>")
    return "\n".join(parts)


@renders(StatusChanged)
def status_changed(loc: str, n: StatusChanged) -> Reply:
    rows = []
    if n.status in ("dijawab", "selesai"):
        rows.append(_verdicts(loc, n.id))
    rows.append([Button(t(loc, "cx.btn.view"), ViewReport(n.id).pack())])
    return Reply(t(loc, "cx.n.status", number=n.number, status=status(loc, n.status), note=_note(loc, n)).rstrip(),
                 rows)


@renders(Answered)
def answered(loc: str, n: Answered) -> Reply:
    return Reply(t(loc, "cx.n.answer", number=n.number, note=escape(n.note)), [
        _verdicts(loc, n.id),
        [Button(t(loc, "cx.btn.reply"), ReplyTo(n.id).pack()), Button(t(loc, "cx.btn.view"), ViewReport(n.id).pack())]])


@renders(FollowedChanged)
def followed_changed(loc: str, n: FollowedChanged) -> Reply:
    return Reply(t(loc, "cx.n.followed", number=n.number, status=status(loc, n.status), note=_note(loc, n)).rstrip(),
                 [[Button(t(loc, "cx.btn.view"), ViewReport(n.id).pack()),
                   Button(t(loc, "cx.btn.unfollow"), Unfollow(n.id).pack())]])


@renders(InfoRequested)
def info_requested(loc: str, n: InfoRequested) -> Reply:
    """The agency's question: the answer is a reply to the report, which the agency reads there."""
    return Reply(t(loc, "cx.n.ask", number=n.number, note=escape(n.note)),
                 [[Button(t(loc, "cx.btn.answer_question"), ReplyTo(n.id).pack()),
                   Button(t(loc, "cx.btn.view"), ViewReport(n.id).pack())]])


@renders(RateRequest)
def rate_request(loc: str, n: RateRequest) -> Reply:
    return Reply(t(loc, "cx.n.rate", number=n.number), [stars(n.id)])


RENDERERS: tuple[Renderer, ...] = (new_report, returned, reopened, citizen_reply, status_changed, answered,
                                   followed_changed, info_requested, rate_request)
