"""Broadcast buttons (prefix "bc") and the steps of composing one.

Ids are hints: every action's service checks that the presser is HR or a superadmin.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.callbacks import Callback
from handlers.flow import Step, Steps

# The fixed filters; a subscription topic's key (the features register them) is a kind too.
FILTERS = ("all", "agency", "gol", "kind", "pns", "pppk", "cit")


class Start(Callback, prefix="bc:new"):
    pass


class Aud(Callback, prefix="bc:au"):
    broadcast_id: int
    kind: str

    def valid(self) -> bool:
        from handlers.features import bot  # the topics are the features' registrations

        return self.kind in FILTERS or any(tp.key == self.kind for tp in bot().topics)


class Show(Callback, prefix="bc:pv"):
    broadcast_id: int


class Send(Callback, prefix="bc:go"):
    broadcast_id: int
    urgent: bool = False


class Schedule(Callback, prefix="bc:sc"):
    broadcast_id: int


class Stop(Callback, prefix="bc:x"):
    broadcast_id: int


class Rush(Callback, prefix="bc:ur"):
    """A held broadcast: send it now, as urgent."""

    broadcast_id: int


class Later(Callback, prefix="bc:mv"):
    """A held broadcast: another time."""

    broadcast_id: int


class Again(Callback, prefix="bc:cp"):
    """A stopped or finished broadcast: a new draft from it."""

    broadcast_id: int


class Edit(Callback, prefix="bc:ed"):
    """A draft: type its text again."""

    broadcast_id: int


class Export(Callback, prefix="bc:xl"):
    broadcast_id: int


class News(Callback, prefix="bc:nw"):
    on: bool


class Compose(Steps, prefix="bc"):
    """Typing the broadcast (or sending a photo/document with a caption)."""

    text = Step()


class Filtering(Steps, prefix="bc"):
    """Typing one audience filter: agency codes, a golongan range, jabatan kinds."""

    agencies = Step()
    golongan = Step()
    kinds = Step()


class Scheduling(Steps, prefix="bc"):
    """Typing when a confirmed broadcast should start."""

    time = Step()


FLOWS: tuple[type[Steps], ...] = (Compose, Filtering, Scheduling)


@dataclass
class BcDraft:
    broadcast_id: int = 0
    waiting: bool = False  # scheduling: a confirmed broadcast moved to another time, not a draft
