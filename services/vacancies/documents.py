"""A file for one checklist item: refused early by what the update says of it, kept only by its bytes.

Two calls, the same rules. `check_upload` runs in the update that brings the file (who, which
application and item, open or correctable, the claimed type and size: no download needed, so a
`.docx` is refused at once). `attach` runs after the file was downloaded, outside that update's
transaction, and checks all of it again (the vacancy may have closed meanwhile) plus the content
itself (`rules.check_content`): a file is stored, and reaches HR, only as what its bytes are.
A draft may replace any item; a submitted application only a file HR rejected (perbaikan berkas).
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from db.models import Employee, VacancyApplication, VacancyDocument
from db.uow import UnitOfWork
from services import files
from services.errors import DomainError, InvalidInput
from services.users import Person
from services.vacancies.applications import application_view, open_vacancy, own_application
from services.vacancies.dto import SUBMITTED, WITHDRAWN, ApplicationView
from services.vacancies.rules import (
    DocumentItem,
    PredikatHistory,
    check_content,
    check_correctable,
    check_file,
    checklist_item,
    no_history,
)

Target = tuple[VacancyApplication, Employee, DocumentItem, VacancyDocument | None]


async def _target(uow: UnitOfWork, person: Person, application_id: int, code: str, now: datetime) -> Target:
    """The person's own application, its open vacancy's item, and (submitted) the rejected file it replaces."""
    app, emp = await own_application(uow, person, application_id)
    if app.status == WITHDRAWN:
        raise DomainError("vac.err.withdrawn")
    v = await open_vacancy(uow, app.vacancy_id, now)
    item = checklist_item(v.documents, code)
    rejected = None
    if app.status == SUBMITTED:
        rejected = next((d for d in (await uow.vacancies.documents([app.id]))[app.id] if d.code == item.code), None)
        check_correctable(rejected.review if rejected else None,
                          corrected=rejected is not None and rejected.corrected_at is not None)
    return app, emp, item, rejected


def _claimed(item: DocumentItem, file_id: str, *, name: str | None, size: int | None, mime: str | None,
             is_photo: bool) -> str:
    if not file_id or len(file_id) > 255:
        raise InvalidInput("vac.err.file_type", types=",".join(item.types))
    return check_file(item, is_photo=is_photo, name=name, mime=mime, size=size)


async def check_upload(uow: UnitOfWork, person: Person, application_id: int, code: str, *, file_id: str,
                       name: str | None, size: int | None, mime: str | None, is_photo: bool, now: datetime) -> str:
    """What the file claims to be ('pdf' or 'image') if `attach` could take it; nothing is written."""
    _, _, item, _ = await _target(uow, person, application_id, code, now)
    return _claimed(item, file_id, name=name, size=size, mime=mime, is_photo=is_photo)


async def attach(uow: UnitOfWork, person: Person, application_id: int, code: str, *, file_id: str, content: bytes,
                 name: str | None, size: int | None, mime: str | None, is_photo: bool, now: datetime, tz: tzinfo,
                 history: PredikatHistory = no_history) -> ApplicationView:
    """Keep Telegram's file id for one checklist item once its downloaded `content` is what it claims.
    Stored with the size and MIME type of the bytes, not the client's. A correction is unreviewed
    again and marked corrected for HR; the old file's id, name and rejection go to the audit log."""
    app, emp, item, rejected = await _target(uow, person, application_id, code, now)
    kind = _claimed(item, file_id, name=name, size=size, mime=mime, is_photo=is_photo)
    fmt = check_content(kind, content)
    size = len(content)
    values = {"file_id": file_id, "name": (name or ("photo.jpg" if is_photo else kind))[:255], "size": size,
              "mime": files.MIME[fmt], "uploaded_at": now}
    if rejected is None:  # a draft's file
        await uow.vacancies.put_document({"application_id": app.id, "code": item.code, **values})
    else:
        before = {"file_id": rejected.file_id, "name": rejected.name, "size": rejected.size, "mime": rejected.mime,
                  "review": rejected.review, "reason": rejected.review_reason, "reviewed_by": rejected.reviewed_by,
                  "reviewed_at": rejected.reviewed_at.isoformat() if rejected.reviewed_at else None}
        uow.vacancies.correct_document(rejected, values, at=now)
        uow.audit.record(f"user:{person.id}", "vacancy.document_corrected", f"application:{app.id}",
                         actor_user_id=person.id, at=now, document=rejected.id, code=item.code, before=before,
                         after={"file_id": file_id, "name": values["name"], "size": size, "mime": values["mime"],
                                "review": None})
    return await application_view(uow, app, emp, now=now, tz=tz, history=history)
