"""Perbaikan berkas: what "Kirim perbaikan" opens for a file HR rejected.

The replacement itself goes through `documents.attach`, the one place that decides what may be
attached when (and `rules.check_file` what files are accepted); this only says, before the person
sends anything, whether the button still leads somewhere. An id from a button is a hint: the file
is looked up, and its application must be the person's own.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from db.uow import UnitOfWork
from services.errors import DomainError, NotFound
from services.users import Person
from services.vacancies.applications import application_view, open_vacancy, own_application
from services.vacancies.dto import SUBMITTED, WITHDRAWN, Correction
from services.vacancies.rules import REJECTED, PredikatHistory, check_correctable, checklist_item, no_history


async def correction(uow: UnitOfWork, person: Person, document_id: int, *, now: datetime, tz: tzinfo,
                     history: PredikatHistory = no_history) -> Correction:
    """The owner's rejected file while registration is open; refused otherwise, nothing changed.
    A draft's files may all still be replaced, so there it is the item as the checklist opens it."""
    doc = await uow.vacancies.document(document_id)
    if doc is None:  # answered like another person's: the id tells nothing
        raise NotFound("vac.err.no_application")
    app, emp = await own_application(uow, person, doc.application_id)
    if app.status == WITHDRAWN:
        raise DomainError("vac.err.withdrawn")
    v = await open_vacancy(uow, app.vacancy_id, now)
    item = checklist_item(v.documents, doc.code)
    if app.status == SUBMITTED:
        check_correctable(doc.review, corrected=doc.corrected_at is not None)
    view = await application_view(uow, app, emp, now=now, tz=tz, history=history)
    return Correction(view, item, doc.review_reason if doc.review == REJECTED else None)
