"""What a civil servant wants to be told: vacancy notices and training announcements.

This feature stores and shows the choice; the scheduler's jobs ask `subscribers(uow, topic)`
(or `choices`, to tell "all" from "eligible") who to send to. A person who never chose has
the topic's default: vacancies they are eligible for, and training announcements — the two
things the card promises a linked civil servant, and both can be switched off in one press.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db.uow import UnitOfWork
from services.clock import utc_now
from services.errors import DomainError, InvalidInput
from services.reminders.kinds import TOPIC_TEMPLATES
from services.users import Person

VACANCY, TRAINING = "vacancy", "training"
# topic → its choices, the first being the topic's default.
TOPICS: dict[str, tuple[str, ...]] = {
    VACANCY: ("eligible", "all", "off"),
    TRAINING: ("on", "off"),
}
DEFAULTS = {topic: choices[0] for topic, choices in TOPICS.items()}
OFF = "off"


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
    choices: tuple[Choice, ...]  # in TOPICS order

    def of(self, topic: str) -> str:
        return next(c.choice for c in self.choices if c.topic == topic)


def _require_linked(person: Person) -> None:
    if person.employee_id is None:
        raise NotLinked()


def check(topic: str, choice: str) -> None:
    if topic not in TOPICS:
        raise InvalidInput("sub.err.topic")
    if choice not in TOPICS[topic]:
        raise InvalidInput("sub.err.choice")


async def get(uow: UnitOfWork, person: Person) -> Subscriptions:
    """The person's own choices (defaults where they never chose)."""
    _require_linked(person)
    stored = await uow.subscriptions.of_user(person.id)
    out = []
    for topic in TOPICS:
        value = stored.get(topic)
        valid = value in TOPICS[topic]  # a choice a later version dropped falls back to the default
        out.append(Choice(topic, value if valid and value is not None else DEFAULTS[topic], not valid))
    return Subscriptions(tuple(out))


async def set(uow: UnitOfWork, person: Person, topic: str, choice: str, *,  # noqa: A001
              now: datetime | None = None) -> Subscriptions:
    """Store one choice of the person's own (there is no way to set someone else's)."""
    _require_linked(person)
    check(topic, choice)
    await uow.subscriptions.put(person.id, topic, choice, now or utc_now())
    if choice == OFF:  # what the topic's jobs queued for this person and is not sent yet stops now
        await uow.reminders.cancel_pending(person.id, TOPIC_TEMPLATES.get(topic, ()))
    return await get(uow, person)


async def choices(uow: UnitOfWork, topic: str) -> dict[int, str]:
    """user id → effective choice of every linked, not erased civil servant, "off" included."""
    if topic not in TOPICS:
        raise InvalidInput("sub.err.topic")
    return await uow.subscriptions.choices(topic, DEFAULTS[topic])


async def subscribers(uow: UnitOfWork, topic: str) -> list[int]:
    """User ids (outbox recipients) who want `topic` in any form; for vacancies that includes
    "eligible", which the sender narrows with the vacancy's rules (see `choices`)."""
    return [uid for uid, c in (await choices(uow, topic)).items() if c != OFF]
