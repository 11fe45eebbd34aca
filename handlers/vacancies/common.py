"""What the vacancy screens share: the feature's router, the apply flow's steps and data, the
service context, how a refusal is said, and the `docs` step every file goes through."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TypedDict

from handlers.account.callbacks import Account
from handlers.dates import moment
from handlers.flow import Step, Steps
from handlers.kit import Button
from handlers.menu import Menu
from handlers.router import Chat, Router
from handlers.vacancies import views
from handlers.vacancies.callbacks import VacDocs, VacList, VacMine, VacTrack
from services.appraisal.history import predikat_by_year
from services.errors import DomainError
from services.vacancies import applications as svc
from services.vacancies.dto import ApplicationView
from services.vacancies.rules import DocumentItem, PredikatHistory

router = Router("vacancies")
# Where the predikat rule reads a person's appraisal history: the appraisal feature's records.
PREDIKAT_HISTORY: PredikatHistory = predikat_by_year


class Apply(Steps, prefix="vac"):
    confirm = Step(note="Ya, lamar")
    docs = Step(note="each file of the checklist, or a rejected file's replacement")


@dataclass
class ApplyData:
    vacancy_id: int = 0
    application_id: int = 0
    item: str = ""  # the checklist code the next file is for
    fix: bool = False  # replacing a rejected file of a submitted application (perbaikan berkas)


class ServiceContext(TypedDict):
    """The keywords every applications service call takes besides the ids, typed as they take
    them, so `**ctx(chat)` is checked against each signature like explicit keywords."""

    now: datetime
    tz: tzinfo
    history: PredikatHistory


def ctx(chat: Chat) -> ServiceContext:
    """What every applications service call takes besides the ids: the time and the rule's history."""
    return {"now": chat.now, "tz": chat.settings.tz, "history": PREDIKAT_HISTORY}


def fail(chat: Chat, e: DomainError, buttons: list[list[Button]] | None = None, *, edit: bool = False) -> None:
    """A domain error in words: not linked offers /tautkan, unmet rules list their reasons."""
    loc = chat.locale
    if isinstance(e, svc.NotLinked):
        chat.reply(chat.t("vac.err.not_linked"), [[Button(chat.t("vac.btn.link"), Account().pack())],
                                                   [Button(chat.t("menu.back"), Menu().pack())]], edit=edit)
        return
    if isinstance(e, svc.NotEligible):
        text = chat.t("vac.err.not_eligible") + "\n" + "\n".join(f"• {views.reason(loc, u)}" for u in e.unmet)
    elif isinstance(e, svc.Closed):
        text = chat.t("vac.err.closed", closes=moment(loc, e.closes_at, chat.settings.tz))
    elif e.code == "vac.err.file_type":
        text = chat.t(e.code, types=views.types_text(loc, str(e.params.get("types", "pdf"))))
    else:
        text = chat.error_text(e)
    chat.reply(text, buttons or [[Button(chat.t("vac.btn.list"), VacList().pack()),
                                  Button(chat.t("vac.btn.mine"), VacMine().pack())]], edit=edit)


# --- the docs step -------------------------------------------------------------------------------

def enter_docs(chat: Chat, app: ApplicationView, *, edit: bool, item: DocumentItem | None = None,
               lead: str = "") -> None:
    """The checklist, waiting for the file of `item` (else the first one missing)."""
    current = item or (app.missing[0] if app.missing else None)
    chat.clear()
    chat.save(ApplyData(vacancy_id=app.vacancy.id, application_id=app.id, item=current.code if current else ""))
    chat.state = Apply.docs.name
    text, rows = views.checklist(chat.locale, chat.settings.tz, app, current)
    chat.reply(f"{lead}\n\n{text}" if lead else text, rows, edit=edit)


def way_back(chat: Chat, data: ApplyData) -> list[list[Button]]:
    """Where a refused file leaves the person: the checklist, or the application being corrected."""
    if data.fix:
        return [[Button(chat.t("btn.cancel"), VacTrack(data.application_id).pack())]]
    return [[Button(chat.t("vac.btn.checklist"), VacDocs(data.application_id).pack())]]


@Apply.docs.asks
def ask_docs(chat: Chat) -> None:
    data = chat.load(ApplyData)
    chat.reply(chat.t("vac.fix.send_file" if data.fix else "vac.docs.send_file"), way_back(chat, data))


async def corrected(chat: Chat, application_id: int, label: str) -> None:
    """The replacement is in: say so, with the application as it now stands."""
    chat.clear()
    tr = await svc.tracking(chat.uow, chat.person, application_id, **ctx(chat))
    text, rows = views.tracking(chat.locale, chat.settings.tz, tr)
    chat.reply(chat.t("vac.fix.saved", label=label) + "\n\n" + text, rows)
