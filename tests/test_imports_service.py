"""The import pipeline's services: who may (every action × six roles), dry runs write nothing,
the CLI's --dry-run, and stage results through selection.record_result."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli import main
from handlers.features import bot
from services.errors import Forbidden
from services.imports import pipeline, staging
from services.users import Person
from tests.imports_helpers import employees_csv, snapshot

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
ROLES = {"citizen": "citizen", "asn_linked": "asn", "officer": "officer", "hr": "hr", "superadmin": "superadmin",
         "unlinked": "citizen"}


def _person(uid: int, role: str, employee_id: int | None = None) -> Person:
    return Person(id=uid, chat_id=uid, external_id=uid, name="x", username=None, role=role, agency_id=None,
                  employee_id=employee_id, locale=None, language_code="id")


async def _user_id(db, external_id: int) -> int:  # noqa: ANN001
    async with db.uow() as uow:
        u = await uow.users.by_external("telegram", external_id)
        return u.id


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_import_action_is_for_hr_and_superadmins_only(app, role):
    allowed = role in ("hr", "superadmin")
    uid = await _user_id(app.db, 700003)  # a real user row (staging refers to it)
    who = _person(uid, ROLES[role], employee_id=1 if role == "asn_linked" else None)
    parsed = pipeline.parse(bot().imports, employees_csv(2), "p.csv")
    before = await snapshot(app.db, skip={"processed_updates", "users"})

    async def stage() -> object:
        async with app.db.uow() as uow:
            s = await staging.stage(uow, who, "f1", "p.csv", 10, None, now=NOW)
            await uow.commit()
            return s

    actions = {
        "stage": stage,
        "dry_run": lambda: pipeline.run(app.db, who, parsed.kind, parsed.table, dry_run=True, tz=app.settings.tz,
                                        now=NOW),
        "apply": lambda: pipeline.run(app.db, who, parsed.kind, parsed.table, dry_run=False, tz=app.settings.tz,
                                      now=NOW),
    }
    for name, act in actions.items():
        if allowed:
            await act()
        else:
            with pytest.raises(Forbidden):
                await act()
            assert await snapshot(app.db, skip={"processed_updates", "users"}) == before, name
    for name, fn in (("confirm", staging.confirm), ("cancel", staging.cancel)):
        async with app.db.uow() as uow:
            if allowed:
                with pytest.raises(Exception) as e:  # nothing staged as "planned": not found, never forbidden
                    await fn(uow, who, 999, now=NOW)
                assert not isinstance(e.value, Forbidden), name
            else:
                with pytest.raises(Forbidden):
                    await fn(uow, who, 999, now=NOW)
    async with app.db.uow() as uow:
        if allowed:
            with pytest.raises(Exception) as e:
                await staging.choose_kind(uow, who, 999, "employees", kinds=bot().imports, now=NOW)
            assert not isinstance(e.value, Forbidden)
        else:
            with pytest.raises(Forbidden):
                await staging.choose_kind(uow, who, 999, "employees", kinds=bot().imports, now=NOW)
    from services.vacancies import results_import

    async with app.db.uow() as uow:
        if allowed:
            await results_import.import_rows(uow, who, ["nip"], [], now=NOW, dry_run=True)
        else:
            with pytest.raises(Forbidden):
                await results_import.import_rows(uow, who, ["nip"], [], now=NOW, dry_run=True)


async def test_a_big_file_runs_in_batches_and_a_second_run_is_all_unchanged(app):
    table = pipeline.parse(bot().imports, employees_csv(2500), "big.csv").table
    kind = bot().imports["employees"]
    assert [len(b) for b in pipeline.batches(kind, table.rows)] == [1000, 1000, 500]
    seen: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        seen.append((done, total))

    before = await snapshot(app.db)
    plan = await pipeline.run(app.db, "test", kind, table, dry_run=True, tz=app.settings.tz, now=NOW)
    assert (plan.created, plan.updated, plan.unchanged, plan.errors) == (2500, 0, 0, [])
    assert await snapshot(app.db) == before
    done = await pipeline.run(app.db, "test", kind, table, dry_run=False, tz=app.settings.tz, now=NOW,
                              progress=progress)
    assert done.created == 2500 and seen == [(1000, 2500), (2000, 2500), (2500, 2500)]
    after = await snapshot(app.db)
    again = await pipeline.run(app.db, "test", kind, table, dry_run=False, tz=app.settings.tz, now=NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2500)
    assert await snapshot(app.db) == after  # not even an audit row, nor an employee's updated_at


def test_cli_dry_run_prints_the_plan_and_writes_nothing(tmp_path: Path, monkeypatch, capsys):  # noqa: ANN001
    db = tmp_path / "cli.db"
    monkeypatch.setenv("SAPA_DATABASE_URL", f"sqlite+aiosqlite:///{db}")
    monkeypatch.delenv("SAPA_BOT_TOKEN", raising=False)
    agencies = tmp_path / "opd.csv"
    agencies.write_text("code,name\nDINKES,Dinas Kesehatan\n", encoding="utf-8")
    assert main(["import", "agencies", str(agencies)]) == 0
    f = tmp_path / "pegawai.csv"
    f.write_bytes(employees_csv(3, extra="199001012015011001,,0812,DINKES,III/a,Staf,PNS\n"))
    capsys.readouterr()
    assert main(["import", "employees", str(f), "--dry-run"]) == 1
    out = capsys.readouterr()
    assert "dry run: 3 new, 0 updated, 0 unchanged, 1 rejected; nothing written" in out.out
    assert f"{f}:5: name: Tidak boleh kosong." in out.err
    assert main(["import", "employees", str(f), "--dry-run"]) == 1  # still all new: nothing was written
    assert "dry run: 3 new" in capsys.readouterr().out
    assert main(["import", "employees", str(f)]) == 1
    assert "imported 3 new, updated 0, rejected 1" in capsys.readouterr().out
    assert main(["import", "employees", str(f)]) == 1
    assert "imported 0 new, updated 0, unchanged 3, rejected 1" in capsys.readouterr().out
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"\x00\x01 not a workbook")
    assert main(["import", "employees", str(junk), "--dry-run"]) == 2
    assert "import.not_workbook" in capsys.readouterr().err
    results = tmp_path / "hasil.csv"
    results.write_text("nip,vacancy,stage,status,score\n", encoding="utf-8")
    assert main(["import", "results", str(results), "--as", "123"]) == 2  # header only
    assert "import.no_rows" in capsys.readouterr().err
    results.write_text("nip,vacancy,stage,status,score\n199001052015032002,JF-X,1,lulus,80\n", encoding="utf-8")
    assert main(["import", "results", str(results), "--as", "123", "--dry-run"]) == 2  # no such HR account
    assert "error.forbidden" in capsys.readouterr().err


async def test_a_refusal_drops_the_work_a_handler_meant_to_start_after_the_commit(settings, db):
    from handlers.chat import Chat
    from handlers.kit import Incoming, Kind
    from handlers.router import Router

    router = Router("t")

    @router.command("x")
    async def refuse(chat: Chat) -> None:
        async def work(_w) -> None:  # noqa: ANN001
            raise AssertionError("must not run")
        chat.after_commit(work)
        raise Forbidden("error.forbidden")

    inc = Incoming("telegram", 1, 5, 5, Kind.COMMAND, command="x", text="/x")
    async with db.uow() as uow:  # the refusal is audited in it (never committed here)
        chat = Chat(inc, _person(1, "citizen"), uow, settings, NOW)
        await router.dispatch(chat)
    assert chat.later == [] and "tidak memiliki akses" in chat.replies[0].text
