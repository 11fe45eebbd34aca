"""How HR's training screens read: the console list, a training's HR card, the form's summary,
the participants, and the notice people get when a training moves."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.dates import moment
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Cancel, Menu
from handlers.render import escape
from handlers.training.admin.callbacks import (
    TaCallOff,
    TaCallOffYes,
    TaClose,
    TaEdit,
    TaEditOne,
    TaExport,
    TaFields,
    TaList,
    TaMark,
    TaMarkAll,
    TaNew,
    TaOpen,
    TaPeople,
    TaSave,
    TaUndo,
    TaUndoWhy,
    TaUndoYes,
)
from handlers.training.callbacks import TrOpen
from handlers.training.views import when
from services.training.attendance import REASONS, Attendee
from services.training.export import Participant
from services.training.fields import FIELDS, FieldValue, TrainingFields
from services.training.manage import AdminView
from services.training.notices import TrainingChanged

PAGE = 6
PEOPLE_PAGE = 8
EDITABLE = tuple(f for f in FIELDS if f != "code")  # the code is the import's key


def status(loc: str, v: AdminView) -> str:
    if v.cancelled:
        return t(loc, "tr.tag.cancelled")
    if v.registration_open:
        return t(loc, "tra.status.open")
    if v.ended:
        return t(loc, "tra.status.ended")
    return t(loc, "tra.status.running" if v.started else "tra.status.closed")


def console(loc: str, rows: list[AdminView], page: int, tz: ZoneInfo) -> Reply:
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE: page * PAGE]
    lines = [t(loc, "tra.list.title", page=page, pages=pages, count=len(rows))]
    lines += [t(loc, "tra.list.item", n=(page - 1) * PAGE + i + 1, code=escape(v.code), title=escape(v.title),
                when=when(loc, v.starts_at, v.ends_at, tz), seats=v.seats, quota=v.quota, waiting=v.waiting,
                status=status(loc, v)) for i, v in enumerate(shown)] or [t(loc, "tra.list.empty")]
    buttons = [[Button(f"{(page - 1) * PAGE + i + 1}. {v.title[:40]}", TaOpen(v.id).pack())]
               for i, v in enumerate(shown)]
    nav = ([Button("◀️", TaList(page - 1).pack())] if page > 1 else []) + (
        [Button("▶️", TaList(page + 1).pack())] if page < pages else [])
    return Reply("\n\n".join(lines), [*buttons, *([nav] if nav else []),
                                      [Button(t(loc, "tra.btn.new"), TaNew().pack())],
                                      [Button(t(loc, "menu.back"), Menu().pack())]])


def value(loc: str, field: str, v: FieldValue, tz: ZoneInfo, agencies: dict[int, str]) -> str:
    """One field's value as HR reads it; user text escaped."""
    if v is None or v == "" or v == ():
        return t(loc, f"tra.none.{field}") if field in ("min_golongan", "max_golongan", "jabatan_kinds",
                                                         "agency_ids", "employment") else "-"
    if isinstance(v, datetime):
        return moment(loc, v, tz)
    if isinstance(v, tuple) and field == "jabatan_kinds":
        return ", ".join(t(loc, f"cs.kind.{k}") for k in v)
    if isinstance(v, tuple) and field == "agency_ids":
        return ", ".join(escape(agencies.get(int(a), "?")) for a in v)
    return escape(str(v))


def summary(loc: str, values: TrainingFields, original: TrainingFields, tz: ZoneInfo,
            agencies: dict[int, str], editing: bool) -> Reply:
    """Every field, a ✏️ on each that differs from the stored training; save, change, cancel."""
    lines = [t(loc, "tra.summary.edit" if editing else "tra.summary.new")]
    for field in FIELDS:
        if field == "code" and editing:
            lines.append(t(loc, "tra.row", label=t(loc, "tra.f.code"), value=escape(str(original.code))))
            continue
        new = value(loc, field, values.get(field), tz, agencies)
        if editing and values.get(field) != original.get(field):
            old = value(loc, field, original.get(field), tz, agencies)
            lines.append(t(loc, "tra.row_changed", label=t(loc, f"tra.f.{field}"), old=old, new=new))
        else:
            lines.append(t(loc, "tra.row", label=t(loc, f"tra.f.{field}"), value=new))
    fields = EDITABLE if editing else FIELDS
    edits = [Button(t(loc, f"tra.f.{f}"), TaEdit(f).pack()) for f in fields]
    rows = [[Button(t(loc, "tra.btn.save"), TaSave().pack())], *[edits[i:i + 2] for i in range(0, len(edits), 2)],
            [Button(t(loc, "btn.cancel"), Cancel().pack())]]
    return Reply("\n".join(lines), rows)


def card(loc: str, v: AdminView, tz: ZoneInfo, lead: str | None = None) -> Reply:
    rules = []
    if v.min_golongan or v.max_golongan:
        rules.append(t(loc, "tra.card.golongan", low=escape(v.min_golongan or "I/a"),
                       high=escape(v.max_golongan or "IV/e")))
    if v.jabatan_kinds:
        rules.append(", ".join(t(loc, f"cs.kind.{k}") for k in v.jabatan_kinds))
    if v.agencies:
        rules.append(", ".join(escape(a) for a in v.agencies))
    if v.employment:
        rules.append(escape(v.employment))
    text = t(loc, "tra.card", code=escape(v.code), title=escape(v.title), topic=escape(v.topic or "-"),
             organiser=escape(v.organiser), when=when(loc, v.starts_at, v.ends_at, tz),
             place=escape(v.place or "-"), url=escape(v.online_url or "-"), jp=v.jp, quota=v.quota, seats=v.seats,
             waiting=v.waiting, attended=v.attended, closes=moment(loc, v.registration_closes_at, tz),
             rules="; ".join(rules) or t(loc, "tra.card.anyone"), status=status(loc, v))
    buttons: list[list[Button]] = []
    if not v.cancelled:
        buttons.append([Button(t(loc, "tra.btn.change"), TaFields(v.id).pack())])
        if v.registration_open:
            buttons.append([Button(t(loc, "tra.btn.close"), TaClose(v.id).pack())])
        if v.started:
            buttons.append([Button(t(loc, "tra.btn.attendance"), TaPeople(v.id).pack())])
        else:
            buttons.append([Button(t(loc, "tra.btn.call_off"), TaCallOff(v.id).pack())])
    buttons.append([Button(t(loc, "tra.btn.export"), TaExport(v.id).pack())])
    buttons.append([Button(t(loc, "tra.btn.list"), TaList().pack()), Button(t(loc, "menu.back"), Menu().pack())])
    return Reply(f"{lead}\n\n{text}" if lead else text, buttons)


def choose_field(loc: str, v: AdminView) -> Reply:
    edits = [Button(t(loc, f"tra.f.{f}"), TaEditOne(v.id, f).pack()) for f in EDITABLE]
    return Reply(t(loc, "tra.choose_field", title=escape(v.title)),
                 [*[edits[i:i + 2] for i in range(0, len(edits), 2)], [Button(t(loc, "btn.back"), TaOpen(v.id).pack())]])


def confirm_close(loc: str, v: AdminView, tz: ZoneInfo) -> Reply:
    return Reply(t(loc, "tra.confirm.close", title=escape(v.title), closes=moment(loc, v.registration_closes_at, tz),
                   seats=v.seats, waiting=v.waiting),
                 [[Button(t(loc, "tra.btn.yes_close"), TaClose(v.id, True).pack()),
                   Button(t(loc, "btn.back"), TaOpen(v.id).pack())]])


def call_off_reason(loc: str, v: AdminView, lead: str | None = None) -> Reply:
    text = t(loc, "tra.co.ask", title=escape(v.title), seats=v.seats, waiting=v.waiting)
    return Reply(f"{lead}\n\n{text}" if lead else text, [[Button(t(loc, "btn.back"), TaOpen(v.id).pack())]])


def call_off_confirm(loc: str, v: AdminView, reason: str, tz: ZoneInfo, lead: str | None = None) -> Reply:
    text = t(loc, "tra.co.confirm", title=escape(v.title), when=when(loc, v.starts_at, v.ends_at, tz),
             seats=v.seats, waiting=v.waiting, reason=escape(reason))
    return Reply(f"{lead}\n\n{text}" if lead else text,
                 [[Button(t(loc, "tra.btn.yes_call_off"), TaCallOffYes(v.id).pack())],
                  [Button(t(loc, "tra.btn.other_reason"), TaCallOff(v.id).pack()),
                   Button(t(loc, "btn.back"), TaOpen(v.id).pack())]])


def people(loc: str, v: AdminView, rows: list[Participant], page: int, lead: str | None = None) -> Reply:
    present = [p for p in rows if p.status in ("seat", "attended", "waiting")]
    pages = max(1, -(-len(present) // PEOPLE_PAGE))
    page = min(max(1, page), pages)
    shown = present[(page - 1) * PEOPLE_PAGE: page * PEOPLE_PAGE]
    text = t(loc, "tra.people.title", title=escape(v.title), seats=v.seats, attended=v.attended, page=page,
             pages=pages)
    if not present:
        text += "\n\n" + t(loc, "tra.people.none")
    buttons = []
    for p in shown:
        if p.status == "attended":  # pressed again: the undo, which asks why and then to confirm
            buttons.append([Button(f"✅ {p.name[:40]}", TaUndo(v.id, p.employee_id, page).pack())])
            continue
        mark = "⏳" if p.status == "waiting" else "⬜"
        buttons.append([Button(f"{mark} {p.name[:40]}", TaMark(v.id, p.employee_id, page).pack())])
    nav = ([Button("◀️", TaPeople(v.id, page - 1).pack())] if page > 1 else []) + (
        [Button("▶️", TaPeople(v.id, page + 1).pack())] if page < pages else [])
    if nav:
        buttons.append(nav)
    if any(p.status == "seat" for p in rows):
        buttons.append([Button(t(loc, "tra.btn.mark_all"), TaMarkAll(v.id).pack())])
    buttons.append([Button(t(loc, "btn.back"), TaOpen(v.id).pack())])
    return Reply(f"{lead}\n\n{text}" if lead else text, buttons)


def confirm_mark_all(loc: str, v: AdminView, seated: int) -> Reply:
    return Reply(t(loc, "tra.confirm.mark_all", title=escape(v.title), count=seated, jp=v.jp),
                 [[Button(t(loc, "tra.btn.yes_mark_all"), TaMarkAll(v.id, True).pack()),
                   Button(t(loc, "btn.back"), TaPeople(v.id).pack())]])


def undo_reason(loc: str, a: Attendee, page: int, lead: str | None = None) -> Reply:
    text = t(loc, "tra.undo.ask", name=escape(a.name), title=escape(a.title), jp=a.jp,
             then=t(loc, f"tra.undo.then.{a.returns_to}"))
    return Reply(f"{lead}\n\n{text}" if lead else text,
                 [[Button(t(loc, f"tra.reason.{code}"), TaUndoWhy(code).pack()) for code in REASONS],
                  [Button(t(loc, "btn.back"), TaPeople(a.training_id, page).pack())]])


def undo_confirm(loc: str, a: Attendee, reason: str, page: int, lead: str | None = None) -> Reply:
    """`reason` is already in words (a one-press reason's label, or HR's text escaped)."""
    text = t(loc, "tra.undo.confirm", name=escape(a.name), title=escape(a.title), jp=a.jp, reason=reason,
             then=t(loc, f"tra.undo.then.{a.returns_to}"))
    return Reply(f"{lead}\n\n{text}" if lead else text,
                 [[Button(t(loc, "tra.btn.yes_undo"), TaUndoYes(a.training_id, a.employee_id).pack())],
                  [Button(t(loc, "tra.btn.other_reason"), TaUndo(a.training_id, a.employee_id, page).pack()),
                   Button(t(loc, "btn.back"), TaPeople(a.training_id, page).pack())]])


@renders(TrainingChanged)
def training_changed(loc: str, n: TrainingChanged) -> Reply:
    tz = ZoneInfo(n.tz)
    start, end = datetime.fromisoformat(n.starts_at), datetime.fromisoformat(n.ends_at)
    lines = [t(loc, "tra.notice.changed", title=escape(n.title)),
             t(loc, "tra.notice.when", when=when(loc, start, end, tz))]
    if n.place:
        lines.append(t(loc, "tra.notice.place", place=escape(n.place)))
    if n.online_url:
        lines.append(t(loc, "tra.notice.url", url=escape(n.online_url)))
    what = ", ".join(t(loc, f"tra.f.{f}") for f in n.changed.split(",") if f in FIELDS)
    lines.append(t(loc, "tra.notice.what", what=what or "-"))
    return Reply("\n".join(lines), [[Button(t(loc, "tr.btn.open"), TrOpen(n.training_id).pack())]])
