"""After "Kirim": what HR can still do with a confirmed broadcast.

- A *waiting* one (held by quiet hours, or scheduled) can be sent now as urgent, or moved to
  another time; once its rows are out (or it was stopped) the button is stale: refused here.
- A stopped or finished one can be started again: a new draft with the same text, file and
  audience, which HR sends or changes like any draft.

Each action checks the role (HR; a superadmin passes) and is audited.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from db.models import Broadcast
from db.uow import UnitOfWork
from services.account.codes import actor_label
from services.broadcasts.manage import Draft, draft_of, load_broadcast, require_hr
from services.errors import InvalidInput
from services.quiet_hours import QuietHours
from services.users import Person

OVER = ("cancelled", "done")


async def _waiting(uow: UnitOfWork, broadcast_id: int, now: datetime) -> Broadcast:
    """The broadcast, locked, if some of its rows still wait for a later time; else `bc.err.not_waiting`."""
    b = await load_broadcast(uow, broadcast_id, for_update=True)
    if b.status != "queued" or b.finished_at is not None or not await uow.broadcasts.waiting(b.id, now):
        raise InvalidInput("bc.err.not_waiting")
    return b


async def check_waiting(uow: UnitOfWork, person: Person, broadcast_id: int, *, now: datetime) -> Draft:
    """May it still be moved (before HR is asked for the time)?"""
    require_hr(person)
    return await draft_of(uow, await _waiting(uow, broadcast_id, now))


async def send_now(uow: UnitOfWork, person: Person, broadcast_id: int, *, now: datetime,
                   progress_message_id: int | None = None) -> Draft:
    """A waiting broadcast becomes urgent (quiet hours no longer hold it) and its rows go out now."""
    require_hr(person)
    b = await _waiting(uow, broadcast_id, now)
    was = b.starts_at
    moved = await uow.broadcasts.move_pending(b.id, now)
    b.urgent = True
    if b.starts_at is None or b.starts_at > now:
        b.starts_at = now
    if progress_message_id is not None:  # the message pressed shows the progress from now on
        b.progress_message_id = progress_message_id
    label, actor_id = actor_label(person)
    uow.audit.record(label, "broadcast.urgent", f"broadcast:{b.id}", actor_user_id=actor_id, rows=moved,
                     was=was.isoformat() if was else None)
    return await draft_of(uow, b)


async def reschedule(uow: UnitOfWork, person: Person, broadcast_id: int, at: datetime, *, now: datetime,
                     quiet: QuietHours, tz: tzinfo) -> Draft:
    """A waiting broadcast's rows move to `at` (quiet hours still hold a non-urgent one)."""
    require_hr(person)
    if at <= now:
        raise InvalidInput("bc.err.time_past")
    b = await _waiting(uow, broadcast_id, now)
    starts_at = at if b.urgent else quiet.release(at, tz)
    moved = await uow.broadcasts.move_pending(b.id, starts_at)
    was = b.starts_at
    b.scheduled_for, b.starts_at = at, starts_at
    b.progress_message_id = None  # the answer is a new message; the progress follows in one of its own
    label, actor_id = actor_label(person)
    uow.audit.record(label, "broadcast.reschedule", f"broadcast:{b.id}", actor_user_id=actor_id, rows=moved,
                     was=was.isoformat() if was else None, starts_at=starts_at.isoformat())
    return await draft_of(uow, b)


async def again(uow: UnitOfWork, person: Person, broadcast_id: int, *, now: datetime) -> Draft:
    """A new draft from a stopped or finished broadcast: its text, file and audience."""
    require_hr(person)
    old = await load_broadcast(uow, broadcast_id)
    if old.status not in OVER:
        raise InvalidInput("bc.err.not_over")
    b = uow.broadcasts.add(Broadcast(
        created_by=person.id, status="draft", body=old.body, attachment_kind=old.attachment_kind,
        attachment_file_id=old.attachment_file_id, attachment_name=old.attachment_name,
        audience=dict(old.audience or {}), urgent=False, total=0, created_at=now))
    await uow.flush()
    label, actor_id = actor_label(person)
    uow.audit.record(label, "broadcast.create", f"broadcast:{b.id}", actor_user_id=actor_id,
                     chars=len(b.body), attachment=b.attachment_kind, copy_of=old.id)
    return await draft_of(uow, b)
