"""What a civil servant wants to be told, topic by topic (`/langganan`).

This feature stores and shows the choice; the topics are the features' registrations: a
feature constructs its `Topic` (key, choices with the default first, the outbox templates it
owns) and lists it in its manifest (`Feature(..., topics=(TOPIC,))`). Its jobs ask
`choices(uow, TOPIC)` (or `subscribers`) who to send to. A person who never chose has the
topic's default. Switching a topic off cancels that person's queued rows of its templates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from db.uow import UnitOfWork
from services.clock import utc_now
from services.errors import DomainError, InvalidInput
from services.users import Person

OFF = "off"


@dataclass(frozen=True)
class Topic:
    """`key` is what a subscription row stores and the button carries; the catalog keys
    sub.line.<key>, sub.topic.<key>, sub.<key>.<choice> and sub.btn.<key>.<choice> are built from it."""

    key: str
    choices: tuple[str, ...]  # the first is the default of who never chose; "off" stops it
    templates: tuple[str, ...] = ()  # outbox templates switching the topic off cancels
    order: int = 50  # its line in /langganan

    @property
    def default(self) -> str:
        return self.choices[0]


class NotLinked(DomainError):
    """Subscriptions are for civil servants with a linked record."""

    def __init__(self) -> None:
        super().__init__("sub.not_linked")


@dataclass(frozen=True)
class Choice:
    topic: str
    choice: str
    is_default: bool  # never chosen: the topic's default applies


@dataclass(frozen=True)
class Subscriptions:
    choices: tuple[Choice, ...]  # in the topics' order

    def of(self, topic: str) -> str:
        return next(c.choice for c in self.choices if c.topic == topic)


def _require_linked(person: Person) -> None:
    if person.employee_id is None:
        raise NotLinked()


def find(topics: Sequence[Topic], key: str) -> Topic | None:
    return next((t for t in topics if t.key == key), None)


def check(topics: Sequence[Topic], topic: str, choice: str) -> Topic:
    found = find(topics, topic)
    if found is None:
        raise InvalidInput("sub.err.topic")
    if choice not in found.choices:
        raise InvalidInput("sub.err.choice")
    return found


async def get(uow: UnitOfWork, person: Person, *, topics: Sequence[Topic]) -> Subscriptions:
    """The person's own choices (defaults where they never chose)."""
    _require_linked(person)
    stored = await uow.subscriptions.of_user(person.id)
    out = []
    for topic in topics:
        value = stored.get(topic.key)
        valid = value in topic.choices  # a choice a later version dropped falls back to the default
        out.append(Choice(topic.key, value if valid and value is not None else topic.default, not valid))
    return Subscriptions(tuple(out))


async def set(uow: UnitOfWork, person: Person, topic: str, choice: str, *,  # noqa: A001
              topics: Sequence[Topic], now: datetime | None = None) -> Subscriptions:
    """Store one choice of the person's own (there is no way to set someone else's)."""
    _require_linked(person)
    found = check(topics, topic, choice)
    await uow.subscriptions.put(person.id, topic, choice, now or utc_now())
    if choice == OFF:  # what the topic's jobs queued for this person and is not sent yet stops now
        await uow.reminders.cancel_pending(person.id, found.templates)
    return await get(uow, person, topics=topics)


async def choices(uow: UnitOfWork, topic: Topic) -> dict[int, str]:
    """user id → effective choice of every linked, not erased civil servant, "off" included."""
    return await uow.subscriptions.choices(topic.key, topic.default)


async def subscribers(uow: UnitOfWork, topic: Topic) -> list[int]:
    """User ids (outbox recipients) who want `topic` in any form, graded choices included (the
    sender narrows those with its own rules: see `choices`)."""
    return [uid for uid, c in (await choices(uow, topic)).items() if c != OFF]
