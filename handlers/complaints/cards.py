"""A report as its reporter sees it, as the desk sees it, lists of reports, and the answer preview.

Nothing here ever prints who filed a report except `desk_card`, and only with what the
service chose to fill in.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import cast
from zoneinfo import ZoneInfo

from handlers.callbacks import Callback
from handlers.complaints.callbacks import (
    Action,
    AskInfo,
    ChooseAction,
    ChooseAgency,
    ChooseForward,
    ClaimReport,
    DropAnswer,
    EditAnswer,
    Feedback,
    Follow,
    MyReports,
    NewReport,
    OpenCard,
    Queue,
    ReleaseReport,
    ReplyTo,
    SendAnswer,
    Unfollow,
    ViewReport,
)
from handlers.complaints.notices import answered, info_requested
from handlers.complaints.views import STARS, VERDICTS, kind, map_url, place, stars, status
from handlers.dates import long_day as day
from handlers.dates import moment as when
from handlers.i18n import has, t
from handlers.kit import Attachment, Button, Reply
from handlers.menu import Menu
from handlers.render import escape
from services.complaints.dto import AnswerDraft, DeskCard, EventView, Page, ReportLine, ReportView
from services.complaints.notices import Answered, InfoRequested


def event_line(loc: str, e: EventView, tz: ZoneInfo, *, staff: bool = False) -> str:
    who = t(loc, f"cx.actor.{e.actor}", agency=escape(e.agency or "-"))
    head = t(loc, f"cx.ev.{e.action}", status=status(loc, e.status) if e.status else "",
             agency=escape(e.agency or "-"))
    text = f"• {when(loc, e.at, tz)} — {head} ({who})"
    if e.detail:
        text += f" — {t(loc, f'cx.fb.{e.detail}')}"
    if e.note and (staff or e.action != "return"):
        text += f"\n   <i>{escape(e.note)}</i>"
    return text


# --- following a report

def report_card(loc: str, v: ReportView, tz: ZoneInfo) -> Reply:
    lines = [t(loc, "cx.card.head", number=v.number, kind=kind(loc, v.kind), status=status(loc, v.status))]
    lines.append(t(loc, "cx.card.agency", agency=escape(v.agency) if v.agency else t(loc, "cx.agency.unsure")))
    if v.privacy != "normal":
        lines.append(t(loc, f"cx.privacy.{v.privacy}"))
    lines.append(t(loc, "cx.card.filed", when=when(loc, v.created_at, tz),
                   due=day(loc, v.response_due_at, tz)))
    lines.append(t(loc, "cx.card.place", place=place(loc, v.address, v.latitude, v.longitude)))
    if v.photo_count:
        lines.append(t(loc, "cx.card.photos", n=v.photo_count))
    lines.append(f"\n<blockquote>{escape(v.description)}</blockquote>")
    if v.merged_into:
        lines.append(t(loc, "cx.card.merged", number=v.merged_into))
    if v.latest_answer:
        lines.append(t(loc, "cx.card.answer", answer=escape(v.latest_answer)))
    lines.append(t(loc, "cx.card.history"))
    lines.extend(event_line(loc, e, tz) for e in v.events)
    if v.rating:
        lines.append(t(loc, "cx.card.rated", stars=STARS * v.rating))
    return Reply("\n".join(lines), _card_buttons(loc, v))


def _card_buttons(loc: str, v: ReportView) -> list[list[Button]]:
    rows: list[list[Button]] = []
    if v.can_feedback:
        rows.append([Button(t(loc, f"cx.btn.fb.{x}"), Feedback(v.id, x).pack()) for x in VERDICTS])
    if v.can_rate:
        rows.append(stars(v.id))
    if v.can_reply:
        rows.append([Button(t(loc, "cx.btn.reply"), ReplyTo(v.id).pack())])
    if v.following:
        rows.append([Button(t(loc, "cx.btn.unfollow"), Unfollow(v.id).pack())])
    elif v.can_follow:
        rows.append([Button(t(loc, "cx.btn.follow"), Follow(v.id).pack())])
    rows.append([Button(t(loc, "cx.btn.refresh"), ViewReport(v.id, "r").pack()),
                 Button(t(loc, "cx.btn.mine"), MyReports(1).pack())])
    rows.append([Button(t(loc, "menu.back"), Menu().pack())])
    return rows


def report_list(loc: str, page: Page[ReportLine], tz: ZoneInfo, *, pages: Callable[[int], Callback],
                opens: Callable[[int], Callback], title: str, empty: str, now: datetime | None = None) -> Reply:
    """A page of reports; `pages(n)` turns to page n, `opens(id)` opens one (the reporter's card or the desk's).

    With `now` (the desk), unanswered ones past their first-response date are flagged.
    """
    if not page.items:
        return Reply(empty, [[Button(t(loc, "cx.btn.new"), NewReport().pack())],
                             [Button(t(loc, "menu.back"), Menu().pack())]])
    lines = [title, t(loc, "cx.list.page", page=page.page, pages=page.pages, total=page.total)]
    rows: list[list[Button]] = []
    for r in page.items:
        item = t(loc, "cx.list.item", number=r.number, status=status(loc, r.status), kind=kind(loc, r.kind),
                 when=when(loc, r.created_at, tz), excerpt=escape(r.excerpt))
        if now is not None and r.status in ("diterima", "diverifikasi") and r.response_due_at < now:
            item = t(loc, "cx.list.overdue", due=day(loc, r.response_due_at, tz)) + "\n" + item
        if r.unstaffed:
            item = t(loc, "cx.list.unstaffed", agency=escape(r.unstaffed)) + "\n" + item
        lines.append(item)
        rows.append([Button(f"{r.number} · {status(loc, r.status)}", opens(r.id).pack())])
    nav = []
    if page.page > 1:
        nav.append(Button(t(loc, "cx.btn.prev"), pages(page.page - 1).pack()))
    if page.page < page.pages:
        nav.append(Button(t(loc, "cx.btn.next_page"), pages(page.page + 1).pack()))
    if nav:
        rows.append(nav)
    rows.append([Button(t(loc, "menu.back"), Menu().pack())])
    return Reply("\n\n".join(lines), rows)


# --- the agency side

def desk_card(loc: str, c: DeskCard, tz: ZoneInfo, *, with_photos: bool = True) -> list[Reply]:
    """The card, then each photo as its own message (the officer sees the files, not links)."""
    lines = [t(loc, "cx.card.head", number=c.number, kind=kind(loc, c.kind), status=status(loc, c.status))]
    if c.via and has(f"cx.via.{c.via}"):  # the default channel has no word: only the others are marked
        lines[0] += t(loc, f"cx.via.{c.via}")
    lines.append(t(loc, "cx.card.agency", agency=escape(c.agency) if c.agency else t(loc, "cx.agency.unsure")))
    if c.unstaffed:
        lines.append(t(loc, "cx.desk.unstaffed"))
    lines.append(t(loc, "cx.desk.reporter", reporter=escape(c.reporter)) if c.reporter
                 else t(loc, f"cx.desk.hidden.{c.privacy}"))
    lines.append(t(loc, "cx.desk.dues", filed=when(loc, c.created_at, tz), due=day(loc, c.response_due_at, tz),
                   resolve=day(loc, c.resolve_due_at, tz)))
    lines.append(_urgency(loc, c))
    if c.claimed_by:
        lines.append(t(loc, "cx.desk.claimed_by_me") if c.claimed_by_me
                     else t(loc, "cx.q.claimed", name=escape(c.claimed_by)))
    if c.info_requested_at:
        lines.append(t(loc, "cx.desk.awaiting_info", when=when(loc, c.info_requested_at, tz)))
    lines.append(t(loc, "cx.card.place", place=place(loc, c.address, c.latitude, c.longitude)))
    if c.photos:
        lines.append(t(loc, "cx.card.photos", n=len(c.photos)))
    lines.append(f"\n<blockquote>{escape(c.description)}</blockquote>")
    if c.merged_into:
        lines.append(t(loc, "cx.card.merged", number=c.merged_into))
    lines.append(t(loc, "cx.card.history"))
    lines.extend(event_line(loc, e, tz, staff=True) for e in c.events)
    if "resolve" in c.actions or "close" in c.actions:  # two look-alike buttons that end differently
        lines.append("\n" + t(loc, "cx.desk.legend"))
    rows: list[list[Button]] = []
    acts = [Button(t(loc, f"cx.act.{a}"), ChooseAction(c.id, cast(Action, a)).pack())
            for a in c.actions]  # the service's actions are the ones Action names
    rows.extend(acts[i:i + 2] for i in range(0, len(acts), 2))
    work = []
    if c.claimed_by_me:
        work.append(Button(t(loc, "cx.btn.release"), ReleaseReport(c.id).pack()))
    elif c.can_claim:
        work.append(Button(t(loc, "cx.btn.take_over" if c.claimed_by else "cx.btn.claim"), ClaimReport(c.id).pack()))
    if c.can_ask:
        work.append(Button(t(loc, "cx.act.ask"), AskInfo(c.id).pack()))
    if work:
        rows.insert(0, work)  # taking it comes first: then the colleagues see who is on it
    if c.can_route:
        rows.append([Button(t(loc, "cx.act.route"), ChooseAgency(c.id).pack())])
    if c.can_forward:
        rows.append([Button(t(loc, "cx.act.forward"), ChooseForward(c.id).pack())])
    if c.latitude is not None and c.longitude is not None:
        rows.append([Button(t(loc, "cx.btn.map"), url=map_url(c.latitude, c.longitude))])
    rows.append([Button(t(loc, "cx.btn.refresh"), OpenCard(c.id, "np").pack()),
                 Button(t(loc, "cx.btn.queue"), Queue(1).pack())])
    replies = [Reply("\n".join(lines), rows)]
    for i, p in enumerate(c.photos if with_photos else (), 1):
        replies.append(Reply(t(loc, "cx.desk.photo", number=c.number, i=i, n=len(c.photos)),
                             attachment=Attachment(p.kind, file_id=p.file_id)))
    return replies


def _urgency(loc: str, c: DeskCard) -> str:
    if c.days_left is None:
        return t(loc, "cx.q.waiting")
    if c.days_left < 0:
        return t(loc, "cx.desk.late", n=-c.days_left)
    return t(loc, "cx.desk.days_left", n=c.days_left)


def question_preview(loc: str, d: AnswerDraft) -> Reply:
    """The reporter's message asking for more, exactly as the notice renders it."""
    citizen = info_requested(loc, InfoRequested(id=d.id, number=d.number, note=d.text))
    return Reply(f"{t(loc, 'cx.desk.preview_question', number=d.number)}\n\n{citizen.text}", [
        [Button(t(loc, "cx.btn.send_question"), SendAnswer(d.id).pack())],
        [Button(t(loc, "cx.btn.edit_answer"), EditAnswer(d.id).pack()),
         Button(t(loc, "btn.cancel"), DropAnswer(d.id).pack())]])


def answer_preview(loc: str, d: AnswerDraft) -> Reply:
    """The citizen's message exactly as the notice renders it, framed, with send / edit / cancel."""
    citizen = answered(loc, Answered(id=d.id, number=d.number, note=d.text))
    head = t(loc, "cx.desk.preview", number=d.number)
    if not d.to_reporter:
        head += "\n" + t(loc, "cx.desk.preview_no_reporter")
    return Reply(f"{head}\n\n{citizen.text}", [
        [Button(t(loc, "cx.btn.send_answer"), SendAnswer(d.id).pack())],
        [Button(t(loc, "cx.btn.edit_answer"), EditAnswer(d.id).pack()),
         Button(t(loc, "btn.cancel"), DropAnswer(d.id).pack())]])
