"""Answering the public-service survey (IKM/SKM, PermenPANRB 14/2017).

A person answers the nine elements for one service unit; the answers travel in the
conversation state and are stored in one insert at the end, so an abandoned survey leaves
nothing half-counted. One response per person per unit per local day (the deployment's
time zone), enforced by a unique key so two concurrent submits cannot both count.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services.errors import InvalidInput
from services.survey import ikm
from services.survey.units import UnitView, unit_by_code, unit_by_id
from services.users import Person

COMMENT_LIMIT = 1000


@dataclass(frozen=True)
class Submitted:
    unit: UnitView
    local_date: date


def local_day(now: datetime, tz: ZoneInfo) -> date:
    """The deployment's calendar day at `now`, which is what "one response per day" counts."""
    return now.astimezone(tz).date()


async def start(uow: UnitOfWork, person: Person, code: str, *, now: datetime, tz: ZoneInfo) -> UnitView:
    """Open a survey for a unit: the unit must exist and the person not have answered it today."""
    unit = await unit_by_code(uow, code)
    await _not_answered_today(uow, person, unit, local_day(now, tz))
    return unit


async def start_by_id(uow: UnitOfWork, person: Person, unit_id: int, *, now: datetime, tz: ZoneInfo) -> UnitView:
    unit = await unit_by_id(uow, unit_id)
    await _not_answered_today(uow, person, unit, local_day(now, tz))
    return unit


async def _not_answered_today(uow: UnitOfWork, person: Person, unit: UnitView, day: date) -> None:
    if await uow.survey.responded_on(unit.id, person.id, day):
        raise InvalidInput("survey.already_today", unit=unit.name)


def check_answer(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not ikm.MIN_SCORE <= value <= ikm.MAX_SCORE:
        raise InvalidInput("survey.bad_answer")
    return value


def check_comment(text: str | None) -> str | None:
    """The comment as stored: trimmed, None when empty; refused (not cut) above the limit."""
    comment = (text or "").strip()
    if not comment:
        return None
    if len(comment) > COMMENT_LIMIT:
        raise InvalidInput("survey.comment_too_long", limit=COMMENT_LIMIT, length=len(comment))
    return comment


async def submit(
    uow: UnitOfWork, person: Person, unit_id: int, answers: list[int], comment: str | None, *,
    now: datetime, tz: ZoneInfo,
) -> Submitted:
    """Store a complete response; refused when the person already answered this unit today."""
    unit = await unit_by_id(uow, unit_id)
    try:
        scores = ikm.validate_answers(answers)
    except ValueError:
        raise InvalidInput("survey.incomplete") from None
    day = local_day(now, tz)
    values: dict[str, object] = {f"q{i}": s for i, s in enumerate(scores, start=1)}
    values.update(unit_id=unit.id, user_id=person.id, local_date=day, comment=check_comment(comment),
                  created_at=now)
    if await uow.survey.add_response_once(values) is None:
        raise InvalidInput("survey.already_today", unit=unit.name)
    return Submitted(unit, day)


