"""Who is talking: find or create the person, their locale, role and conversation state."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from db.uow import UnitOfWork
from services import reachability
from services.roles import Role

SEEN_RESOLUTION = timedelta(hours=1)  # don't write last_seen on every message


@dataclass(frozen=True)
class Person:
    id: int
    chat_id: int
    external_id: int
    name: str
    username: str | None
    role: str
    agency_id: int | None
    employee_id: int | None
    locale: str | None
    language_code: str | None
    state: str | None = None
    state_data: dict[str, Any] = field(default_factory=dict)


def person_from_row(u: Any, **changed: Any) -> Person:
    """From a User or a sender row, with the values just written."""
    person = Person(
        id=u.id, chat_id=u.chat_id, external_id=u.external_id, name=u.name or "", username=u.username,
        role=u.role, agency_id=u.agency_id, employee_id=u.employee_id, locale=u.locale,
        language_code=u.language_code, state=u.state, state_data=dict(u.state_data or {}),
    )
    keep = {k: v for k, v in changed.items() if k in Person.__dataclass_fields__}
    if "name" in keep:
        keep["name"] = keep["name"] or ""
    return replace(person, **keep) if keep else person


_LOOK_UP: Any = object()


async def identify(
    uow: UnitOfWork, sender: Any | None = _LOOK_UP, *, channel: str, external_id: int, chat_id: int, name: str,
    username: str | None, language_code: str | None, now: datetime, admin_ids: list[int],
) -> Person:
    """The person behind an update, created on first contact; superadmins from the config.

    `sender` is their row as read with the update's de-duplication (None: never seen;
    omitted: read it here).
    A returning person costs no statement unless something about them changed.
    """
    name = name[:200]
    if sender is _LOOK_UP:
        sender = await uow.users.sender(channel, external_id)
    if sender is None:
        role = Role.SUPERADMIN if external_id in admin_ids else Role.CITIZEN
        user_id = await uow.users.create(dict(
            channel=channel, external_id=external_id, chat_id=chat_id, name=name, username=username,
            language_code=language_code, role=role, state_data={}, created_at=now, last_seen_at=now,
        ))
        if role == Role.SUPERADMIN:
            uow.audit.record("config", "role.grant", f"user:{user_id}", role=role, source="SAPA_ADMIN_IDS")
        return Person(id=user_id, chat_id=chat_id, external_id=external_id, name=name, username=username,
                      role=role, agency_id=None, employee_id=None, locale=None, language_code=language_code)
    values: dict[str, Any] = {}
    if sender.unreachable:
        values["unreachable"] = False  # writing to us means they can be reached again
    fresh = (sender.name, sender.username, sender.language_code) != (name, username, language_code)
    if not sender.erased and (fresh or now - sender.last_seen_at > SEEN_RESOLUTION):
        values.update(name=name, username=username, language_code=language_code, last_seen_at=now)
    if external_id in admin_ids and sender.role != Role.SUPERADMIN:
        values["role"] = Role.SUPERADMIN
        uow.audit.record("config", "role.grant", f"user:{sender.id}", role=Role.SUPERADMIN,
                         source="SAPA_ADMIN_IDS")
    if values:
        await uow.users.update(sender.id, **values)
    if sender.unreachable:  # only then: a reachable person pays no statement for this
        await reachability.requeue_missed(uow, sender.id, now=now)
    return person_from_row(sender, **values)


async def by_id(uow: UnitOfWork, user_id: int) -> Person | None:
    """The person as stored now (after-commit work picks a conversation up again)."""
    u = await uow.users.get(user_id)
    return person_from_row(u) if u is not None else None


async def save_state(uow: UnitOfWork, person: Person, state: str | None, data: dict[str, Any]) -> Person:
    await uow.users.update(person.id, state=state, state_data=data)
    return replace(person, state=state, state_data=data)


async def set_locale(uow: UnitOfWork, person: Person, locale: str) -> Person:
    await uow.users.update(person.id, locale=locale)
    return replace(person, locale=locale)
