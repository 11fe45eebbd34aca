"""How the vacancies' reminders read (a new vacancy with the person's verdict, documents missing
before closing), at send time. Catalog keys keep the reminders' names (rm.vac.*, rm.unmet.*)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from handlers.dates import moment
from handlers.feature import renders
from handlers.i18n import t
from handlers.kit import Button, Reply
from handlers.reminders.callbacks import RmHome
from handlers.render import escape
from handlers.subscriptions.callbacks import SubHome
from handlers.vacancies.callbacks import VacDocs, VacView
from services.vacancies import reminder_notices as n

UNMET = {"golongan", "predikat_none", "predikat_missing", "predikat_low", "jabatan", "age", "age_unknown", "service",
         "service_unknown"}


def _at(loc: str, iso: str, tz: str) -> str:
    return moment(loc, datetime.fromisoformat(iso), ZoneInfo(tz))


def _items(text: str) -> str:
    return "\n".join(f"• {escape(m.strip())}" for m in text.splitlines()[:20] if m.strip())


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
    return Reply(text, [[Button(t(loc, "rm.btn.docs"), VacDocs(x.application_id).pack())],
                        [Button(t(loc, "rm.btn.settings"), RmHome().pack())]])  # a way to switch it off


RENDERERS = (vacancy_published, vacancy_docs)
