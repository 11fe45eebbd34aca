"""The `sapa` command line: configuration errors, import, admin, and the no-token hint."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.cli import main
from bot.database import open_database
from db.models import AuditLog, Employee, User
from tests.e2e import seeded_sqlite

HEADER = "nip,name,phone,agency,golongan,jabatan,employment\n"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("SAPA_BOT_TOKEN", "SAPA_ENGINE", "SAPA_DATABASE_URL", "SAPA_SEND_RATE", "SAPA_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    url = asyncio.run(seeded_sqlite(tmp_path / "cli.db"))
    monkeypatch.setenv("SAPA_DATABASE_URL", url)
    return url


def _query(url: str, stmt):  # noqa: ANN001
    async def run():
        db = open_database(url)
        try:
            async with db.uow() as uow:
                return list((await uow.session.execute(stmt)).scalars())
        finally:
            await db.dispose()
    return asyncio.run(run())


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("SAPA_ENGINE", "telethon", "SAPA_ENGINE"),
    ("SAPA_SEND_RATE", "0", "SAPA_SEND_RATE must be above 0"),
    ("SAPA_SEND_RATE", "45", "above Telegram's 30/s"),
    ("SAPA_TIMEZONE", "Asia/Banjarbaru", "SAPA_TIMEZONE: unknown time zone"),
    ("SAPA_BOT_API_URL", "api.telegram.org", "SAPA_BOT_API_URL: must be an http(s) URL"),
    ("SAPA_DATABASE_URL", "mysql://x", "SAPA_DATABASE_URL"),
    ("SAPA_ADMIN_IDS", "12,abc", "SAPA_ADMIN_IDS"),
])
def test_a_wrong_setting_stops_with_one_clear_line(env, monkeypatch, capsys, name, value, expected):
    monkeypatch.setenv(name, value)
    assert main(["migrate"]) == 2
    err = capsys.readouterr().err.strip()
    assert expected in err and "Traceback" not in err and len(err.splitlines()) == 1


def test_run_without_token_explains_botfather_and_the_sandbox(env, capsys):
    assert main(["run"]) == 2
    err = capsys.readouterr().err
    assert "@BotFather" in err and "sapa sandbox" in err


def test_import_employees_reports_bad_rows_and_reimport_updates(env, tmp_path, capsys):
    csv = tmp_path / "pegawai.csv"
    csv.write_text(HEADER
                   + "198001012005011001,Andi <b>&,081200000001,PUPR,III/d,Kasi Jalan,PNS\n"
                   + "123,Short Nip,0812,PUPR,III/a,Staf,PNS\n"
                   + "198001012005011002,Budi,0812,NOPE,III/a,Staf,PNS\n"
                   + "198001012005011003,Cici,0812,DINKES,III/a,Bidan,honorer\n"
                   + "199912312022212001,Dewi,0812,DISDIK,,Guru,PPPK\n", encoding="utf-8")
    assert main(["import", "employees", str(csv)]) == 1
    out = capsys.readouterr()
    assert "imported 2 new, updated 0, rejected 3" in out.out
    assert f"{csv}:3: nip: NIP harus 18 angka, tertulis 3 angka." in out.err
    assert f"{csv}:4: agency: OPD «NOPE» tidak dikenal" in out.err
    assert f"{csv}:5: employment: Harus PNS atau PPPK, tertulis «honorer»." in out.err

    csv.write_text(HEADER + "198001012005011001,Andi Saputra,081200000009,PUPR,iv/A,Kabid,PNS\n")
    assert main(["import", "employees", str(csv)]) == 0
    assert "imported 0 new, updated 1, rejected 0" in capsys.readouterr().out
    rows = _query(env, select(Employee).where(Employee.nip == "198001012005011001"))
    assert len(rows) == 1 and rows[0].name == "Andi Saputra" and rows[0].golongan == "IV/a"
    assert rows[0].phone == "6281200000009"


def test_import_xlsx_and_missing_columns(env, tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "Name", "Phone", "Agency", "Golongan", "Jabatan", "Employment"])
    ws.append(["198001012005011004", "Eka", "081211", "Dinas Kesehatan", "II/c", "Perawat", "PNS"])
    ws.append([198001012005011005, "Fajar", 81212, "PUPR", "II/d", "Staf", "PNS"])  # NIP typed as a number
    path = tmp_path / "pegawai.xlsx"
    wb.save(path)
    assert main(["import", "employees", str(path)]) == 1
    out = capsys.readouterr()
    assert "imported 1 new, updated 0, rejected 1" in out.out
    assert f"{path}:3: nip: NIP tersimpan sebagai angka dan kehilangan digit terakhirnya" in out.err
    bad = tmp_path / "bad.csv"
    bad.write_text("nip,name\n1,2\n")
    assert main(["import", "employees", str(bad)]) == 2
    assert "import.missing_columns" in capsys.readouterr().err
    assert main(["import", "employees", str(tmp_path / "none.csv")]) == 2


def test_admin_add_grants_audited_roles(env, capsys):
    assert main(["admin", "add", "555", "--role", "officer", "--agency", "pupr"]) == 0
    assert "555 is now officer of PUPR" in capsys.readouterr().out
    assert main(["admin", "add", "556", "--role", "officer"]) == 2
    assert main(["admin", "add", "557", "--role", "officer", "--agency", "NOPE"]) == 2
    assert "admin.unknown_agency" in capsys.readouterr().err
    users = _query(env, select(User).where(User.external_id == 555))
    assert users[0].role == "officer" and users[0].agency_id is not None
    audit = _query(env, select(AuditLog).where(AuditLog.action == "role.grant", AuditLog.actor_label == "cli"))
    assert len(audit) == 1 and audit[0].details["agency"] == "pupr"


def test_qr_for_a_service_counter(env, tmp_path, capsys):
    out = tmp_path / "loket.png"
    assert main(["qr", "dukcapil-01", "-o", str(out), "--bot", "sapa_bjb_bot"]) == 0
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "https://t.me/sapa_bjb_bot?start=survei_DUKCAPIL-01" in capsys.readouterr().out
    assert main(["qr", "dukcapil-01", "-o", str(out), "--bot", "sapa_bjb_bot", "--whatsapp", "+62 811 0000 0000"]) == 0
    assert (tmp_path / "loket-whatsapp.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "https://wa.me/6281100000000?text=survei%20DUKCAPIL-01" in capsys.readouterr().out
    assert main(["qr", "NOPE-99", "-o", str(tmp_path / "x.png"), "--bot", "sapa_bjb_bot"]) == 2
    assert not (tmp_path / "x.png").exists()
    assert main(["qr", "DUKCAPIL-01", "-o", str(tmp_path / "y.png")]) == 2  # no token, no --bot
    assert "username is unknown" in capsys.readouterr().err
