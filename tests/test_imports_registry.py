"""Import kinds and demo seeders come from the features' manifests: a feature that registers a kind
has its files recognised and imported by the shared pipeline, its demo data seeded after the
shared demo data, and two features cannot claim one kind name."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from db.models import Agency
from db.uow import UnitOfWork
from handlers.feature import Feature, assemble
from handlers.features import bot
from handlers.router import DuplicateRegistration, Router
from services.demo import EMPLOYEES, seed_demo
from services.imports import pipeline
from services.imports.kinds import Context, Kind, detect, from_caption
from services.spreadsheet import ImportReport, Table

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
TZ = ZoneInfo("Asia/Makassar")
seen: list[tuple[str, list[dict[str, str]], bool]] = []


async def _widgets(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    seen.append((ctx.actor, [row for _, row in table.rows], dry_run))
    return ImportReport(created=len(table.rows))


async def _gadgets(uow: UnitOfWork, table: Table, ctx: Context, dry_run: bool) -> ImportReport:
    raise AssertionError("a widget file went to the gadgets' importer")


WIDGETS = Kind("widgets", ("code", "size"), ("colour",), _widgets, words=("widget",), label="wd.import_kind")
GADGETS = Kind("gadgets", ("code", "weight"), (), _gadgets, words=("gadget",), label="gd.import_kind")


def _assembled() -> dict[str, Kind]:
    return assemble([Feature("widgets", Router("widgets"), imports=(WIDGETS,)),
                     Feature("gadgets", Router("gadgets"), imports=(GADGETS,))]).imports


async def test_a_features_kind_is_detected_from_a_header_and_run_by_the_pipeline(db) -> None:  # noqa: ANN001
    kinds = _assembled()
    assert list(kinds) == ["widgets", "gadgets"]
    assert detect(kinds, ["code", "size", "colour"]) is WIDGETS
    assert detect(kinds, ["code"]) is None  # fits no kind's required columns: HR is asked
    assert from_caption(kinds, "Widget list, November") is WIDGETS
    parsed = pipeline.parse(kinds, b"code,size,colour\nW-1,3,red\nW-2,5,\n", "stock.csv")
    assert parsed.kind is WIDGETS
    seen.clear()
    report = await pipeline.run(db, "cli", WIDGETS, parsed.table, dry_run=False, tz=TZ, now=NOW,
                                file_name="stock.csv")
    assert report.created == 2
    assert seen == [("cli", [{"code": "W-1", "size": "3", "colour": "red"}, {"code": "W-2", "size": "5", "colour": ""}],
                     False)]
    async with db.uow() as uow:  # audited once, as `<kind>.import`, like every kind
        [entry] = [a for a in await uow.audit.recent(10) if a.action == "widgets.import"]
    assert entry.details["created"] == 2
    # The real bot's kinds are not in this assembly: a file of employees is not recognised here.
    assert pipeline.parse(kinds, b"nip,name\n1,x\n", "p.csv").kind is None


def test_the_real_bot_imports_what_its_features_register() -> None:
    owners = {k.name: f.name for f in bot().features for k in f.imports}
    assert owners == {"employees": "account", "agencies": "opd", "appraisals": "appraisal",
                      "trainings": "training", "results": "vacancies_admin"}


def test_two_features_claiming_one_kind_name_are_refused() -> None:
    other = Kind("widgets", ("sku",), (), _gadgets)
    with pytest.raises(DuplicateRegistration, match="import kind 'widgets'.*two"):
        assemble([Feature("one", Router("one"), imports=(WIDGETS,)), Feature("two", Router("two"), imports=(other,))])
    with pytest.raises(DuplicateRegistration, match="demo seeder"):
        assemble([Feature("one", Router("one"), demo=(_seed_widgets,)),
                  Feature("two", Router("two"), demo=(_seed_widgets,))])


ran: list[str] = []


async def _seed_widgets(uow: UnitOfWork, now: datetime) -> None:
    # The shared demo data is there (flushed) before any feature's seeder runs.
    assert set(await uow.employees.by_nips([e[0] for e in EMPLOYEES])) == {e[0] for e in EMPLOYEES}
    uow.agencies.add(Agency(code="WIDGET", name="Widget Works", keywords=["widget"], active=True))
    ran.append(f"widgets {now:%Y-%m-%d}")


async def _seed_gadgets(uow: UnitOfWork, now: datetime) -> None:
    assert await uow.agencies.by_code("WIDGET") is not None  # the features' order: widgets' data first
    ran.append("gadgets")


async def test_a_features_demo_seeder_runs_in_seed_demo_in_feature_order(db) -> None:  # noqa: ANN001
    assembly = assemble([Feature("widgets", Router("widgets"), demo=(_seed_widgets,)),
                         Feature("gadgets", Router("gadgets"), demo=(_seed_gadgets,))])
    ran.clear()
    async with db.uow() as uow:
        await seed_demo(uow, NOW, assembly.demo)
        await uow.commit()
    assert ran == ["widgets 2026-11-23", "gadgets"]
    async with db.uow() as uow:
        assert await uow.agencies.by_code("WIDGET") is not None
        assert await uow.survey.unit_by_code("DUKCAPIL-01") is None  # only the features listed seeded theirs


async def test_hr_picks_a_kind_among_the_features_and_a_kind_no_feature_registers_is_refused(app, person):  # noqa: ANN001
    from sqlalchemy import select

    from db.models.imports import StagedImport
    from tests.imports_helpers import employees_csv

    hr = person(700003, "Ahmad")
    await hr.send_document("lebih.csv", employees_csv(2).replace(b"employment\n", b"employment,catatan\n", 1))
    # The features' labels, in each kind's `order` (not the features' order).
    assert hr.last_labels() == ["data pegawai", "SKP", "pelatihan", "hasil seleksi", "OPD", "✖️ Batal"]
    async with app.db.uow() as uow:
        staged = (await uow.session.execute(select(StagedImport))).scalar_one()
    await hr.press_data(f"imp:k:{staged.id}:widgets")  # forged: no feature registers it
    assert "kedaluwarsa" in hr.last_text()
    async with app.db.uow() as uow:
        assert (await uow.imports.get(staged.id)).status == "asking"  # still waiting for a real kind
    assert "Kolom tak dikenal" not in hr.all_text()
    await hr.press("data pegawai")  # the question's message becomes the answer
    assert "Kolom tak dikenal: catatan" in hr.all_text()
