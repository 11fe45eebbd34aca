"""What training's reminders push (template names unchanged: queued rows carry them). Dates are
ISO 8601 in UTC with the zone name to show them in; lists travel as JSON text, as notice fields
are scalars.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from services.notice import Notice


class TrainingTomorrow(Notice, template="rm.tr.h1"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    training_id: int
    title: str
    starts_at: str
    place: str | None
    online_url: str | None
    tz: str


class TrainingToday(TrainingTomorrow, template="rm.tr.h0"):
    """The morning itself (H-0): the same fields as the day before's, under its own template."""


class RegistrationClosing(Notice, template="rm.tr.closing"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    training_id: int
    title: str
    closes_at: str
    starts_at: str
    tz: str


class JpNudge(Notice, template="rm.jp"):
    missed = False  # a reminder is about a moment that has passed; the next occasion reaches them
    year: int
    counted: int
    target: int
    trainings: str  # JSON [{"id", "title", "jp", "starts_at"}]: open trainings that fit the person
    tz: str


@dataclass(frozen=True)
class Suggestion:
    """An open training a JP nudge suggests; `JpNudge.trainings` holds a JSON list of these."""

    id: int
    title: str
    jp: int | None  # None: not in the data (a row written by hand or by an older version)
    starts_at: str  # ISO 8601


def dump_suggestions(items: Sequence[Suggestion]) -> str:
    """`JpNudge.trainings` for these trainings."""
    return json.dumps([asdict(s) for s in items])


def read_suggestions(raw: str) -> list[Suggestion]:
    """The list a JP nudge carries; an item without an int id and a text start (an old or broken
    row) is left out, and text that is not a JSON list is no suggestion."""
    try:
        items = json.loads(raw)
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    return [_suggestion(i) for i in items if isinstance(i, dict) and isinstance(i.get("id"), int)
            and isinstance(i.get("starts_at"), str)]


def _suggestion(item: dict[str, Any]) -> Suggestion:
    jp = item.get("jp")
    return Suggestion(id=item["id"], title=str(item.get("title", "")), jp=jp if isinstance(jp, int) else None,
                      starts_at=item["starts_at"])
