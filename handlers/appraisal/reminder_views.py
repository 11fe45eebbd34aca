"""How SKP deadline reminders read, at send time. Catalog keys keep the reminders' names (rm.skp*)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.appraisal.callbacks import SkpPeriod
from handlers.dates import moment
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.reminders.callbacks import RmHome
from handlers.render import escape
from services.appraisal.reminders import SkpDeadline, SkpMandatory


def _skp(loc: str, x: SkpDeadline, must: bool) -> Reply:
    missing = "\n".join(f"• {escape(m.strip())}" for m in x.missing.splitlines()[:20] if m.strip())
    deadline = moment(loc, datetime.fromisoformat(x.deadline_at), ZoneInfo(x.tz))
    text = t(loc, "rm.skp", period=escape(x.period), days=x.days, deadline=deadline)
    if missing:
        text += "\n\n" + t(loc, "rm.skp.missing", items=missing)
    if must:
        text += "\n\n" + t(loc, "rm.skp.mandatory")
    buttons = [[Button(t(loc, "rm.btn.skp"), SkpPeriod(x.appraisal_id).pack())]]
    # A mandatory one cannot be switched off: no way to /pengingat from it.
    return Reply(text, buttons if must else [*buttons, [Button(t(loc, "rm.btn.settings"), RmHome().pack())]])


@renders(SkpDeadline)
def skp_deadline(loc: str, x: SkpDeadline) -> Reply:
    return _skp(loc, x, False)


@renders(SkpMandatory)
def skp_mandatory(loc: str, x: SkpMandatory) -> Reply:
    return _skp(loc, x, True)


RENDERERS = (skp_deadline, skp_mandatory)
