"""A feature's manifest, and the one place that assembles the bot from them.

    feature = Feature("training", router, flows=(Search,), notices=(seat_offered,), jobs=(reminders.JOB,),
                      repositories={"trainings": TrainingRepo}, imports=(importer.KIND,), demo=(demo.seed,),
                      reminders=(reminders.KIND,), topics=(reminders.TOPIC,), stats=(stats.SECTION,),
                      audit=(AUDIT,))

`handlers/features.py` lists the features; the shared code (import pipeline, demo seed,
/pengingat, /langganan, /statistik, the audit log, the scheduler, the outbox) reads what they
register from the Assembly. `assemble()` refuses any name or key two features (or one, twice)
claim, as aiogram refuses a router attached twice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

from db.repositories.base import Repo
from handlers.flow import Steps
from handlers.kit import Reply
from handlers.router import DuplicateRegistration, Router
from services.demo import DemoSeeder
from services.imports.kinds import Kind as ImportKind
from services.jobs import Job
from services.notice import Notice
from services.reminders.kinds import ReminderKind
from services.staff.audit import AuditBook, AuditFamily
from services.statistics.section import Section
from services.subscriptions import Topic


@dataclass(frozen=True)
class Renderer:
    """`fn(locale, notice) -> Reply` with the notice type it renders: what `@renders` makes of a
    function, so a manifest's `notices=` carries the type as a typed attribute."""

    notice_type: type[Notice]
    fn: Callable[[str, Any], Reply]

    def __call__(self, loc: str, notice: Any) -> Reply:
        return self.fn(loc, notice)


def renders(notice_type: type[Notice]) -> Callable[[Callable[[str, Any], Reply]], Renderer]:
    """Mark `fn(locale, notice) -> Reply` as the renderer of `notice_type`."""
    def deco(fn: Callable[[str, Any], Reply]) -> Renderer:
        return Renderer(notice_type, fn)
    return deco


@dataclass(frozen=True)
class Feature:
    name: str
    router: Router
    flows: tuple[type[Steps], ...] = ()
    notices: tuple[Renderer, ...] = ()
    jobs: tuple[Job, ...] = ()
    # Its repositories: declared on UnitOfWork (uow.trainings) or reached with uow.get(Repo).
    repositories: Mapping[str, type[Repo]] = field(default_factory=dict)
    # Published with setMyCommands: a name, or (name, order) where the order is not the default 50.
    commands: tuple[str | tuple[str, int], ...] = ()
    imports: tuple[ImportKind, ...] = ()  # the kinds of spreadsheet it imports (services.imports.kinds)
    demo: tuple[DemoSeeder, ...] = ()  # its demo data, seeded after the shared (services.demo.seed_demo)
    reminders: tuple[ReminderKind, ...] = ()  # kinds a person switches in /pengingat
    topics: tuple[Topic, ...] = ()  # what a person subscribes to in /langganan
    audit: tuple[AuditFamily, ...] = ()  # the action families it records, and how the log reads them
    stats: tuple[Section, ...] = ()  # its sections of /statistik (text, charts, exports)

    def __post_init__(self) -> None:
        for f in fields(self):  # a manifest may list its registrations in lists: keep them as tuples
            if isinstance(getattr(self, f.name), list):
                object.__setattr__(self, f.name, tuple(getattr(self, f.name)))


@dataclass
class NoticeBook:
    """Template name → (notice type, renderer): what the outbox sender renders with."""

    entries: dict[str, tuple[type[Notice], Renderer]] = field(default_factory=dict)

    def render(self, template: str, params: dict[str, Any], locale: str) -> Reply:
        """KeyError for an unknown template, TypeError for params that do not fit its type."""
        kind, fn = self.entries[template]
        return fn(locale, kind.from_params(params))


@dataclass
class Assembly:
    """The bot built from its features."""

    features: tuple[Feature, ...]
    router: Router
    notices: NoticeBook
    jobs: tuple[Job, ...]
    repositories: dict[str, type[Repo]]
    flows: tuple[type[Steps], ...]
    commands: tuple[str, ...]
    imports: dict[str, ImportKind] = field(default_factory=dict)  # by kind name, in feature order
    demo: tuple[DemoSeeder, ...] = ()  # in feature order
    reminders: tuple[ReminderKind, ...] = ()  # in /pengingat's order
    topics: tuple[Topic, ...] = ()  # in /langganan's order
    audit: AuditBook = field(default_factory=AuditBook)
    stats: tuple[Section, ...] = ()  # in their order; features' order among equals


def assemble(features: Iterable[Feature]) -> Assembly:
    features = tuple(features)
    claims: dict[str, str] = {}

    def claim(kind: str, name: str, owner: str) -> None:
        key = f"{kind} {name!r}"
        if key in claims:
            raise DuplicateRegistration(f"{key} is registered by {claims[key]} and {owner}")
        claims[key] = owner

    root = Router()
    book = NoticeBook()
    jobs: list[Job] = []
    repos: dict[str, type[Repo]] = {}
    flows: list[type[Steps]] = []
    commands: list[tuple[int, int, str]] = []
    imports: dict[str, ImportKind] = {}
    demo: list[DemoSeeder] = []
    reminders: list[ReminderKind] = []
    topics: list[Topic] = []
    families: list[AuditFamily] = []
    stats: list[Section] = []
    for f in features:
        claim("feature", f.name, f.name)
        root.include(f.router, owner=f.name)
        for fn in f.notices:
            kind = fn.notice_type
            claim("notice", kind.template, f.name)
            book.entries[kind.template] = (kind, fn)
        for job in f.jobs:
            claim("job", job.name, f.name)
            jobs.append(job)
        for name, repo in f.repositories.items():
            claim("repository", name, f.name)
            repos[name] = repo
        for flow in f.flows:
            # Several flows may share a prefix ("cx.kind" of filing, "cx.reply" after it): what
            # must be unique is each step's state name, and a flow listed once.
            claim("flow", f"{flow.__module__}.{flow.__qualname__}", f.name)
            for step in flow.steps:
                claim("step", step.name, f.name)
                if step.name not in root.states:
                    raise LookupError(f"{f.name}: step {step.name} has no @router.step handler")
            flows.append(flow)
        for c in f.commands:
            name, order = (c, 50) if isinstance(c, str) else c
            claim("published command", name, f.name)
            commands.append((order, len(commands), name))
        for family in f.audit:
            claim("audit family", family.name, f.name)
            for target in family.targets:
                claim("audit target", target, f.name)
            for action, detail in family.messages:
                claim("audit message", f"{action} {detail}", f.name)
            for detail in (*family.values, *family.words):
                claim("audit detail", detail, f.name)  # one meaning per field name across the log
            families.append(family)
        for section in f.stats:
            claim("statistics section", section.key, f.name)
            for offer in section.exports:
                claim("statistics export", offer.what, f.name)  # its button data and audit word
            stats.append(section)
        for imported in f.imports:
            claim("import kind", imported.name, f.name)
            imports[imported.name] = imported
        for seed in f.demo:
            claim("demo seeder", f"{seed.__module__}.{seed.__qualname__}", f.name)
            demo.append(seed)
        for rk in f.reminders:
            claim("reminder kind", rk.key, f.name)
            reminders.append(rk)
        for topic in f.topics:
            claim("subscription topic", topic.key, f.name)
            topics.append(topic)
    # A template switched off by two kinds or topics would be cancelled by either: one owner each.
    owners: list[ReminderKind | Topic] = [*reminders, *topics]
    for owner in owners:
        for template in owner.templates:
            claim("cancellable template", template, owner.key)
            if template not in book.entries:
                raise LookupError(f"{owner.key}: template {template} has no notice renderer")
    return Assembly(features, root, book, tuple(jobs), repos, tuple(flows),
                    tuple(name for _, _, name in sorted(commands)), audit=AuditBook.of(families),
                    stats=tuple(sorted(stats, key=lambda s: s.order)), imports=imports, demo=tuple(demo),
                    reminders=tuple(sorted(reminders, key=lambda k: k.order)),
                    topics=tuple(sorted(topics, key=lambda t: t.order)))
