"""Stage results from a spreadsheet: through selection.record_result, a dry run first, idempotent."""

from __future__ import annotations

from sqlalchemy import select

from db.models import AuditLog, VacancyResult
from handlers.features import bot
from services.imports import pipeline
from tests.imports_helpers import reasons, snapshot
from tests.test_vacancies_service import BUDI, SITI, TZ, applied, world  # noqa: F401 - the fixture


async def test_results_import_plans_then_records_each_result_and_a_reimport_is_unchanged(world):  # noqa: F811
    db, now = world["db"], world["now"]
    await applied(db, world["siti"], world["jf"], now)
    await applied(db, world["budi"], world["jf"], now)
    csv = (f"nip,vacancy,stage,status,score\n"
           f"{SITI},jf-dinkes-2026-01,1,lulus,82.5\n"
           f"{BUDI},JF-DINKES-2026-01,1,tidak lulus,40\n"
           f"{SITI},JF-DINKES-2026-01,9,lulus,\n"          # 4: no such stage
           f"{SITI},NOPE,1,lulus,\n"                       # 5: unknown vacancy
           f"199912312020121001,JF-DINKES-2026-01,1,lulus,\n"  # 6: no application
           f"{BUDI},JF-DINKES-2026-01,1,bagus,\n"          # 7: bad status
           f"{SITI},JF-DINKES-2026-01,1,lulus,101\n").encode()  # 8: bad score
    parsed = pipeline.parse(bot().imports, csv, "hasil.csv")
    assert parsed.kind is bot().imports["results"]  # recognised from the header
    before = await snapshot(db)
    plan = await pipeline.run(db, world["ahmad"], parsed.kind, parsed.table, dry_run=True, tz=TZ, now=now)
    assert await snapshot(db) == before
    assert plan.created == 2
    assert [(e.line, e.column) for e in plan.errors] == [(4, "stage"), (5, "vacancy"), (6, "nip"), (7, "status"),
                                                         (8, "score")]
    assert reasons(plan) == {
        4: "Lowongan JF-DINKES-2026-01 tidak punya tahap «9».", 5: "Lowongan dengan kode «NOPE» tidak ada.",
        6: "NIP 19991231 ****** 1 001 tidak punya lamaran terkirim untuk lowongan JF-DINKES-2026-01.",
        7: "Harus lulus, tidak_lulus atau menunggu, tertulis «bagus».", 8: "Harus angka 0–100, tertulis «101»."}
    assert all(SITI not in r for r in reasons(plan).values())
    tz = TZ
    done = await pipeline.run(db, world["ahmad"], parsed.kind, parsed.table, dry_run=False, tz=tz, now=now,
                              file_name="hasil.csv")
    assert done.created == 2
    async with db.uow() as uow:
        results = list((await uow.session.execute(select(VacancyResult))).scalars())
        audit = [a.action for a in (await uow.session.execute(select(AuditLog))).scalars()]
    assert sorted((r.status, r.score) for r in results) == [("lulus", 82.5), ("tidak_lulus", 40.0)]
    assert audit.count("vacancy.result") == 2 and audit.count("results.import") == 1
    again = await pipeline.run(db, world["ahmad"], parsed.kind, parsed.table, dry_run=False, tz=tz, now=now)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
