"""Who can be told: linked, reachable civil servants, minus those who switched a kind off."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, tzinfo

from db.uow import UnitOfWork
from services import civil_service as cs
from services import subscriptions as subs


async def linked(uow: UnitOfWork, kind: str | None = None) -> dict[int, int]:
    """employee id → user id; without those who switched `kind` off in /pengingat."""
    people = await uow.reminders.reachable_linked()
    if kind is None:
        return people
    off = await uow.reminders.switched_off(kind)
    return {e: u for e, u in people.items() if u not in off}


async def subscribed(uow: UnitOfWork, topic: subs.Topic) -> dict[int, tuple[int, str]]:
    """employee id → (user id, choice) of reachable people whose /langganan choice for `topic` is not off."""
    choices = await subs.choices(uow, topic)
    return {e: (u, choices[u]) for e, u in (await linked(uow)).items() if choices.get(u, subs.OFF) != subs.OFF}


async def records(uow: UnitOfWork, employee_ids: Sequence[int]) -> dict[int, cs.Record]:
    return {e.id: cs.record(e.id, e.nip, e.agency_id, e.golongan, e.jabatan_kind, e.employment, e.birth_date,
                            e.tmt) for e in await uow.reminders.employees(list(employee_ids))}


def at_local(day: date, hour: int, tz: tzinfo) -> datetime:
    """`hour`:00 on `day` in the deployment's zone (an aware datetime; compare it with UTC freely)."""
    return datetime.combine(day, time(hour), tzinfo=tz)
