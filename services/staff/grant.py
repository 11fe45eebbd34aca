"""Granting staff roles: from the CLI or by a superadmin; always audited."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.models import User
from db.uow import UnitOfWork
from services.errors import InvalidInput, NotFound
from services.roles import Role


@dataclass(frozen=True)
class Grant:
    external_id: int
    role: str
    agency_code: str | None
    created: bool
    has_written: bool  # False: Telegram will refuse our messages until they open the bot once


async def grant_role(
    uow: UnitOfWork, *, actor: str, external_id: int, role: str, agency_code: str | None, now: datetime,
    channel: str = "telegram",
) -> Grant:
    """Make a Telegram user officer/hr/superadmin, before or after their first message."""
    if role not in (Role.OFFICER, Role.HR, Role.SUPERADMIN):
        raise InvalidInput("admin.bad_role", role=role)
    agency_id = None
    if role == Role.OFFICER:
        if not agency_code:
            raise InvalidInput("admin.officer_needs_agency")
        agency = await uow.agencies.by_code(agency_code)
        if agency is None:
            raise NotFound("admin.unknown_agency", agency=agency_code)
        agency_id = agency.id
    user = await uow.users.by_external(channel, external_id)
    created = user is None
    if user is None:
        user = uow.users.add(User(channel=channel, external_id=external_id, chat_id=external_id, state_data={},
                                  created_at=now, last_seen_at=now))
    # A row made by a grant has no name until the person writes; a 403 since then says the same.
    has_written = not created and user.name is not None and not user.unreachable
    previous = user.role
    was_at = await uow.agencies.get(user.agency_id) if user.agency_id else None
    user.role, user.agency_id = role, agency_id
    await uow.flush()
    uow.audit.record(actor, "role.grant", f"user:{user.id}", role=role, previous=previous, agency=agency_code,
                     telegram_id=external_id, before={"role": previous or Role.CITIZEN.value, "agency": was_at.code if was_at else None},
                     after={"role": role, "agency": agency_code.upper() if agency_code else None})
    return Grant(external_id, role, agency_code.upper() if agency_code else None, created, has_written)
