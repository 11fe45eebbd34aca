"""Reading the audit log (superadmins), exporting it, and recording refused attempts.

HR does not read the log: it records HR's own actions too, and it is the superadmins' means of
overseeing every staff member. A refused attempt ("denied") is recorded for anyone, at most one
entry per person, per command or button, per minute: a flood of forged buttons cannot flood
the table.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from db.repositories.audit import AuditQuery
from db.uow import UnitOfWork
from services.errors import InvalidInput
from services.roles import Role, require_role
from services.users import Person

PAGE = 8
EXPORT_MAX = 50_000  # rows in one file; a larger period is exported in parts
DENIED = "denied"
DENIED_EVERY = timedelta(minutes=1)
PREFIX_MAX = 40


# A detail a feature records with a meaning of its own (a broadcast's audience):
# `fn(locale, recorded value) -> plain text` in the reader's language; the audit log escapes it.
AuditWords = Callable[[str, Any], str]


@dataclass(frozen=True)
class AuditFamily:
    """The actions a feature records, and how the log reads what they record.

    The feature constructs it and lists it in its manifest (`Feature(..., audit=(FAMILY,))`);
    the audit log (chat, XLSX, filters) knows no feature and reads every family the same way.
    Keys are catalog keys; a pattern's `{}` is the recorded code."""

    name: str  # the actions' prefix ("training" of training.create): the filter's value
    label: str | None = None  # the filter button's key; None: not offered as a filter
    order: int = 50  # place among the filter buttons
    targets: Mapping[str, str] = field(default_factory=dict)  # target kind ("training:14") → key given `id`
    # (action, field) → (key pattern of the recorded message code, the key when that one will not do)
    messages: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)  # detail field → key pattern of its codes
    words: Mapping[str, AuditWords] = field(default_factory=dict)  # detail field → its words
    free_text: frozenset[str] = frozenset()  # detail fields a person typed: never read as a code
    codes: tuple[str, ...] = ()  # key patterns a coded value in any detail field may have words under


def action_label(family: str) -> str:
    """The key pattern of a family's action labels, for a detail that records an action's name."""
    return f"sf.act.{family}.{{}}"


@dataclass(frozen=True)
class AuditBook:
    """Every feature's families, merged: what the audit log reads entries with."""

    families: tuple[AuditFamily, ...] = ()  # in their order
    targets: Mapping[str, str] = field(default_factory=dict)
    messages: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    words: Mapping[str, AuditWords] = field(default_factory=dict)
    free_text: frozenset[str] = frozenset()
    codes: tuple[str, ...] = ()

    @classmethod
    def of(cls, families: Iterable[AuditFamily]) -> AuditBook:
        """Merged as given: a name claimed twice is the caller's to refuse (`assemble()` does)."""
        fams = tuple(sorted(families, key=lambda f: f.order))
        return cls(fams, {k: v for f in fams for k, v in f.targets.items()},
                   {k: v for f in fams for k, v in f.messages.items()},
                   {k: v for f in fams for k, v in f.values.items()},
                   {k: v for f in fams for k, v in f.words.items()},
                   frozenset(x for f in fams for x in f.free_text), tuple(c for f in fams for c in f.codes))

    def family(self, name: str) -> AuditFamily | None:
        return next((f for f in self.families if f.name == name), None)

    @property
    def filters(self) -> tuple[AuditFamily, ...]:
        """The families offered as filter buttons."""
        return tuple(f for f in self.families if f.label)


@dataclass(frozen=True)
class Filter:
    """What the superadmin asked for. `person` is a Telegram id (what they know of someone)."""

    person: int | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Entry:
    at: datetime
    actor_label: str
    actor_user_id: int | None
    actor_name: str | None
    action: str
    target: str | None
    before: Any
    after: Any
    details: dict[str, Any]  # the rest of what was recorded


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    page: int
    pages: int
    total: int
    unknown_person: bool = False  # the filter's person has no account: nothing can match


def clean_prefix(raw: str) -> str:
    """An action prefix as typed: `role`, `complaint.`, `denied`; letters, digits, `._-` only."""
    text = raw.strip().lower()
    if not text or len(text) > PREFIX_MAX or not all(c.isascii() and (c.isalnum() or c in "._-") for c in text):
        raise InvalidInput("sf.err.bad_prefix", max=PREFIX_MAX)
    return text


def _entry(row: Any, name: str | None) -> Entry:
    details = dict(row.details or {})
    before, after = details.pop("before", None), details.pop("after", None)
    if before is None and after is None and "previous" in details and "role" in details:
        before, after = details.pop("previous"), details.pop("role")  # grants from before before/after
    return Entry(row.at, row.actor_label, row.actor_user_id, name, row.action, row.target, before, after, details)


async def _query(uow: UnitOfWork, f: Filter) -> AuditQuery | None:
    user_id = None
    if f.person is not None:
        u = await uow.users.by_external("telegram", f.person)
        if u is None:
            return None
        user_id = u.id
    return AuditQuery(user_id, f.action, f.since, f.until)


async def browse(uow: UnitOfWork, actor: Person, f: Filter, page: int = 1) -> Page:
    """One page of the filtered log, newest first."""
    require_role(actor.role, Role.SUPERADMIN)
    q = await _query(uow, f)
    if q is None:
        return Page([], 1, 1, 0, unknown_person=True)
    total = await uow.audit.count(q)
    pages = max(1, -(-total // PAGE))
    page = min(max(1, page), pages)
    rows = await uow.audit.search(q, limit=PAGE, offset=(page - 1) * PAGE)
    return Page([_entry(r, n) for r, n in rows], page, pages, total)


async def export(uow: UnitOfWork, actor: Person, f: Filter, *, now: datetime) -> list[Entry]:
    """Every entry the filter selects (up to EXPORT_MAX), newest first; the export itself is audited."""
    require_role(actor.role, Role.SUPERADMIN)
    q = await _query(uow, f)
    rows = [] if q is None else await uow.audit.search(q, limit=EXPORT_MAX)
    uow.audit.record(f"user:{actor.id}", "audit.export", None, actor_user_id=actor.id, at=now, rows=len(rows),
                     person=f.person, prefix=f.action, since=f.since.isoformat() if f.since else None,
                     until=f.until.isoformat() if f.until else None)
    return [_entry(r, n) for r, n in rows]


async def record_denied(uow: UnitOfWork, person: Person, what: str, code: str, *, now: datetime) -> bool:
    """A refused attempt (a staff command or button by someone without the role, or any other
    Forbidden): recorded unless the same person tried the same thing within the last minute."""
    what = what[:200]
    if await uow.audit.has_since(person.id, DENIED, what, now - DENIED_EVERY):
        return False
    uow.audit.record(f"user:{person.id}", DENIED, what, actor_user_id=person.id, at=now, role=person.role,
                     code=code[:64])
    return True
