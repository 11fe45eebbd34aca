"""How training's reminders read (H-1, H-0, registration closing, the JP nudge), in the
recipient's language, at send time. Catalog keys keep the reminders' names (rm.tr.*, rm.jp)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.dates import long_day, moment
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.reminders.callbacks import RmHome
from handlers.render import escape
from handlers.subscriptions.callbacks import SubHome
from handlers.training.callbacks import TrJoin, TrOpen
from services.training import reminder_notices as n


def _at(loc: str, iso: str, tz: str) -> str:
    return moment(loc, datetime.fromisoformat(iso), ZoneInfo(tz))


def _where(loc: str, place: str | None, url: str | None) -> str:
    parts = []
    if place:
        parts.append(t(loc, "rm.place", place=escape(place)))
    if url:
        parts.append(t(loc, "rm.link", url=escape(url)))
    return "\n".join(parts) or t(loc, "rm.place.none")


def _settings_button(loc: str) -> list[Button]:
    return [Button(t(loc, "rm.btn.settings"), RmHome().pack())]  # every reminder: a way to switch it off


def _training(loc: str, key: str, x: n.TrainingTomorrow) -> Reply:  # or a TrainingToday
    start = datetime.fromisoformat(x.starts_at)
    text = t(loc, key, title=escape(x.title), day=long_day(loc, start, ZoneInfo(x.tz)),
             when=_at(loc, x.starts_at, x.tz), where=_where(loc, x.place, x.online_url))
    return Reply(text, [[Button(t(loc, "rm.btn.training"), TrOpen(x.training_id).pack())], _settings_button(loc)])


@renders(n.TrainingTomorrow)
def training_tomorrow(loc: str, x: n.TrainingTomorrow) -> Reply:
    return _training(loc, "rm.tr.h1", x)


@renders(n.TrainingToday)
def training_today(loc: str, x: n.TrainingToday) -> Reply:
    return _training(loc, "rm.tr.h0", x)


@renders(n.RegistrationClosing)
def registration_closing(loc: str, x: n.RegistrationClosing) -> Reply:
    text = t(loc, "rm.tr.closing", title=escape(x.title), closes=_at(loc, x.closes_at, x.tz),
             when=_at(loc, x.starts_at, x.tz))
    return Reply(text, [[Button(t(loc, "rm.btn.join"), TrJoin(x.training_id).pack())],
                        [Button(t(loc, "rm.btn.subscriptions"), SubHome().pack())]])


@renders(n.JpNudge)
def jp_nudge(loc: str, x: n.JpNudge) -> Reply:
    text = t(loc, "rm.jp", year=x.year, counted=x.counted, target=x.target, short=max(0, x.target - x.counted))
    buttons: list[list[Button]] = []
    lines = []
    for item in n.read_suggestions(x.trainings)[:5]:
        lines.append(t(loc, "rm.jp.item", title=escape(item.title), jp="?" if item.jp is None else item.jp,
                       when=_at(loc, item.starts_at, x.tz)))
        buttons.append([Button(item.title[:40] or "…", TrOpen(item.id).pack())])
    text += "\n\n" + ("\n".join(lines) if lines else t(loc, "rm.jp.none"))
    return Reply(text, [*buttons, _settings_button(loc)])


RENDERERS = (training_tomorrow, training_today, registration_closing, jp_nudge)
