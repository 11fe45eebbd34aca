"""Asking the reporter for more information, and their answer coming back into the report.

The question goes to the reporter through the bot, whatever privacy they chose: the agency
writes to "the reporter of BJB-…", never to a person it can name. The reporter's answer is a
reply (tracking.reply): it joins the report's history for its staff and clears the wait.
"""

from __future__ import annotations

from datetime import datetime

from db.models import Complaint
from db.uow import UnitOfWork
from services.complaints.desk import NOTE_MAX, audit, audit_state, for_staff
from services.complaints.dto import AnswerDraft
from services.complaints.notices import InfoRequested
from services.complaints.rules import ASKABLE, message_text
from services.complaints.transitions import record
from services.errors import DomainError
from services.users import Person


def _askable(c: Complaint) -> int:
    """The reporter to ask, or DomainError when the report cannot be asked about."""
    if c.status not in ASKABLE:
        raise DomainError("cx.err.illegal", status=c.status, action="ask")
    if c.reporter_id is None:  # erased their data: nobody to ask
        raise DomainError("cx.err.no_reporter", number=c.number)
    return c.reporter_id


async def draft_question(uow: UnitOfWork, person: Person, complaint_id: int, text: str) -> AnswerDraft:
    """The same checks as sending, for the preview: what it promises is what "send" does."""
    c, _ = await for_staff(uow, person, complaint_id)
    _askable(c)
    return AnswerDraft(c.id, c.number, message_text(text, NOTE_MAX), to_reporter=True)


async def ask_info(uow: UnitOfWork, person: Person, complaint_id: int, text: str, *, now: datetime) -> str:
    """Send the reporter a question; the report shows it waits for them. Returns the number."""
    c, actor = await for_staff(uow, person, complaint_id, lock=True)
    reporter_id = _askable(c)
    question = message_text(text, NOTE_MAX)
    before = audit_state(c)
    c.info_requested_at, c.updated_at = now, now
    # "parties": the reporter and staff see the question; followers and the public do not.
    event = await record(uow, c, "ask", actor, actor_id=person.id, now=now, note=question, visibility="parties")
    await uow.outbox.add(reporter_id, InfoRequested(id=c.id, number=c.number, note=question),
                         dedupe_key=f"cx:{event.id}:cx.ask:{reporter_id}")
    audit(uow, person, "complaint.ask", c, before, now=now, note=question)
    return c.number
