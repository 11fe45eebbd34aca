"""How reports look: receipt, card, history, lists, and the pushes (notices) about them.

Everything a person typed passes through `escape` here, once. Nothing here ever prints
who filed a report except `desk_card`, and only with what the service chose to fill in.
"""

from __future__ import annotations

import html
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from handlers.i18n import t
from handlers.kit import Attachment, Button, Reply
from handlers.notices import notice
from handlers.render import button, escape
from services.complaints.dto import (
    AnswerDraft,
    DeskCard,
    EventView,
    Page,
    Receipt,
    ReportLine,
    ReportView,
)
from services.complaints.notices import (
    Answered,
    CitizenNotice,
    CitizenReply,
    FollowedChanged,
    HeldReceipt,
    NewReport,
    RateRequest,
    ReopenedReport,
    ReturnedReport,
    StatusChanged,
)

KINDS = ("pengaduan", "aspirasi", "informasi")
PRIVACY = ("normal", "anonim", "rahasia")
VERDICTS = ("fixed", "partly", "not")
STARS = "⭐"


def when(loc: str, dt: datetime, tz: ZoneInfo) -> str:
    local = dt.astimezone(tz)
    return f"{format_datetime(local, 'd MMM y, HH.mm', locale=loc)} {local.tzname()}"


def day(loc: str, dt: datetime, tz: ZoneInfo) -> str:
    return format_date(dt.astimezone(tz).date(), "EEEE, d MMMM y", locale=loc)


def status(loc: str, value: str) -> str:
    return t(loc, f"cx.status.{value}")


def kind(loc: str, value: str) -> str:
    return t(loc, f"cx.kind.{value}")


def _map_url(lat: float, lon: float) -> str:
    return f"https://www.openstreetmap.org/?mlat={lat:.6f}&mlon={lon:.6f}#map=18/{lat:.6f}/{lon:.6f}"


def _place(loc: str, address: str | None, lat: float | None, lon: float | None) -> str:
    """The typed address when there is one, and a shared point as a map link (never raw numbers)."""
    parts = []
    if address:
        parts.append(escape(address))
    if lat is not None and lon is not None:
        href = html.escape(_map_url(lat, lon), quote=True)
        parts.append(f'<a href="{href}">{t(loc, "cx.place.map")}</a>')
    return " · ".join(parts) or t(loc, "cx.place.none")


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


# --- filing

def receipt(loc: str, r: Receipt, tz: ZoneInfo) -> Reply:
    agency = t(loc, "cx.receipt.agency", agency=escape(r.agency)) if r.agency else t(loc, "cx.receipt.hr")
    if r.unstaffed:  # nobody there to tell yet: say who holds it meanwhile
        agency += "\n" + t(loc, "cx.receipt.unstaffed")
    text = t(loc, "cx.receipt", number=r.number, kind=kind(loc, r.kind), agency=agency,
             days=r.response_days, due=day(loc, r.response_due_at, tz),
             resolve_days=r.resolve_days, resolve_due=day(loc, r.resolve_due_at, tz),
             privacy=t(loc, f"cx.privacy.{r.privacy}"))
    return Reply(text, [[button(t(loc, "cx.btn.view"), "cx:v", r.id), button(t(loc, "cx.btn.mine"), "cx:my", 1)],
                        [Button(t(loc, "menu.back"), "menu")]])


@notice(HeldReceipt)
def n_receipt(loc: str, n: HeldReceipt) -> Reply:
    """The receipt, pushed when its direct reply did not arrive (the process died after filing)."""
    r = Receipt(n.id, n.number, n.kind, n.privacy, n.agency, n.response_days,
                datetime.fromisoformat(n.response_due_at), n.resolve_days, datetime.fromisoformat(n.resolve_due_at))
    return receipt(loc, r, ZoneInfo(n.tz))


# --- following a report

def report_card(loc: str, v: ReportView, tz: ZoneInfo) -> Reply:
    lines = [t(loc, "cx.card.head", number=v.number, kind=kind(loc, v.kind), status=status(loc, v.status))]
    lines.append(t(loc, "cx.card.agency", agency=escape(v.agency) if v.agency else t(loc, "cx.agency.unsure")))
    if v.privacy != "normal":
        lines.append(t(loc, f"cx.privacy.{v.privacy}"))
    lines.append(t(loc, "cx.card.filed", when=when(loc, v.created_at, tz),
                   due=day(loc, v.response_due_at, tz)))
    lines.append(t(loc, "cx.card.place", place=_place(loc, v.address, v.latitude, v.longitude)))
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
        rows.append([button(t(loc, f"cx.btn.fb.{x}"), "cx:fb", v.id, x) for x in VERDICTS])
    if v.can_rate:
        rows.append(stars(v.id))
    if v.can_reply:
        rows.append([button(t(loc, "cx.btn.reply"), "cx:rp", v.id)])
    if v.following:
        rows.append([button(t(loc, "cx.btn.unfollow"), "cx:uf", v.id)])
    elif v.can_follow:
        rows.append([button(t(loc, "cx.btn.follow"), "cx:fw", v.id)])
    rows.append([button(t(loc, "cx.btn.refresh"), "cx:v", v.id, "r"), button(t(loc, "cx.btn.mine"), "cx:my", 1)])
    rows.append([Button(t(loc, "menu.back"), "menu")])
    return rows


def stars(cid: int) -> list[Button]:
    return [button(f"{n}{STARS}", "cx:rt", cid, n) for n in range(1, 6)]


def report_list(loc: str, page: Page[ReportLine], tz: ZoneInfo, *, prefix: str, title: str,
                empty: str, open_prefix: str, now: datetime | None = None) -> Reply:
    """A page of reports; with `now` (the desk), unanswered ones past their first-response date are flagged."""
    if not page.items:
        return Reply(empty, [[button(t(loc, "cx.btn.new"), "cx:new")], [Button(t(loc, "menu.back"), "menu")]])
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
        rows.append([button(f"{r.number} · {status(loc, r.status)}", open_prefix, r.id)])
    nav = []
    if page.page > 1:
        nav.append(button(t(loc, "cx.btn.prev"), prefix, page.page - 1))
    if page.page < page.pages:
        nav.append(button(t(loc, "cx.btn.next_page"), prefix, page.page + 1))
    if nav:
        rows.append(nav)
    rows.append([Button(t(loc, "menu.back"), "menu")])
    return Reply("\n\n".join(lines), rows)


# --- the agency side

def desk_card(loc: str, c: DeskCard, tz: ZoneInfo, *, with_photos: bool = True) -> list[Reply]:
    """The card, then each photo as its own message (the officer sees the files, not links)."""
    lines = [t(loc, "cx.card.head", number=c.number, kind=kind(loc, c.kind), status=status(loc, c.status))]
    lines.append(t(loc, "cx.card.agency", agency=escape(c.agency) if c.agency else t(loc, "cx.agency.unsure")))
    if c.unstaffed:
        lines.append(t(loc, "cx.desk.unstaffed"))
    lines.append(t(loc, "cx.desk.reporter", reporter=escape(c.reporter)) if c.reporter
                 else t(loc, f"cx.desk.hidden.{c.privacy}"))
    lines.append(t(loc, "cx.desk.dues", filed=when(loc, c.created_at, tz), due=day(loc, c.response_due_at, tz),
                   resolve=day(loc, c.resolve_due_at, tz)))
    lines.append(t(loc, "cx.card.place", place=_place(loc, c.address, c.latitude, c.longitude)))
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
    acts = [button(t(loc, f"cx.act.{a}"), "cxo:a", c.id, a) for a in c.actions]
    rows.extend(acts[i:i + 2] for i in range(0, len(acts), 2))
    if c.can_route:
        rows.append([button(t(loc, "cx.act.route"), "cxo:r", c.id)])
    if c.latitude is not None and c.longitude is not None:
        rows.append([Button(t(loc, "cx.btn.map"), url=_map_url(c.latitude, c.longitude))])
    rows.append([button(t(loc, "cx.btn.refresh"), "cxo:o", c.id, "np"), button(t(loc, "cx.btn.queue"), "cxo:q", 1)])
    replies = [Reply("\n".join(lines), rows)]
    for i, p in enumerate(c.photos if with_photos else (), 1):
        replies.append(Reply(t(loc, "cx.desk.photo", number=c.number, i=i, n=len(c.photos)),
                             attachment=Attachment(p.kind, file_id=p.file_id)))
    return replies


def answer_preview(loc: str, d: AnswerDraft) -> Reply:
    """The citizen's message exactly as the notice renders it, framed, with send / edit / cancel."""
    citizen = n_answer(loc, Answered(id=d.id, number=d.number, note=d.text))
    head = t(loc, "cx.desk.preview", number=d.number)
    if not d.to_reporter:
        head += "\n" + t(loc, "cx.desk.preview_no_reporter")
    return Reply(f"{head}\n\n{citizen.text}", [
        [button(t(loc, "cx.btn.send_answer"), "cxo:snd", d.id)],
        [button(t(loc, "cx.btn.edit_answer"), "cxo:ed", d.id), button(t(loc, "btn.cancel"), "cxo:ab", d.id)]])


# --- notices (rendered at send time, in the recipient's language)

def _open(loc: str, cid: int) -> Button:
    return button(t(loc, "cx.btn.open"), "cxo:o", cid)


@notice(NewReport)
def n_new(loc: str, n: NewReport) -> Reply:
    text = t(loc, "cx.n.new", number=n.number, kind=kind(loc, n.kind), excerpt=escape(n.excerpt))
    if n.unstaffed:  # sent to HR because the agency has nobody to tell
        text += "\n" + t(loc, "cx.n.unstaffed", agency=escape(n.unstaffed))
    return Reply(text, [[_open(loc, n.id)]])


@notice(ReturnedReport)
def n_returned(loc: str, n: ReturnedReport) -> Reply:
    return Reply(t(loc, "cx.n.returned", number=n.number, note=escape(n.note), excerpt=escape(n.excerpt)),
                 [[_open(loc, n.id), button(t(loc, "cx.act.route"), "cxo:r", n.id)]])


@notice(ReopenedReport)
def n_reopened(loc: str, n: ReopenedReport) -> Reply:
    verdict = t(loc, f"cx.fb.{n.detail}") if n.detail else ""
    return Reply(t(loc, "cx.n.reopened", number=n.number, verdict=verdict, excerpt=escape(n.excerpt)),
                 [[_open(loc, n.id)]])


@notice(CitizenReply)
def n_reply(loc: str, n: CitizenReply) -> Reply:
    return Reply(t(loc, "cx.n.reply", number=n.number, note=escape(n.note)),
                 [[_open(loc, n.id), button(t(loc, "cx.act.answer"), "cxo:a", n.id, "answer")]])


def _note(loc: str, n: CitizenNotice) -> str:
    parts = []
    if n.merged:
        parts.append(t(loc, "cx.card.merged", number=n.merged))
    if n.detail:
        parts.append(t(loc, f"cx.fb.{n.detail}"))
    if n.note and n.action not in ("merge", "return"):
        parts.append(f"<i>{escape(n.note)}</i>")
    return "\n".join(parts)


@notice(StatusChanged)
def n_status(loc: str, n: StatusChanged) -> Reply:
    rows = []
    if n.status in ("dijawab", "selesai"):
        rows.append([button(t(loc, f"cx.btn.fb.{x}"), "cx:fb", n.id, x) for x in VERDICTS])
    rows.append([button(t(loc, "cx.btn.view"), "cx:v", n.id)])
    return Reply(t(loc, "cx.n.status", number=n.number, status=status(loc, n.status), note=_note(loc, n)).rstrip(),
                 rows)


@notice(Answered)
def n_answer(loc: str, n: Answered) -> Reply:
    return Reply(t(loc, "cx.n.answer", number=n.number, note=escape(n.note)), [
        [button(t(loc, f"cx.btn.fb.{x}"), "cx:fb", n.id, x) for x in VERDICTS],
        [button(t(loc, "cx.btn.reply"), "cx:rp", n.id), button(t(loc, "cx.btn.view"), "cx:v", n.id)]])


@notice(FollowedChanged)
def n_followed(loc: str, n: FollowedChanged) -> Reply:
    return Reply(t(loc, "cx.n.followed", number=n.number, status=status(loc, n.status), note=_note(loc, n)).rstrip(),
                 [[button(t(loc, "cx.btn.view"), "cx:v", n.id), button(t(loc, "cx.btn.unfollow"), "cx:uf", n.id)]])


@notice(RateRequest)
def n_rate(loc: str, n: RateRequest) -> Reply:
    return Reply(t(loc, "cx.n.rate", number=n.number), [stars(n.id)])
