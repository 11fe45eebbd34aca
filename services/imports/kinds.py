"""A kind of spreadsheet SAPA imports: its columns, its importer, how HR names it.

Each feature that imports something builds its `Kind` in its own service package (`KIND` beside
its importer) and lists it in its manifest (`Feature(..., imports=(KIND,))`);
`handlers.features.bot().imports` is every kind by name, and the pipeline, the chat and `sapa
import` are handed that mapping. Nothing here names a kind.

An importer is `run(uow, table, ctx, dry_run) -> ImportReport`: with `dry_run` it only reads
and returns the plan (new / updated / unchanged / rejected); otherwise it writes what the plan
says. `group` names the column whose equal values must land in one batch (a repeated NIP is
refused, not split across two transactions); a kind without it runs as one batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services.spreadsheet import ImportReport, Table
from services.users import Person


@dataclass(frozen=True)
class Context:
    actor: str  # audit label: "user:ID" or a trusted operator label ("cli")
    actor_user_id: int | None
    person: Person | None  # the HR account acting (a `by_person` kind records its rows in its name)
    tz: ZoneInfo
    now: datetime


Run = Callable[[UnitOfWork, Table, Context, bool], Awaitable[ImportReport]]


@dataclass(frozen=True)
class Kind:
    name: str  # the CLI's `sapa import NAME`, the staged row's kind, the audit action `NAME.import`
    required: tuple[str, ...]
    optional: tuple[str, ...]
    run: Run
    group: str | None = None
    words: tuple[str, ...] = ()  # words of a caption that name the kind, lower case
    label: str = ""  # catalog key of its name in the chat, in the feature's own catalog
    order: int = 50  # place among the buttons HR picks a kind with when the header fits none
    by_person: bool = False  # rows recorded in an HR account's name: `sapa import` needs `--as`

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


Kinds = Mapping[str, Kind]  # by name: `handlers.features.bot().imports`


def detect(kinds: Kinds, header: list[str]) -> Kind | None:
    """The one kind whose required columns the header has and whose columns cover it."""
    fits = [k for k in kinds.values() if set(k.required) <= set(header) and set(header) <= set(k.known)]
    return fits[0] if len(fits) == 1 else None


def from_caption(kinds: Kinds, caption: str) -> Kind | None:
    words = set(caption.lower().replace(",", " ").split())
    fits = [k for k in kinds.values() if words & set(k.words)]
    return fits[0] if len(fits) == 1 else None
