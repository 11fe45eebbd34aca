"""The kinds of spreadsheet SAPA imports, each with its columns and its importer.

An importer is `run(uow, table, ctx, dry_run) -> ImportReport`: with `dry_run` it only reads
and returns the plan (new / updated / unchanged / rejected); otherwise it writes what the plan
says. `group` names the column whose equal values must land in one batch (a repeated NIP is
refused, not split across two transactions); a kind without it runs as one batch.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
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
    person: Person | None  # the HR account acting (stage results are recorded in its name)
    tz: ZoneInfo
    now: datetime


Run = Callable[[UnitOfWork, Table, Context, bool], Awaitable[ImportReport]]


@dataclass(frozen=True)
class Kind:
    name: str  # employees | appraisals | trainings | agencies | results
    required: tuple[str, ...]
    optional: tuple[str, ...]
    run: Run
    group: str | None = None
    words: tuple[str, ...] = ()  # a caption naming the kind ("pegawai", "skp"…)

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


async def _employees(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    from services.account import employees

    return await employees.import_rows(uow, table.rows, actor=ctx.actor, actor_user_id=ctx.actor_user_id,
                                       dry_run=dry_run, audit=False)


async def _appraisals(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    from services.appraisal import importer

    return await importer.import_rows(uow, table.header, table.rows, tz=ctx.tz, actor=ctx.actor,
                                      actor_user_id=ctx.actor_user_id, dry_run=dry_run, audit=False)


async def _trainings(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    from services.training import importer

    return await importer.import_rows(uow, table.header, table.rows, actor=ctx.actor, tz=ctx.tz, now=ctx.now,
                                      actor_user_id=ctx.actor_user_id, dry_run=dry_run, audit=False)


async def _agencies(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    from services.agencies import importing

    return await importing.import_rows(uow, table.header, table.rows, actor=ctx.actor,
                                       actor_user_id=ctx.actor_user_id, dry_run=dry_run, audit=False)


async def _results(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    from services.vacancies import results_import

    return await results_import.import_rows(uow, ctx.person, table.header, table.rows, now=ctx.now,
                                            dry_run=dry_run)


def _kinds() -> dict[str, Kind]:
    from services.account import employees
    from services.agencies import importing
    from services.appraisal import importer as skp
    from services.training import importer as trn
    from services.vacancies import results_import as res

    return {k.name: k for k in (
        Kind("employees", employees.COLUMNS, employees.OPTIONAL, _employees, "nip",
             ("pegawai", "employee", "employees", "asn")),
        Kind("appraisals", skp.REQUIRED, skp.OPTIONAL, _appraisals, "nip", ("skp", "appraisal", "appraisals")),
        Kind("trainings", trn.REQUIRED, trn.OPTIONAL, _trainings, None, ("pelatihan", "training", "trainings")),
        Kind("agencies", importing.REQUIRED, importing.OPTIONAL, _agencies, None, ("opd", "agency", "agencies")),
        Kind("results", res.REQUIRED, res.OPTIONAL, _results, None, ("hasil", "seleksi", "results")),
    )}


KINDS = _kinds()


def detect(header: list[str]) -> Kind | None:
    """The one kind whose required columns the header has and whose columns cover it."""
    fits = [k for k in KINDS.values() if set(k.required) <= set(header) and set(header) <= set(k.known)]
    return fits[0] if len(fits) == 1 else None


def from_caption(caption: str) -> Kind | None:
    words = set(caption.lower().replace(",", " ").split())
    fits = [k for k in KINDS.values() if words & set(k.words)]
    return fits[0] if len(fits) == 1 else None
