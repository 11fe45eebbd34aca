"""`sapa admin code`, `sapa admin release` and the employee import's optional columns."""

from __future__ import annotations

import re
from datetime import date

from openpyxl import Workbook
from sqlalchemy import select

from bot.cli import main
from db.models import ActivationCode, AuditLog, Employee
from tests.test_cli import _query, env  # noqa: F401 - the fixture

NUR = "199512202023212004"
HEADER = "nip,name,phone,agency,golongan,jabatan,employment,jabatan_kind,birth_date,tmt\n"


def test_admin_code_prints_the_code_once_with_its_local_expiry(env, capsys, monkeypatch):  # noqa: F811
    monkeypatch.setenv("SAPA_TIMEZONE", "Asia/Makassar")
    assert main(["admin", "code", NUR]) == 0
    out = capsys.readouterr().out
    code = re.search(r": ([A-Z2-9]{8})\n", out)
    assert code and "Nur Aisyah" in out and "19951220 ****** 2 004" in out and "WITA" in out
    assert NUR not in out
    rows = _query(env, select(ActivationCode))
    assert len(rows) == 1 and code.group(1) not in rows[0].digest
    assert main(["admin", "code", "199001052015032099"]) == 2
    assert "link.nip_unknown" in capsys.readouterr().err
    assert main(["admin", "code", NUR, "--hours", "0"]) == 2


def test_admin_release_frees_a_linked_record_audited(env, capsys):  # noqa: F811
    assert main(["admin", "release", NUR]) == 0
    assert "was not linked" in capsys.readouterr().out
    assert main(["admin", "release", "1234"]) == 2
    audit = _query(env, select(AuditLog).where(AuditLog.action == "employee.release"))
    assert len(audit) == 1 and audit[0].actor_label == "cli"


def test_import_reads_jabatan_kind_and_dates_and_reports_bad_ones(env, tmp_path, capsys):  # noqa: F811
    csv = tmp_path / "pegawai.csv"
    csv.write_text(HEADER
                   + "199912312022212001,Dewi,0812,DISDIK,,Guru,PPPK,JF Ahli Pertama,31/12/1999,2022-03-01\n"
                   + "199912312022212002,Eko,0812,DISDIK,,Guru,PPPK,kepala suku,,\n"
                   + "199912312022212003,Fani,0812,DISDIK,,Guru,PPPK,,1999-02-30,\n"
                   + "199912312022212004,Gita,0812,DISDIK,,Guru,PPPK,,2000-01-01,2010-01-01\n"
                   + "199912312022212005,Hadi,0812,DISDIK,,Guru,PPPK,,,2999-01-01\n", encoding="utf-8")
    assert main(["import", "employees", str(csv)]) == 1
    out = capsys.readouterr()
    assert "imported 1 new, updated 0, rejected 4" in out.out
    assert f"{csv}:3: jabatan_kind: Jenis jabatan «kepala suku» tidak dikenal" in out.err
    assert f"{csv}:4: birth_date: Harus tanggal (TTTT-BB-HH atau HH/BB/TTTT), tertulis «1999-02-30»." in out.err
    assert f"{csv}:5: tmt: tmt harus paling cepat 17 tahun setelah birth_date." in out.err
    assert f"{csv}:6: tmt: Tanggal ini masih di masa depan." in out.err
    dewi = _query(env, select(Employee).where(Employee.nip == "199912312022212001"))[0]
    assert (dewi.jabatan_kind, dewi.birth_date, dewi.tmt) == ("jf_ahli_pertama", date(1999, 12, 31), date(2022, 3, 1))
    # A file without the optional columns leaves them as they are.
    csv.write_text("nip,name,phone,agency,golongan,jabatan,employment\n"
                   "199912312022212001,Dewi Lestari,0812,DISDIK,,Guru,PPPK\n", encoding="utf-8")
    assert main(["import", "employees", str(csv)]) == 0
    dewi = _query(env, select(Employee).where(Employee.nip == "199912312022212001"))[0]
    assert dewi.name == "Dewi Lestari" and dewi.tmt == date(2022, 3, 1)


def test_import_xlsx_date_cells(env, tmp_path, capsys):  # noqa: F811
    wb = Workbook()
    ws = wb.active
    ws.append(["nip", "name", "phone", "agency", "golongan", "jabatan", "employment", "birth_date", "tmt"])
    ws.append(["199912312022212009", "Ira", "0812", "DISDIK", "", "Guru", "PPPK", date(1999, 12, 31),
               date(2023, 1, 2)])
    path = tmp_path / "pegawai.xlsx"
    wb.save(path)
    assert main(["import", "employees", str(path)]) == 0
    ira = _query(env, select(Employee).where(Employee.nip == "199912312022212009"))[0]
    assert (ira.birth_date, ira.tmt) == (date(1999, 12, 31), date(2023, 1, 2))


async def test_the_sandbox_shows_a_working_code_for_nur_and_keeps_it_across_restarts(tmp_path, capsys):
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from bot.database import open_database
    from bot.sandbox.demo_code import code_file, demo_code
    from bot.sandbox.run import print_demo_code
    from db.models import ActivationCode
    from services.account import linking
    from services.clock import utc_now
    from tests.e2e import seeded_sqlite
    from tests.test_account_service import _citizen

    wita = ZoneInfo("Asia/Makassar")
    url = await seeded_sqlite(tmp_path / "sandbox.db")
    hint = await print_demo_code(url, wita)
    out = capsys.readouterr().out
    code = re.search(r"Nur Aisyah, S\.Pd\. \(PPPK\): ([A-Z2-9]{8}), valid until .* WITA", out)
    assert code, out
    assert hint and code.group(1) in hint and "WITA" in hint  # the page's hint shows it
    assert code_file(url) == tmp_path / "sandbox.db.demo-code.json"

    async def codes() -> int:
        return len(await _rows(url, ActivationCode))

    # A restart reuses the code while it works for a day more: no new code, the same one shown.
    assert code.group(1) in await print_demo_code(url, wita) and await codes() == 1
    # Two days on it would expire within the day: a fresh one replaces it.
    later = await demo_code(url, utc_now() + timedelta(days=2))
    assert later and later.code != code.group(1) and await codes() == 1
    db = open_database(url)
    try:
        async with db.uow() as uow:
            rina = await _citizen(uow, 700001)
            assert (await linking.link_with_code(uow, rina, NUR, later.code, utc_now())).employment == "PPPK"
            await uow.commit()
    finally:
        await db.dispose()
    # Linked: no code is issued at start-up, and the hint says so.
    capsys.readouterr()
    hint = await print_demo_code(url, wita)
    assert hint and "sudah tertaut" in hint and capsys.readouterr().out == ""
    assert await codes() == 1


async def _rows(url: str, model: type) -> list:
    from sqlalchemy import select

    from bot.database import open_database

    db = open_database(url)
    try:
        async with db.uow() as uow:
            return list((await uow.session.execute(select(model))).scalars())
    finally:
        await db.dispose()
