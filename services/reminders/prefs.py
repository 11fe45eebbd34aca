"""`/pengingat`: which reminders a person will get, the next ones with dates, and switching kinds.

Reminders are on unless switched off. Switching a kind off cancels that kind's rows still
queued for the person at once. The kinds are the features' registrations (`kinds`, in their
order); a kind may be locked on (HR made all of it mandatory) and may list, of what is coming,
things sent whatever the switch says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from db.uow import UnitOfWork
from services import subscriptions as subs
from services.errors import DomainError, InvalidInput
from services.reminders.kinds import Next, ReminderKind, find
from services.roles import Role
from services.settings import Settings
from services.users import Person

SHOW_NEXT = 6


class NotLinked(DomainError):
    def __init__(self) -> None:
        super().__init__("rm.not_linked")


class Mandatory(DomainError):
    """HR made all of this kind mandatory: it stays on."""

    def __init__(self) -> None:
        super().__init__("rm.err.mandatory")


@dataclass(frozen=True)
class KindState:
    kind: str
    enabled: bool
    locked: bool  # cannot be switched off (mandatory)
    icon: str = "🔔"


@dataclass(frozen=True)
class Overview:
    kinds: tuple[KindState, ...]
    upcoming: tuple[Next, ...]
    subscriptions: subs.Subscriptions
    mandatory_periods: tuple[str, ...]  # of what is coming to the person, what HR made mandatory
    duty: bool  # staff: their duty reminders always come


def _check(person: Person) -> int:
    if person.employee_id is None:
        raise NotLinked()
    return person.employee_id


async def overview(uow: UnitOfWork, person: Person, *, kinds: Sequence[ReminderKind], topics: Sequence[subs.Topic],
                   now: datetime, settings: Settings) -> Overview:
    employee_id = _check(person)
    stored = await uow.reminders.prefs_of(person.id)
    states: list[KindState] = []
    nxt: list[Next] = []
    must: list[str] = []
    for k in kinds:
        locked = k.locked(settings)
        state = KindState(k.key, True if locked else stored.get(k.key, True), locked, k.icon)
        states.append(state)
        if k.upcoming is not None:
            found = await k.upcoming(uow, employee_id, state.enabled, now, settings)
            nxt += found.items
            must += found.mandatory
    return Overview(tuple(states), tuple(sorted(nxt, key=lambda n: n.when)[:SHOW_NEXT]),
                    await subs.get(uow, person, topics=topics), tuple(dict.fromkeys(must)),
                    person.role in (Role.OFFICER, Role.HR))


async def switch(uow: UnitOfWork, person: Person, kind: str, enabled: bool, *, kinds: Sequence[ReminderKind],
                 topics: Sequence[subs.Topic], now: datetime, settings: Settings) -> Overview:
    """Switch one of the person's own kinds; off cancels that kind's queued rows at once."""
    _check(person)
    found = find(kinds, kind)
    if found is None:
        raise InvalidInput("rm.err.kind")
    if not enabled and found.locked(settings):
        raise Mandatory()
    await uow.reminders.put_pref(person.id, kind, enabled, now)
    if not enabled:
        await uow.reminders.cancel_pending(person.id, found.templates)
    return await overview(uow, person, kinds=kinds, topics=topics, now=now, settings=settings)
