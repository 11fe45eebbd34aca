"""How reminder notices read, in the recipient's language, at send time.

Their buttons open other features' screens: the data comes from the owning feature's callbacks
module (`TrOpen(id).pack()`), its public interface, never a string spelled here.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.appraisal.callbacks import SkpPeriod
from handlers.complaints.callbacks import OpenCard
from handlers.dates import long_day, moment
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.reminders.callbacks import RmHome
from handlers.render import escape
from handlers.subscriptions.callbacks import SubHome
from handlers.training.callbacks import TrJoin, TrOpen
from handlers.vacancies.callbacks import VacDocs, VacView
from services.reminders import notices as n

UNMET = {"golongan", "predikat_none", "predikat_missing", "predikat_low", "jabatan", "age", "age_unknown", "service",
         "service_unknown"}


def _at(loc: str, iso: str, tz: str) -> str:
    return moment(loc, datetime.fromisoformat(iso), ZoneInfo(tz))


def _where(loc: str, place: str | None, url: str | None) -> str:
    parts = []
    if place:
        parts.append(t(loc, "rm.place", place=escape(place)))
    if url:
        parts.append(t(loc, "rm.link", url=escape(url)))
    return "\n".join(parts) or t(loc, "rm.place.none")


def _items(text: str) -> str:
    return "\n".join(f"• {escape(m.strip())}" for m in text.splitlines()[:20] if m.strip())


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


@renders(n.VacancyPublished)
def vacancy_published(loc: str, x: n.VacancyPublished) -> Reply:
    codes = [c.strip() for c in x.unmet.split(",") if c.strip()]
    if codes:
        words = dict.fromkeys(t(loc, f"rm.unmet.{c}") if c in UNMET else t(loc, "rm.unmet.other") for c in codes)
        rules = ", ".join(words)
        verdict = t(loc, "rm.vac.not_eligible", rules=rules)
    else:
        verdict = t(loc, "rm.vac.eligible")
    text = t(loc, "rm.vac.new", jabatan=escape(x.jabatan), agency=escape(x.agency),
             closes=_at(loc, x.closes_at, x.tz), verdict=verdict)
    return Reply(text, [[Button(t(loc, "rm.btn.vacancy"), VacView(x.vacancy_id).pack())],
                        [Button(t(loc, "rm.btn.subscriptions"), SubHome().pack())]])


@renders(n.VacancyDocsMissing)
def vacancy_docs(loc: str, x: n.VacancyDocsMissing) -> Reply:
    items = _items(x.missing)
    text = t(loc, "rm.vac.docs", jabatan=escape(x.jabatan), closes=_at(loc, x.closes_at, x.tz), items=items)
    return Reply(text, [[Button(t(loc, "rm.btn.docs"), VacDocs(x.application_id).pack())], _settings_button(loc)])


def _skp(loc: str, x: n.SkpDeadline, must: bool) -> Reply:
    missing = _items(x.missing)
    text = t(loc, "rm.skp", period=escape(x.period), days=x.days, deadline=_at(loc, x.deadline_at, x.tz))
    if missing:
        text += "\n\n" + t(loc, "rm.skp.missing", items=missing)
    if must:
        text += "\n\n" + t(loc, "rm.skp.mandatory")
    buttons = [[Button(t(loc, "rm.btn.skp"), SkpPeriod(x.appraisal_id).pack())]]
    return Reply(text, buttons if must else [*buttons, _settings_button(loc)])


@renders(n.SkpDeadline)
def skp_deadline(loc: str, x: n.SkpDeadline) -> Reply:
    return _skp(loc, x, False)


@renders(n.SkpMandatory)
def skp_mandatory(loc: str, x: n.SkpMandatory) -> Reply:
    return _skp(loc, x, True)


@renders(n.ComplaintDueSoon)
def complaint_due(loc: str, x: n.ComplaintDueSoon) -> Reply:
    text = t(loc, f"rm.cx.due.{x.stage}" if x.stage in ("response", "resolve") else "rm.cx.due.resolve",
             number=escape(x.number), due=_at(loc, x.due_at, x.tz))
    return Reply(text, [[Button(t(loc, "rm.btn.report"), OpenCard(x.complaint_id).pack())]])


@renders(n.ComplaintOverdue)
def complaint_overdue(loc: str, x: n.ComplaintOverdue) -> Reply:
    agency = escape(x.agency) if x.agency else t(loc, "rm.cx.unrouted")
    text = t(loc, f"rm.cx.over.{x.stage}" if x.stage in ("response", "resolve") else "rm.cx.over.resolve",
             number=escape(x.number), due=_at(loc, x.due_at, x.tz), agency=agency)
    return Reply(text, [[Button(t(loc, "rm.btn.report"), OpenCard(x.complaint_id).pack())]])


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


RENDERERS = (training_tomorrow, training_today, registration_closing, vacancy_published, vacancy_docs,
             skp_deadline, skp_mandatory, complaint_due, complaint_overdue, jp_nudge)
