"""How trainings read: catalogue pages, a training's card, a person's year, the promotion notice."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.dates import long_day, moment, span
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Menu
from handlers.render import escape
from handlers.training.callbacks import TrJoin, TrLeave, TrList, TrMine, TrOpen, TrSearch
from services.training.attendance import REASONS, MyYear
from services.training.catalogue import TrainingView
from services.training.notices import AttendanceWithdrawn, SeatOffered, TrainingCalledOff
from services.training.rules import Unmet

PAGE = 5


def when(loc: str, start: datetime, end: datetime, tz: ZoneInfo) -> str:
    """A training's time, in the one day-and-time format SAPA uses (handlers/dates)."""
    return span(loc, start, end, tz)


def _where(loc: str, v: TrainingView) -> str:
    if v.online_url and not v.place:
        return t(loc, "tr.online")
    return escape(v.place or "-") + (f" · {t(loc, 'tr.online')}" if v.online_url else "")


def tag(loc: str, v: TrainingView) -> str:
    """The one thing that matters most about this training for this person, if anything."""
    if v.mine in ("seat", "attended"):
        return t(loc, f"tr.tag.{v.mine}")
    if v.mine == "waiting":
        return t(loc, "tr.tag.waiting", position=v.position)
    if v.cancelled:
        return t(loc, "tr.tag.cancelled")
    if not v.registration_open:
        return t(loc, "tr.tag.closed")
    if not v.eligible:
        return t(loc, "tr.tag.not_eligible")
    if v.seats_left == 0:
        return t(loc, "tr.tag.full", waiting=v.waiting)
    return ""


def item(loc: str, n: int, v: TrainingView, tz: ZoneInfo) -> str:
    head = t(loc, "tr.item", n=n, title=escape(v.title), organiser=escape(v.organiser),
             when=when(loc, v.starts_at, v.ends_at, tz), where=_where(loc, v), jp=v.jp, seats=v.seats_left,
             quota=v.quota, closes=moment(loc, v.registration_closes_at, tz))
    mark = tag(loc, v)
    return f"{head}\n{mark}" if mark else head


def listing(loc: str, rows: list[TrainingView], page: int, tz: ZoneInfo) -> Reply:
    pages = max(1, -(-len(rows) // PAGE))
    page = min(max(1, page), pages)
    shown = rows[(page - 1) * PAGE: page * PAGE]
    lines = [t(loc, "tr.list.title", page=page, pages=pages, count=len(rows))]
    lines += [item(loc, (page - 1) * PAGE + i + 1, v, tz) for i, v in enumerate(shown)] or [t(loc, "tr.list.empty")]
    buttons = [[Button(f"{(page - 1) * PAGE + i + 1}. {v.title[:40]}", TrOpen(v.id, page).pack())]
               for i, v in enumerate(shown)]
    nav = ([Button("◀️", TrList(page - 1).pack())] if page > 1 else []) + (
        [Button("▶️", TrList(page + 1).pack())] if page < pages else [])
    return Reply("\n\n".join(lines), [*buttons, *([nav] if nav else []), *footer(loc)])


def footer(loc: str) -> list[list[Button]]:
    return [[Button(t(loc, "tr.btn.search"), TrSearch().pack()), Button(t(loc, "tr.btn.mine"), TrMine().pack())],
            [Button(t(loc, "menu.back"), Menu().pack())]]


def results(loc: str, rows: list[TrainingView], tz: ZoneInfo) -> Reply:
    # The query is not echoed: what a person typed is theirs, and a reply never needs to repeat it.
    if not rows:
        return Reply(t(loc, "tr.search.none"),
                     [[Button(t(loc, "tr.btn.all"), TrList(1).pack())], *footer(loc)])
    lines = [t(loc, "tr.search.title", count=len(rows))]
    lines += [item(loc, i + 1, v, tz) for i, v in enumerate(rows)]
    buttons = [[Button(f"{i + 1}. {v.title[:40]}", TrOpen(v.id).pack())] for i, v in enumerate(rows)]
    return Reply("\n\n".join(lines), [*buttons, [Button(t(loc, "tr.btn.all"), TrList(1).pack())], *footer(loc)])


def reasons(loc: str, unmet: tuple[Unmet, ...]) -> str:
    """Each rule the person misses, with what it asks and what they are."""
    def kinds(values: tuple[str, ...]) -> str:
        return ", ".join(t(loc, f"cs.kind.{k}") for k in values)

    lines = []
    for u in unmet:
        if u.rule == "jabatan":
            need, have = kinds(u.need), kinds((u.have,)) if u.have else t(loc, "tr.rule.unknown")
        else:
            need, have = ", ".join(escape(n) for n in u.need), escape(u.have) if u.have else t(loc, "tr.rule.unknown")
        lines.append(t(loc, f"tr.rule.{u.rule}", need=need, have=have))
    return "\n".join(lines)


def card(loc: str, v: TrainingView, tz: ZoneInfo, page: int = 1) -> Reply:
    lines = [t(
        loc, "tr.card", title=escape(v.title), organiser=escape(v.organiser), topic=escape(v.topic or "-"),
        when=when(loc, v.starts_at, v.ends_at, tz), where=_where(loc, v), jp=v.jp, seats=v.seats_left,
        quota=v.quota, closes=moment(loc, v.registration_closes_at, tz))]
    if v.online_url:
        lines.append(t(loc, "tr.card.url", url=escape(v.online_url)))
    if mark := tag(loc, v):
        lines.append(mark)
    if v.unmet and v.mine is None:
        lines.append(t(loc, "tr.card.unmet") + "\n" + reasons(loc, v.unmet))
    buttons: list[list[Button]] = []
    if v.registration_open and v.mine in ("seat", "waiting"):
        buttons.append([Button(t(loc, "tr.btn.leave"), TrLeave(v.id).pack())])
    elif v.registration_open and v.eligible and v.mine in (None, "cancelled"):
        wait = v.seats_left == 0
        buttons.append([Button(t(loc, "tr.btn.wait" if wait else "tr.btn.join"), TrJoin(v.id, wait).pack())])
    buttons.append([Button(t(loc, "tr.btn.all"), TrList(page).pack()), Button(t(loc, "tr.btn.mine"), TrMine().pack())])
    return Reply("\n\n".join(lines), buttons)


def confirm_join(loc: str, v: TrainingView, tz: ZoneInfo) -> Reply:
    wait = v.seats_left == 0
    text = t(loc, "tr.confirm.wait" if wait else "tr.confirm.join", title=escape(v.title),
             when=when(loc, v.starts_at, v.ends_at, tz), jp=v.jp, position=v.waiting + 1)
    return Reply(text, [[Button(t(loc, "tr.btn.yes_wait" if wait else "tr.btn.yes_join"),
                                TrJoin(v.id, wait, True).pack()),
                         Button(t(loc, "btn.cancel"), TrOpen(v.id).pack())]])


def confirm_leave(loc: str, v: TrainingView, tz: ZoneInfo) -> Reply:
    key = "tr.confirm.leave_seat" if v.mine == "seat" else "tr.confirm.leave_wait"
    return Reply(t(loc, key, title=escape(v.title), when=when(loc, v.starts_at, v.ends_at, tz)),
                 [[Button(t(loc, "tr.btn.yes_leave"), TrLeave(v.id, True).pack()),
                   Button(t(loc, "btn.back"), TrOpen(v.id).pack())]])


def my_year(loc: str, y: MyYear, tz: ZoneInfo) -> Reply:
    lines = [t(loc, "tr.mine.title", year=y.year)]
    if y.cap is not None:
        lines.append(t(loc, "tr.mine.jp_pppk", counted=y.counted_jp, total=y.total_jp, cap=y.cap))
    else:
        lines.append(t(loc, "tr.mine.jp_pns", counted=y.counted_jp, target=y.target))
    if y.upcoming:
        lines.append(t(loc, "tr.mine.upcoming") + "\n" + "\n".join(
            t(loc, "tr.mine.item", title=escape(i.title), when=when(loc, i.starts_at, i.ends_at, tz),
              status=t(loc, "tr.tag.cancelled") if i.cancelled else (
                  t(loc, "tr.tag.waiting", position=i.position) if i.status == "waiting" else t(loc, "tr.tag.seat")))
            for i in y.upcoming))
    if y.attended:
        lines.append(t(loc, "tr.mine.attended") + "\n" + "\n".join(
            t(loc, "tr.mine.done", title=escape(i.title), day=long_day(loc, i.ends_at, tz), jp=i.jp) for i in y.attended))
    if not y.upcoming and not y.attended:
        lines.append(t(loc, "tr.mine.none"))
    buttons = [[Button(f"{i.title[:40]}", TrOpen(i.training_id).pack())] for i in y.upcoming if not i.cancelled]
    if y.short_by:
        lines.append(t(loc, "tr.mine.short", short=y.short_by) if y.suggestions else
                     t(loc, "tr.mine.short_none", short=y.short_by))
        lines += [t(loc, "tr.mine.suggest", title=escape(v.title), when=when(loc, v.starts_at, v.ends_at, tz), jp=v.jp)
                  for v in y.suggestions]
        buttons += [[Button(f"➕ {v.title[:40]}", TrOpen(v.id).pack())] for v in y.suggestions]
    else:
        lines.append(t(loc, "tr.mine.reached"))
    return Reply("\n\n".join(lines), [*buttons, [Button(t(loc, "tr.btn.all"), TrList(1).pack())],
                                      [Button(t(loc, "menu.back"), Menu().pack())]])


@renders(SeatOffered)
def seat_offered(loc: str, n: SeatOffered) -> Reply:
    start = datetime.fromisoformat(n.starts_at)
    return Reply(t(loc, "tr.notice.seat", title=escape(n.title), when=moment(loc, start, ZoneInfo(n.tz))),
                 [[Button(t(loc, "tr.btn.open"), TrOpen(n.training_id).pack())],
                  [Button(t(loc, "tr.btn.mine"), TrMine().pack())]])


@renders(AttendanceWithdrawn)
def attendance_withdrawn(loc: str, n: AttendanceWithdrawn) -> Reply:
    """In the person's language: a one-press reason by its label, HR's own words as typed (escaped)."""
    tz = ZoneInfo(n.tz)
    # A code this version does not know (rows outlive code) falls back to HR's words.
    reason = t(loc, f"tr.reason.{n.reason_code}") if n.reason_code in REASONS else escape(n.reason or "-")
    return Reply(t(loc, "tr.notice.unattended", title=escape(n.title),
                   when=when(loc, datetime.fromisoformat(n.starts_at), datetime.fromisoformat(n.ends_at), tz),
                   jp=n.jp, reason=reason),
                 [[Button(t(loc, "tr.btn.mine"), TrMine().pack())]])


@renders(TrainingCalledOff)
def training_called_off(loc: str, n: TrainingCalledOff) -> Reply:
    tz = ZoneInfo(n.tz)
    text = t(loc, "tr.notice.called_off", title=escape(n.title),
             when=when(loc, datetime.fromisoformat(n.starts_at), datetime.fromisoformat(n.ends_at), tz))
    if n.reason:
        text += "\n" + t(loc, "tr.notice.called_off_reason", reason=escape(n.reason))
    return Reply(text, [[Button(t(loc, "tr.btn.all"), TrList(1).pack())], [Button(t(loc, "tr.btn.mine"), TrMine().pack())]])
