"""How a broadcast, its audience, its progress and its report read, in the reader's language."""

from __future__ import annotations

from datetime import datetime, timedelta, tzinfo
from typing import Any

from handlers.broadcasts.callbacks import Again, Aud, Edit, Export, Later, Rush, Schedule, Send, Stop
from handlers.dates import moment
from handlers.features import bot
from handlers.i18n import t
from handlers.kit import Attachment, Button, Reply
from handlers.render import escape
from services.broadcasts.audience import Audience
from services.broadcasts.compose import BroadcastMessage, Content, safe_html
from services.broadcasts.manage import Draft
from services.broadcasts.progress import Progress, Undelivered, reason_of
from services.quiet_hours import QuietHours
from services.xlsx import Column, Kind, Sheet


def message(loc: str, n: BroadcastMessage) -> Reply:
    """The recipient's copy, under a line saying who sends it; the author's preview is this very Reply.

    The line is part of the text (or caption), so it counts toward Telegram's limits where the
    text is split (bot.delivery.expand): it opens the first part only.
    """
    attachment = None
    if n.attachment_kind in ("photo", "document") and n.attachment_file_id:
        attachment = Attachment(n.attachment_kind, file_id=n.attachment_file_id,
                                filename=n.attachment_name or "file")
    head = t(loc, "bc.header", sender=escape(n.sender)) if n.sender.strip() else t(loc, "bc.header.plain")
    body = safe_html(n.body)
    return Reply(f"{head}\n\n{body}" if body.strip() else head, attachment=attachment)


def preview(loc: str, d: Draft, instance: str, hr_agency: str = "") -> Reply:
    c: Content = d.content
    return message(loc, c.notice(d.id, d.sender(instance, hr_agency)))


def _hhmm(value: object) -> str:
    return f"{value:%H.%M}"


def quiet_note(loc: str, quiet: QuietHours, at: datetime, tz: tzinfo) -> str:
    """Before sending, in quiet hours: a plain "Kirim" waits until `at`; "Kirim mendesak" does not."""
    return t(loc, "bc.quiet_note", start=_hhmm(quiet.start), end=_hhmm(quiet.end), at=_hhmm(at.astimezone(tz)))


def audience_text(loc: str, a: Audience, *, html: bool = True) -> str:
    """Who a broadcast goes to, in words: "semua ASN", "ASN: OPD PUPR; golongan III/a–III/d".
    `html=False` for plain text (the audit log escapes what it shows, the XLSX writes it as is)."""
    esc = escape if html else str
    if a.citizens:
        return t(loc, "bc.aud.citizens")
    if a.everyone:
        return t(loc, "bc.aud.everyone")
    parts = []
    if a.agencies:
        parts.append(t(loc, "bc.aud.agencies", codes=esc(", ".join(a.agencies))))
    if a.gol_min and a.gol_max:
        rng = a.gol_min if a.gol_min == a.gol_max else f"{a.gol_min}–{a.gol_max}"
        parts.append(t(loc, "bc.aud.golongan", range=esc(rng)))
    if a.kinds:
        parts.append(t(loc, "bc.aud.kinds", kinds=esc(", ".join(t(loc, f"cs.kind.{k}") for k in a.kinds))))
    if a.employment:
        parts.append(esc(a.employment))
    if a.topic:
        parts.append(t(loc, f"bc.aud.topic.{a.topic}"))
    return t(loc, "bc.aud.asn") + ": " + "; ".join(parts)


def audience_words(loc: str, recorded: Any) -> str:
    """A confirmed broadcast's audience as the audit log recorded it (Audience.to_json)."""
    return audience_text(loc, Audience.from_json(recorded), html=False)


def summary(loc: str, d: Draft, lead: str | None = None, note: str | None = None) -> Reply:
    """Under the preview: who will get it, how many can be reached, and what to do next."""
    text = t(loc, "bc.summary", audience=audience_text(loc, d.audience), count=d.reachable)
    if lead:
        text = lead + "\n\n" + text
    if note:
        text += "\n\n" + note
    b = d.id

    def aud(kind: str, label: str) -> Button:
        return Button(t(loc, label), Aud(b, kind).pack())

    rows = [
        [aud("all", "bc.btn.all"), aud("cit", "bc.btn.citizens")],
        [aud("agency", "bc.btn.agency"), aud("gol", "bc.btn.golongan")],
        [aud("kind", "bc.btn.kinds"), aud("pns", "bc.btn.pns"), aud("pppk", "bc.btn.pppk")],
        [aud(tp.key, f"bc.btn.topic.{tp.key}") for tp in bot().topics],  # each feature's subscribers
        [Button(t(loc, "bc.btn.send"), Send(b).pack()), Button(t(loc, "bc.btn.urgent"), Send(b, True).pack())],
        [Button(t(loc, "bc.btn.edit"), Edit(b).pack()), Button(t(loc, "bc.btn.schedule"), Schedule(b).pack())],
        [Button(t(loc, "bc.btn.discard"), Stop(b).pack())],
    ]
    return Reply(text, rows)


def _eta(loc: str, seconds: float) -> str:
    s = int(round(seconds))
    if s < 60:
        return t(loc, "bc.eta.s", s=s)
    m, s = divmod(s, 60)
    if m < 60:
        return t(loc, "bc.eta.ms", m=m, s=s)
    h, m = divmod(m, 60)
    return t(loc, "bc.eta.hm", h=h, m=m)


def progress(loc: str, p: Progress, tz: tzinfo) -> Reply:
    """The live message, edited in place; its last state is the delivery report."""
    counts = t(loc, "bc.counts", sent=p.sent, failed=p.failed, unreachable=p.unreachable,
               cancelled=p.cancelled, remaining=p.remaining, total=p.total)
    if p.finished:
        head = t(loc, "bc.progress.cancelled" if p.status == "cancelled" else "bc.progress.done", id=p.id)
        return Reply(head + "\n\n" + counts)
    head = t(loc, "bc.progress.cancelling" if p.status == "cancelled" else "bc.progress.title", id=p.id)
    tail = (t(loc, "bc.progress.held", at=moment(loc, p.held_until, tz)) if p.held_until
            else t(loc, "bc.progress.eta", eta=_eta(loc, p.eta_seconds)))
    if p.status == "cancelled":
        buttons: list[list[Button]] = []
    else:
        buttons = waiting_buttons(loc, p.id) if p.held_until else [[Button(t(loc, "bc.btn.stop"), Stop(p.id).pack())]]
    return Reply(f"{head}\n\n{counts}\n{tail}", buttons)


def waiting_buttons(loc: str, broadcast_id: int) -> list[list[Button]]:
    """A broadcast quiet hours hold: send it now after all, pick another time, or stop it."""
    return [[Button(t(loc, "bc.btn.rush"), Rush(broadcast_id).pack())],
            [Button(t(loc, "bc.btn.schedule"), Later(broadcast_id).pack()),
             Button(t(loc, "bc.btn.stop"), Stop(broadcast_id).pack())]]


def again_button(loc: str, broadcast_id: int) -> list[Button]:
    return [Button(t(loc, "bc.btn.again"), Again(broadcast_id).pack())]


def report(loc: str, p: Progress) -> Reply:
    """The delivery report, a message of its own once the broadcast is over."""
    head = t(loc, "bc.report.cancelled" if p.status == "cancelled" else "bc.report.done", id=p.id)
    tried = p.sent + p.failed + p.unreachable
    rate = f"{100 * p.sent / tried:.0f}%" if tried else "-"
    text = head + "\n\n" + t(loc, "bc.report.line", sent=p.sent, total=p.total, rate=rate, failed=p.failed,
                              unreachable=p.unreachable, cancelled=p.cancelled)
    buttons = [[Button(t(loc, "bc.btn.export"), Export(p.id).pack())]] if p.total - p.sent > 0 else []
    return Reply(text, [*buttons, again_button(loc, p.id)])


def queued(loc: str, d: Draft, tz: tzinfo, now: datetime) -> Reply:
    """Right after confirming: started, or waiting for its time (cancellable until then)."""
    later = d.starts_at is not None and d.starts_at > now + timedelta(seconds=1)
    # Held by quiet hours: no time asked for, or one quiet hours pushed further.
    quiet = later and not d.urgent and (d.scheduled_for is None or d.starts_at != d.scheduled_for)
    key = "bc.queued.quiet" if quiet else "bc.queued.later" if later else "bc.queued.now"
    text = t(loc, key, id=d.id, count=d.reachable, at=moment(loc, d.starts_at, tz) if d.starts_at else "")
    return Reply(text, waiting_buttons(loc, d.id) if quiet else [[Button(t(loc, "bc.btn.stop"), Stop(d.id).pack())]])


def undelivered_sheet(loc: str, zone: str, broadcast_id: int, rows: list[Undelivered]) -> Sheet:
    """Who did not get broadcast `broadcast_id` and why, in HR's language: a reason in words
    ("memblokir bot"), Telegram's own text only when we have no words for it."""
    table: tuple[tuple[str, Kind], ...] = (
        ("name", "text"), ("nip", "text"), ("agency", "text"), ("telegram_id", "int"), ("status", "text"),
        ("reason", "text"), ("queued", "datetime"))
    columns = [Column(t(loc, f"bc.x.{c}", zone=zone), kind) for c, kind in table]

    def why(r: Undelivered) -> str | None:
        code = reason_of(r.status, r.error)
        # No words for Telegram's own text: said in HR's language around it, as Telegram gave it.
        return t(loc, f"bc.why.{code}") if code else t(loc, "bc.why.other", error=r.error or "—")

    return Sheet(t(loc, "bc.x.sheet", id=broadcast_id), columns, [
        (r.name or None, r.nip, r.agency, r.telegram_id, t(loc, f"outbox.{r.status}"), why(r), r.at) for r in rows])
