"""A kind of reminder a person can switch in /pengingat, as the feature that sends it registers it.

The reminders feature is the shared machinery (preferences, /pengingat, the occasion runner);
each feature constructs its own `ReminderKind` next to its job and lists it in its manifest
(`Feature(..., reminders=(KIND,))`); `assemble()` collects them, claimed by key, in `order`.
Nothing here names a feature.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # types only: the unit of work imports every repository
    from db.uow import UnitOfWork
    from services.settings import Settings


@dataclass(frozen=True)
class Next:
    """One reminder to come, as /pengingat lists it."""

    kind: str
    when: datetime
    title: str  # user text (what it reminds of): escaped when shown
    mandatory: bool = False  # sent whatever the person's switch says
    occasion: str = ""  # which notice of the kind ("h1", "h0"): the catalog key rm.up.<kind>.<occasion>


@dataclass(frozen=True)
class Upcoming:
    """What one kind adds to a person's /pengingat."""

    items: Sequence[Next] = ()
    mandatory: Sequence[str] = ()  # titles (user text) of what HR made mandatory for the person


# (uow, the person's employee id, is the kind switched on, now, settings) -> what is coming
UpcomingFn = Callable[["UnitOfWork", int, bool, datetime, "Settings"], Awaitable[Upcoming]]


def never_locked(_settings: Settings) -> bool:
    return False


@dataclass(frozen=True)
class ReminderKind:
    """`key` is what a preference row stores, what the switch's button carries and what the
    catalog keys rm.kind.<key> (its label) and rm.up.<key> (a coming one) are built from: never
    renamed. Switching the kind off cancels the person's queued rows of `templates`."""

    key: str
    templates: tuple[str, ...]  # outbox templates a person's switch cancels (a mandatory one is not listed)
    order: int  # its line in /pengingat
    icon: str = "🔔"
    # The notices /pengingat tells apart (Next.occasion): rm.up.<key>.<occasion> each; none: rm.up.<key>
    occasions: tuple[str, ...] = ()
    upcoming: UpcomingFn | None = field(default=None, compare=False)
    # True: the kind cannot be switched off in this deployment (HR made all of it mandatory)
    locked: Callable[[Settings], bool] = field(default=never_locked, compare=False)


def find(kinds: Sequence[ReminderKind], key: str) -> ReminderKind | None:
    return next((k for k in kinds if k.key == key), None)
