"""How a draft looks: its summary before sending, and the offer when similar reports exist.

Everything the person typed passes through `escape` here, once.
"""

from __future__ import annotations

from handlers.complaints.callbacks import BackToSummary, FollowInstead, SendAnyway, ViewReport
from handlers.complaints.filing.draft import FilingDraft
from handlers.complaints.views import kind, place, status
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.menu import Cancel
from handlers.render import escape
from services.complaints.dto import Similar


def draft_summary(loc: str, d: FilingDraft) -> str:
    return t(loc, "cx.summary", kind=kind(loc, d.kind), description=escape(d.description),
             photos=len(d.photos), place=place(loc, d.address, d.latitude, d.longitude),
             agency=escape(d.agency_name) if d.agency_name else t(loc, "cx.agency.unsure"),
             privacy=t(loc, f"cx.privacy.{d.privacy}"))


def similar_offer(loc: str, found: list[Similar], draft: str) -> Reply:
    """Reports like this one: the person's own to open, others' to follow, or send it anyway."""
    lines = [t(loc, "cx.dup.intro")]
    rows: list[list[Button]] = []
    for s in found:
        lines.append(t(loc, "cx.dup.item", number=s.number, status=status(loc, s.status), excerpt=escape(s.excerpt)))
        if s.own:
            rows.append([Button(t(loc, "cx.btn.view_number", number=s.number), ViewReport(s.id).pack())])
        else:
            rows.append([Button(t(loc, "cx.btn.follow_number", number=s.number), FollowInstead(draft, s.id).pack())])
    rows.append([Button(t(loc, "cx.btn.send_anyway"), SendAnyway(draft).pack())])
    rows.append([Button(t(loc, "cx.btn.edit"), BackToSummary(draft).pack()), Button(t(loc, "btn.cancel"), Cancel().pack())])
    return Reply("\n\n".join(lines), rows)
