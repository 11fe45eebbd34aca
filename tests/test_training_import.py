"""`sapa import trainings FILE`: line-level report, good rows imported, idempotent by code."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import select

from bot.cli import main
from bot.database import open_database
from db.models import OutboxMessage
from db.models.training import Training
from tests.e2e import seeded_sqlite
from tests.training_helpers import statuses

HEADER = "code,title,organiser,starts_at,ends_at,jp,quota,registration_closes_at,place,online_url,min_golongan,agencies\n"
GOOD = ("PKB-01,Pelayanan <b>&</b> Publik,BKPSDM,2027-02-01 08:00,2027-02-01 16:00,8,20,2027-01-25 16:00,"
        "Aula,,III/a,DINKES;PUPR\n")
ROWS = GOOD + (
    "pkb-02,Daring Saja,Diskominfo,2027-02-03 09:00,2027-02-03 12:00,4,100,2027-02-01 00:00,,https://zoom.us/j/1,,\n"
    "BAD 1,Judul,BKPSDM,2027-02-01 08:00,2027-02-01 16:00,8,20,2027-01-25 16:00,Aula,,,\n"
    "PKB-03,Judul,BKPSDM,kemarin,2027-02-01 16:00,8,20,2027-01-25 16:00,Aula,,,\n"
    "PKB-04,Judul,BKPSDM,2027-02-01 08:00,2027-02-01 07:00,8,20,2027-01-25 16:00,Aula,,,\n"
    "PKB-05,Judul,BKPSDM,2027-02-01 08:00,2027-02-01 16:00,8,20,2027-01-25 16:00,Aula,,V/a,\n"
    "PKB-06,Judul,BKPSDM,2027-02-01 08:00,2027-02-01 16:00,8,20,2027-01-25 16:00,Aula,,,NOPE\n"
    "PKB-07,Judul,BKPSDM,2027-02-01 08:00,2027-02-01 16:00,0,20,2027-01-25 16:00,Aula,,,\n"
    "PKB-08,Judul,BKPSDM,2027-02-01 08:00,2027-02-01 16:00,8,20,2027-01-25 16:00,,,,\n"
    "PKB-01,Lagi,BKPSDM,2027-02-01 08:00,2027-02-01 16:00,8,20,2027-01-25 16:00,Aula,,,\n"
)


def _trainings(url: str) -> dict[str, Training]:
    async def run():
        db = open_database(url)
        try:
            async with db.uow() as uow:
                return {t.code: t for t in (await uow.session.execute(select(Training))).scalars()}
        finally:
            await db.dispose()
    return asyncio.run(run())


def test_import_reports_lines_imports_good_rows_and_is_idempotent(tmp_path: Path, monkeypatch, capsys) -> None:
    for name in ("SAPA_BOT_TOKEN", "SAPA_DATABASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    url = asyncio.run(seeded_sqlite(tmp_path / "cli.db"))
    monkeypatch.setenv("SAPA_DATABASE_URL", url)
    monkeypatch.setenv("SAPA_TIMEZONE", "Asia/Makassar")
    f = tmp_path / "pelatihan.csv"
    f.write_text(HEADER + ROWS)
    before = set(_trainings(url))
    assert main(["import", "trainings", str(f)]) == 1
    out = capsys.readouterr()
    errors = out.err.strip().splitlines()
    assert [e.split(":")[1] for e in errors] == ["4", "5", "6", "7", "8", "9", "10", "11"]
    # Each reason in the deployment's language (Indonesian), after the column it names.
    assert [e.split(": ", 1)[1] for e in errors] == [
        "code: Kode harus 2–32 huruf kapital, angka, - atau _.",
        "starts_at: Harus tanggal dan jam setempat TTTT-BB-HH JJ:MM, tertulis «kemarin».",
        "ends_at: ends_at harus sesudah starts_at.",
        "min_golongan: Golongan «V/a» tidak dikenal (contoh: III/c).",
        "agencies: Kode OPD «NOPE» tidak dikenal.",
        "jp: Harus bilangan bulat 1–200, tertulis «0».",
        "place: Isi tempat (place) atau tautan daring (online_url).",
        "code: Kode PKB-01 muncul lebih dari sekali dalam berkas ini.",
    ]
    assert out.out.strip() == "imported 2 new, updated 0, rejected 8"
    got = _trainings(url)
    pkb = got["PKB-01"]
    assert set(got) - before == {"PKB-01", "PKB-02"}
    assert (pkb.title, pkb.min_golongan, len(pkb.agency_ids), pkb.starts_at.hour) == (
        "Pelayanan <b>&</b> Publik", "III/a", 2, 0)  # 08.00 WITA is 00.00 UTC
    assert got["PKB-02"].online_url == "https://zoom.us/j/1" and got["PKB-02"].place is None
    assert main(["import", "trainings", str(f)]) == 1
    assert capsys.readouterr().out.strip() == "imported 0 new, updated 0, unchanged 2, rejected 8"


def test_a_raised_quota_gives_seats_to_the_waiting_list(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.chdir(tmp_path)
    url = asyncio.run(seeded_sqlite(tmp_path / "q.db"))
    monkeypatch.setenv("SAPA_DATABASE_URL", url)
    pp = _trainings(url)["PP-2026-01"]  # the demo's full one, Nur waiting
    local = "%Y-%m-%d %H:%M"
    f = tmp_path / "q.csv"
    f.write_text("code,title,organiser,starts_at,ends_at,jp,quota,registration_closes_at\n"
                 f"PP-2026-01,{pp.title},{pp.organiser},{pp.starts_at:{local}}+00:00,{pp.ends_at:{local}}+00:00,"
                 f"{pp.jp},3,{pp.registration_closes_at:{local}}+00:00\n")
    assert main(["import", "trainings", str(f)]) == 0
    assert capsys.readouterr().out.strip() == "imported 0 new, updated 1, rejected 0"

    async def after() -> tuple[list[str], list[str]]:
        db = open_database(url)
        try:
            async with db.uow() as uow:
                got = sorted((await statuses(uow, pp.id)).values())
                return got, [r.template for r in (await uow.session.execute(select(OutboxMessage))).scalars()]
        finally:
            await db.dispose()
    # Nur moved from the waiting list to the third seat; she has no chat account, so no notice
    assert asyncio.run(after()) == (["seat", "seat", "seat"], [])
    assert _trainings(url)["PP-2026-01"].quota == 3
