"""The file step of applying (and of perbaikan berkas): a file is kept only once its bytes are checked.

The update that brings the file checks what the update says of it (whose application, which item,
the claimed type and size) and refuses a wrong one at once. The download happens after that
update's commit (no network call inside a transaction), and the answer comes from there: the
bytes are what the name claimed, so the file is attached and the checklist moves on; or they are
not (a renamed `.exe`, an empty file, bigger than announced), and the person is told what was
expected while the step stays where it was. Until then nothing is attached and nothing is said, and
the chat's next update waits (`before_next`): files picked together arrive as quick messages, each
for the item the one before it leaves open.
"""

from __future__ import annotations

import logging

from handlers.chat import Chat, Work, Worker, resume
from handlers.kit import Incoming, Kind
from handlers.render import escape
from handlers.vacancies.common import (
    Apply,
    ApplyData,
    ask_docs,
    corrected,
    ctx,
    enter_docs,
    fail,
    way_back,
)
from handlers.vacancies.common import router as router  # the feature's manifest checks it is one router
from services.errors import DomainError
from services.vacancies import documents

log = logging.getLogger(__name__)
FILE_ERRORS = ("vac.err.file_type", "vac.err.file_too_big", "vac.err.file_empty", "vac.err.not_pdf",
               "vac.err.not_image", "vac.err.download_failed")  # the file was wrong: the step stays


def _refused(chat: Chat, data: ApplyData, e: DomainError) -> None:
    if e.code not in FILE_ERRORS:
        chat.clear()  # closed, submitted, withdrawn, no longer correctable…: the question is over
    fail(chat, e, way_back(chat, data) if chat.state else None)


@router.step(Apply.docs)
async def file_sent(chat: Chat) -> None:
    """A file for the current checklist item (or the rejected one being corrected): refused now if
    what the update says of it is wrong, else downloaded and checked after the commit."""
    inc, data = chat.incoming, chat.load(ApplyData)
    if inc.kind not in (Kind.DOCUMENT, Kind.PHOTO) or inc.file is None:
        ask_docs(chat)
        return
    try:
        await documents.check_upload(chat.uow, chat.person, data.application_id, data.item,
                                     file_id=inc.file.file_id, name=inc.file.name, size=inc.file.size,
                                     mime=inc.file.mime_type, is_photo=inc.kind is Kind.PHOTO, now=chat.now)
    except DomainError as e:
        _refused(chat, data, e)
        return
    chat.after_commit(_checked(inc, chat.person.id, data), before_next=True)


def _checked(inc: Incoming, person_id: int, data: ApplyData) -> Work:
    async def work(w: Worker) -> None:
        assert inc.file is not None
        content: bytes | None = None
        try:
            content = await w.fetch(inc.file.file_id)
        except Exception as e:  # the channel's own errors (gone, too big after all, network)
            log.warning("download of a vacancy document failed: %s", e)
        await resume(w, inc, person_id, lambda chat: _keep(chat, data, content))
    return work


async def _keep(chat: Chat, data: ApplyData, content: bytes | None) -> None:
    """Attach the checked file and answer as the step does. If the person moved elsewhere while it
    downloaded, the file is still kept (it was sent for this item) but their new step is left alone."""
    here = Apply.docs.is_current(chat) and chat.load(ApplyData) == data
    before = chat.state, dict(chat.data)
    inc = chat.incoming
    assert inc.file is not None
    try:
        if content is None:
            raise DomainError("vac.err.download_failed")
        app = await documents.attach(chat.uow, chat.person, data.application_id, data.item, file_id=inc.file.file_id,
                                     content=content, name=inc.file.name, size=inc.file.size,
                                     mime=inc.file.mime_type, is_photo=inc.kind is Kind.PHOTO,
                                     **ctx(chat))
    except DomainError as e:
        _refused(chat, data, e)
    else:
        saved = next((d for d in app.documents if d.code == data.item), None)
        label = escape(saved.label if saved else data.item)
        if app.status == "submitted":
            await corrected(chat, app.id, label)
        else:
            enter_docs(chat, app, edit=False, lead=chat.t("vac.docs.saved", label=label))
    if not here:
        chat.state, chat.data = before
