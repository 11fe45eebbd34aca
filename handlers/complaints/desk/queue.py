"""The desk's queue (/laporanmasuk): most urgent first with the working days left, filters by
status and kind, pages. The filters travel in the page buttons, so paging keeps them."""

from __future__ import annotations

from datetime import tzinfo
from typing import cast

from handlers.complaints.callbacks import Kind as ReportKind
from handlers.complaints.callbacks import OpenCard, OpenStatus, Queue, QueueFilters
from handlers.complaints.desk.common import in_desk_step
from handlers.complaints.views import KINDS, kind, status
from handlers.dates import long_day as day
from handlers.dates import moment as when
from handlers.i18n import t
from handlers.kit import Button, Kind, Reply
from handlers.menu import Menu
from handlers.render import escape
from handlers.router import Chat, Router
from services.complaints import queue as desk_queue
from services.complaints.dto import Page, QueueFilter, ReportLine
from services.complaints.rules import OPEN
from services.roles import Role

router = Router()
FIRST_RESPONSE = ("diterima", "diverifikasi")


@router.command("laporanmasuk", "inbox", "desk")
async def cmd_queue(chat: Chat) -> None:
    await show_queue(chat, 1, QueueFilter())


@router.callback(Queue)
async def btn_queue(chat: Chat, cb: Queue) -> None:
    await show_queue(chat, cb.page, QueueFilter(cb.status, cb.kind))


async def show_queue(chat: Chat, page_no: int, only: QueueFilter) -> None:
    if in_desk_step(chat):  # an unfinished note must not land on a report later
        chat.clear()
    page = await desk_queue.queue(chat.uow, chat.person, page_no, now=chat.now, tz=chat.settings.tz, only=only)
    title = chat.t("cx.desk.title_hr" if chat.person.role != Role.OFFICER else "cx.desk.title")
    r = queue_screen(chat.locale, page, only, chat.settings.tz, title=title)
    chat.reply(r.text, r.buttons, edit=chat.incoming.kind is Kind.CALLBACK)


def urgency(loc: str, r: ReportLine, tz: tzinfo) -> str:
    """One line: overdue (by how many working days), the working days left, or the citizen's turn."""
    if r.deadline is None or r.days_left is None:
        return t(loc, "cx.q.waiting")
    which = "response" if r.status in FIRST_RESPONSE else "resolve"
    if r.days_left < 0:
        head = t(loc, "cx.list.overdue" if which == "response" else "cx.q.overdue_resolve",
                 due=day(loc, r.deadline, tz))
        return head + " · " + t(loc, "cx.q.late_days", n=-r.days_left)
    if r.days_left == 0:
        return t(loc, f"cx.q.today.{which}")
    return t(loc, f"cx.q.left.{which}", n=r.days_left, due=day(loc, r.deadline, tz))


def _filter_label(loc: str, only: QueueFilter) -> str:
    parts = [status(loc, only.status) if only.status else None, kind(loc, only.kind) if only.kind else None]
    return " · ".join(p for p in parts if p)


def queue_screen(loc: str, page: Page[ReportLine], only: QueueFilter, tz: tzinfo, *, title: str) -> Reply:
    filtered = bool(only.status or only.kind)
    # The filter came from these buttons (Queue's fields), so it holds their values.
    status_, kind_ = cast(OpenStatus | None, only.status), cast(ReportKind | None, only.kind)
    lines = [title]
    if filtered:
        lines.append(t(loc, "cx.q.filtered", what=_filter_label(loc, only)))
    rows: list[list[Button]] = []
    if not page.items:
        lines.append(t(loc, "cx.q.empty_filtered" if filtered else "cx.desk.empty"))
    else:
        lines.append(t(loc, "cx.list.page", page=page.page, pages=page.pages, total=page.total))
    for r in page.items:
        extra = [urgency(loc, r, tz)]
        if r.unstaffed:
            extra.append(t(loc, "cx.list.unstaffed", agency=escape(r.unstaffed)))
        if r.claimed_by:
            extra.append(t(loc, "cx.q.claimed", name=escape(r.claimed_by)))
        if r.awaiting_info:
            extra.append(t(loc, "cx.q.awaiting_info"))
        item = t(loc, "cx.list.item", number=r.number, status=status(loc, r.status), kind=kind(loc, r.kind),
                 when=when(loc, r.created_at, tz), excerpt=escape(r.excerpt))
        lines.append("\n".join(extra) + "\n" + item)
        mark = "⏰ " if r.days_left is not None and r.days_left < 0 else ""
        rows.append([Button(f"{mark}{r.number} · {status(loc, r.status)}", OpenCard(r.id).pack())])
    nav = []
    if page.page > 1:
        nav.append(Button(t(loc, "cx.btn.prev"), Queue(page.page - 1, status_, kind_).pack()))
    if page.page < page.pages:
        nav.append(Button(t(loc, "cx.btn.next_page"), Queue(page.page + 1, status_, kind_).pack()))
    if nav:
        rows.append(nav)
    tools = [Button(t(loc, "cx.btn.filter"), QueueFilters(status_, kind_).pack())]
    if filtered:
        tools.append(Button(t(loc, "cx.btn.filter_clear"), Queue(1).pack()))
    rows.append(tools)
    rows.append([Button(t(loc, "menu.back"), Menu().pack())])
    return Reply("\n\n".join(lines), rows)


@router.callback(QueueFilters)
async def pick_filters(chat: Chat, cb: QueueFilters) -> None:
    """Each button opens the queue with one filter changed and the other kept (✓: the current)."""
    loc = chat.locale
    if in_desk_step(chat):
        chat.clear()
    await desk_queue.queue(chat.uow, chat.person, 1, now=chat.now, tz=chat.settings.tz)  # the role check

    def mark(on: bool, label: str) -> str:
        return ("✓ " if on else "") + label

    rows = [[Button(mark(cb.kind is None, t(loc, "cx.q.all_kinds")), Queue(1, cb.status, None).pack())]]
    kinds = [Button(mark(cb.kind == k, kind(loc, k)), Queue(1, cb.status, k).pack()) for k in KINDS]
    rows += [kinds[:2], kinds[2:]]
    rows.append([Button(mark(cb.status is None, t(loc, "cx.q.all_statuses")), Queue(1, None, cb.kind).pack())])
    statuses = [Button(mark(cb.status == s, status(loc, s)), Queue(1, cast(OpenStatus, s), cb.kind).pack()) for s in OPEN]  # OPEN: the statuses OpenStatus names
    rows += [statuses[i:i + 2] for i in range(0, len(statuses), 2)]
    chat.reply(chat.t("cx.q.pick_filter"), rows, edit=True)
