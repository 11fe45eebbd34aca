"""What a staff member sees first: how much work waits at their desk when they say /start."""

from __future__ import annotations

from handlers.router import Chat, Router
from services.complaints import queue as desk_queue
from services.errors import DomainError
from services.roles import Role

router = Router()
DESK_ROLES = (Role.OFFICER, Role.HR, Role.SUPERADMIN)


@router.welcome_line
async def waiting_work(chat: Chat) -> str | None:
    # Only staff pay for the count: a citizen's /start runs no extra statement.
    if chat.person.role not in DESK_ROLES:
        return None
    try:
        n = await desk_queue.counts(chat.uow, chat.person, now=chat.now, tz=chat.settings.tz)
    except DomainError:  # e.g. an officer not attached to an agency: the desk itself says so
        return None
    if n.empty:
        return chat.t("staff.queue_empty")
    return chat.t("staff.queue", new=n.new, due=n.due, overdue=n.overdue)
