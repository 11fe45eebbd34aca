"""`/pengingat`: which reminders a person will get, the next ones with dates, and switching kinds.

Reminders are on unless switched off. Switching a kind off cancels that kind's rows still
queued for the person at once. SKP reminders of periods HR made mandatory (SAPA_SKP_MANDATORY)
are sent regardless; with "all", the SKP kind cannot be switched off at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from db.uow import UnitOfWork
from services import subscriptions as subs
from services.appraisal.status import is_final
from services.errors import DomainError, InvalidInput
from services.reminders import audience
from services.reminders.appraisal import due_times
from services.reminders.jp import FIRST_MONTH
from services.reminders.kinds import (
    JP,
    KINDS,
    SKP,
    TEMPLATES,
    TRAINING,
    VACANCY_DOCS,
    all_mandatory,
    mandatory,
)
from services.reminders.training import occasions_of
from services.reminders.vacancies import CLOSING_NOTICE
from services.roles import Role
from services.settings import Settings
from services.users import Person

SHOW_NEXT = 6


class NotLinked(DomainError):
    def __init__(self) -> None:
        super().__init__("rm.not_linked")


class Mandatory(DomainError):
    """HR made every SKP deadline mandatory: that kind stays on."""

    def __init__(self) -> None:
        super().__init__("rm.err.mandatory")


@dataclass(frozen=True)
class KindState:
    kind: str
    enabled: bool
    locked: bool  # cannot be switched off (mandatory)


@dataclass(frozen=True)
class Next:
    kind: str
    when: datetime
    title: str  # user text (a training's title, a period label): escaped when shown
    mandatory: bool = False
    occasion: str = ""  # which notice of the kind: a training's "h1" (the day before) or "h0" (the day)


@dataclass(frozen=True)
class Overview:
    kinds: tuple[KindState, ...]
    upcoming: tuple[Next, ...]
    subscriptions: subs.Subscriptions
    mandatory_periods: tuple[str, ...]  # of the person's periods, those HR made mandatory
    duty: bool  # staff: complaint deadline reminders always come


def _check(person: Person) -> int:
    if person.employee_id is None:
        raise NotLinked()
    return person.employee_id


async def overview(uow: UnitOfWork, person: Person, *, now: datetime, settings: Settings) -> Overview:
    employee_id = _check(person)
    stored = await uow.reminders.prefs_of(person.id)
    all_skp = all_mandatory(settings.skp_mandatory)
    kinds = tuple(KindState(k, True if (k == SKP and all_skp) else stored.get(k, True), k == SKP and all_skp)
                  for k in KINDS)
    enabled = {k.kind for k in kinds if k.enabled}
    found = await uow.reminders.upcoming_for(employee_id, now)
    nxt: list[Next] = []
    for t in found["trainings"]:
        if TRAINING in enabled:
            nxt += [Next(TRAINING, o.due, t.title, occasion=o.key.split(":")[1])
                    for o in occasions_of(t, settings) if o.due > now]
    periods: list[str] = []
    for a in found["appraisals"]:
        if is_final(a) or a.deadline is None:
            continue
        must = mandatory(settings.skp_mandatory, a.period)
        if must:
            periods.append(a.period)
        if SKP in enabled or must:
            nxt += [Next(SKP, when, a.period, must) for _, when in due_times(a.deadline, settings) if when > now]
    for v in found["vacancies"]:
        if VACANCY_DOCS in enabled and v.closes_at - CLOSING_NOTICE > now:
            nxt.append(Next(VACANCY_DOCS, v.closes_at - CLOSING_NOTICE, v.jabatan))
    if JP in enabled:
        nxt.append(Next(JP, _next_jp(now, settings), ""))
    return Overview(kinds, tuple(sorted(nxt, key=lambda n: n.when)[:SHOW_NEXT]), await subs.get(uow, person),
                    tuple(dict.fromkeys(periods)), person.role in (Role.OFFICER, Role.HR))


def _next_jp(now: datetime, settings: Settings) -> datetime:
    """The first of the next month from July on (the job then checks the person is below target)."""
    local = now.astimezone(settings.tz).date()
    if local.month < FIRST_MONTH:
        day = date(local.year, FIRST_MONTH, 1)
    elif local.month == 12:
        day = date(local.year + 1, FIRST_MONTH, 1)
    else:
        day = date(local.year, local.month + 1, 1)
    return audience.at_local(day, settings.reminder_morning_hour, settings.tz)


async def switch(uow: UnitOfWork, person: Person, kind: str, enabled: bool, *, now: datetime,
                 settings: Settings) -> Overview:
    """Switch one of the person's own kinds; off cancels that kind's queued rows at once."""
    _check(person)
    if kind not in KINDS:
        raise InvalidInput("rm.err.kind")
    if kind == SKP and not enabled and all_mandatory(settings.skp_mandatory):
        raise Mandatory()
    await uow.reminders.put_pref(person.id, kind, enabled, now)
    if not enabled:
        await uow.reminders.cancel_pending(person.id, TEMPLATES[kind])
    return await overview(uow, person, now=now, settings=settings)
