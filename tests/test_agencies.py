"""Agencies as data: the spreadsheet import (line-level report) and HR's management in the chat."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.cli import main
from bot.database import open_database
from bot.sandbox.html_check import check_html
from db.migrate import migrate
from db.models import Agency, AuditLog
from handlers.i18n import catalog
from tests.harness import FakeChannel

HR, OFFICER = 700003, 700004
HEADER = "code,name,short_name,keywords,parent,head_telegram_id\n"


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    for name in ("SAPA_BOT_TOKEN", "SAPA_DATABASE_URL", "SAPA_BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    url = f"sqlite+aiosqlite:///{tmp_path / 'agencies.db'}"
    asyncio.run(migrate(url))
    monkeypatch.setenv("SAPA_DATABASE_URL", url)
    return url


def _agencies(url: str) -> dict[str, Agency]:
    async def run() -> dict[str, Agency]:
        db = open_database(url)
        try:
            async with db.uow() as uow:
                return {a.code: a for a in (await uow.session.execute(select(Agency))).scalars()}
        finally:
            await db.dispose()
    return asyncio.run(run())


def test_import_reports_bad_rows_by_line_and_imports_the_rest(empty_db, tmp_path, capsys):
    path = tmp_path / "opd.csv"
    path.write_text(HEADER
                    + "PUPR,Dinas PUPR <b>&,PUPR,\"jalan rusak; jembatan | drainase, JALAN RUSAK\",,7001\n"  # 2 ok
                    + "<b>&,Bad Code,,,,\n"                                   # 3
                    + "DLH,,,,,\n"                                             # 4 empty name
                    + "DISHUB,Dinas Perhubungan,,,,12abc\n"                    # 5 bad head id
                    + "KEC-A,Kecamatan A,,,NOPE,\n"                            # 6 unknown parent
                    + "X1,Satu,,,X2,\n"                                        # 7 cycle
                    + "X2,Dua,,,X1,\n"                                         # 8 cycle
                    + "PUPR,Again,,,,\n"                                       # 9 repeated
                    + "DINKES,Dinas Kesehatan\x00 \U0001F3E5,,,,\n"            # 10 ok, NUL dropped
                    + "PKM-1,Puskesmas Satu,," + "k" * 60 + ",,\n"            # 11 keyword too long
                    + "PKM-2,Puskesmas Dua,,,dinkes,\n", encoding="utf-8")     # 12 ok, parent by code
    assert main(["import", "agencies", str(path)]) == 1
    out = capsys.readouterr()
    assert "imported 3 new, updated 0, rejected 8" in out.out
    for line, reason in [(3, "code: Kode harus 2–32 huruf kapital"), (4, "name: Nama harus 2–200 karakter."),
                         (5, "head_telegram_id: Harus ID pengguna Telegram (angka saja), tertulis «12abc»."),
                         (6, "parent: OPD induk «NOPE» tidak ada."),
                         (7, "parent: OPD induk «X2» membuat hubungan induk yang berputar"),
                         (8, "parent: OPD induk «X1» membuat hubungan induk yang berputar"),
                         (9, "code: Kode PUPR muncul lebih dari sekali dalam berkas ini."),
                         (11, "keywords: Tulis kata kunci dipisah koma: paling banyak 40")]:
        assert f"{path}:{line}: {reason}" in out.err, (line, out.err)
    found = _agencies(empty_db)
    assert set(found) == {"PUPR", "DINKES", "PKM-2"}
    assert found["PUPR"].keywords == ["jalan rusak", "jembatan", "drainase"] and found["PUPR"].head_telegram_id == 7001
    assert found["PUPR"].name == "Dinas PUPR <b>&"  # stored as typed; escaped where shown
    assert found["DINKES"].name == "Dinas Kesehatan \U0001F3E5"
    assert found["PKM-2"].parent_id == found["DINKES"].id

    # Re-import: the same file changes nothing; a column left out is left alone.
    assert main(["import", "agencies", str(path)]) == 1
    assert "imported 0 new, updated 0, unchanged 3, rejected 8" in capsys.readouterr().out
    path.write_text("code,name\npupr,Dinas Pekerjaan Umum dan Penataan Ruang\n", encoding="utf-8")
    assert main(["import", "agencies", str(path)]) == 0
    assert "imported 0 new, updated 1, rejected 0" in capsys.readouterr().out
    pupr = _agencies(empty_db)["PUPR"]
    assert pupr.name == "Dinas Pekerjaan Umum dan Penataan Ruang" and pupr.keywords[0] == "jalan rusak"
    assert pupr.head_telegram_id == 7001


def test_import_xlsx_missing_columns_and_garbage(empty_db, tmp_path, capsys):
    wb = Workbook()
    ws = wb.active
    ws.append(["Code", "Name", "Head_Telegram_Id"])
    ws.append(["DISDIK", "Dinas Pendidikan", 123456789])  # an id typed as a number is fine
    ws.append(["DLH", "Dinas Lingkungan Hidup", 1.5e20])  # too big to be exact
    path = tmp_path / "opd.xlsx"
    wb.save(path)
    assert main(["import", "agencies", str(path)]) == 1
    out = capsys.readouterr()
    assert "imported 1 new, updated 0, rejected 1" in out.out and f"{path}:3: head_telegram_id" in out.err
    assert _agencies(empty_db)["DISDIK"].head_telegram_id == 123456789
    bad = tmp_path / "bad.csv"
    bad.write_text("kode,nama\nX,Y\n")
    assert main(["import", "agencies", str(bad)]) == 2
    assert "import.missing_columns" in capsys.readouterr().err
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    assert main(["import", "agencies", str(empty)]) == 2
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"code,name\n" + b"\xff\xfe garbage\n")
    assert main(["import", "agencies", str(junk)]) == 2
    assert "UTF-8" in capsys.readouterr().err
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"code,name\nA,B\n")
    assert main(["import", "agencies", str(fake)]) == 2
    assert "import.not_workbook" in capsys.readouterr().err
    assert main(["import", "agencies", str(tmp_path / "none.csv")]) == 2


def test_employees_match_an_agency_by_its_short_name(empty_db, tmp_path, capsys):
    (tmp_path / "opd.csv").write_text(HEADER + "PUPR,Dinas Pekerjaan Umum,Dinas PUPR,,,\n")
    assert main(["import", "agencies", str(tmp_path / "opd.csv")]) == 0
    (tmp_path / "p.csv").write_text("nip,name,phone,agency,golongan,jabatan,employment\n"
                                    "198001012005011001,Andi,0812,dinas pupr,III/d,Kasi,PNS\n")
    assert main(["import", "employees", str(tmp_path / "p.csv")]) == 0
    assert "imported 1 new" in capsys.readouterr().out


def test_admin_add_says_the_person_must_open_the_bot_once(empty_db, tmp_path, capsys):
    (tmp_path / "opd.csv").write_text(HEADER + "PUPR,Dinas PUPR,,,,\n")
    assert main(["import", "agencies", str(tmp_path / "opd.csv")]) == 0
    capsys.readouterr()
    assert main(["admin", "add", "555", "--role", "officer", "--agency", "PUPR"]) == 0
    out = capsys.readouterr().out
    assert "555 is now officer of PUPR" in out and "must open the bot once and send /start" in out


# --- in the chat ---------------------------------------------------------------------------------

def _valid_html(channel: FakeChannel) -> None:
    for s in channel.sent:
        check_html(s.text)  # raises on anything Telegram would refuse


async def _audit(app) -> list[tuple[str, str | None]]:
    async with app.db.uow() as uow:
        rows = await uow.session.execute(select(AuditLog.action, AuditLog.target).where(
            AuditLog.action.like("agency.%")).order_by(AuditLog.id))
        return [(a, t) for a, t in rows.all()]


async def test_hr_manages_agencies_by_buttons_with_typed_names_and_keywords(person, app, channel):
    hr = person(HR, "Ahmad")
    await hr.say("/start")
    await hr.press("OPD")
    assert "OPD (8)" in hr.last_text() and "jalan berlubang" in hr.last_text()
    await hr.press("PUPR")
    assert "Petugas: 1" in hr.last_text() and "aktif" in hr.last_text()

    await hr.press("Ganti nama")
    await hr.send_photo()  # not text: the step stays
    assert "sebagai teks" in hr.last_text()
    await hr.say(" ")
    assert "Nama harus 2–200 karakter" in hr.last_text()
    await hr.say("Dinas PUPR <b>&</b> 🚧")
    assert "Nama disimpan" in hr.last_text() and "Dinas PUPR &lt;b&gt;&amp;&lt;/b&gt; 🚧" in hr.last_text()

    await hr.press("Kata kunci")
    await hr.say("x, " + "y" * 51)
    assert "dipisah koma" in hr.last_text()
    await hr.say("Jalan Rusak, got <mampet>, jembatan\x00putus")
    assert "got &lt;mampet&gt;" in hr.last_text() and "Kata kunci disimpan" in hr.last_text()

    await hr.press("Nonaktifkan")
    assert "dinonaktifkan" in hr.last_text()
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say("Jalan rusak parah di depan pasar, banyak lubang")
    await rina.press("Lewati")
    await rina.press("Lewati")
    if "Semua instansi" in " ".join(rina.last_labels()):
        await rina.press("Semua instansi")
    assert "Dinas Kesehatan" in rina.last_labels()
    assert not any("PUPR" in label for label in rina.last_labels())  # no longer offered
    await hr.press("Aktifkan lagi")
    assert "aktif lagi" in hr.last_text()

    await hr.press("Daftar OPD")
    await hr.press("Tambah OPD")
    await hr.say("bad code!")
    assert "Kode harus" in hr.last_text()
    await hr.say("pupr")
    assert "sudah dipakai" in hr.last_text()
    await hr.say("disperkim")
    assert "DISPERKIM" in hr.last_text()
    await hr.say("Dinas Perumahan dan Kawasan Permukiman")
    assert "OPD <b>DISPERKIM</b> ditambahkan" in hr.last_text() and "Belum ada petugas" in hr.last_text()
    _valid_html(channel)
    assert await _audit(app) == [
        ("agency.rename", "PUPR"), ("agency.keywords", "PUPR"), ("agency.deactivate", "PUPR"),
        ("agency.activate", "PUPR"), ("agency.create", "DISPERKIM")]
    async with app.db.uow() as uow:
        pupr = await uow.agencies.by_code("PUPR")
        assert pupr.keywords == ["jalan rusak", "got <mampet>", "jembatan putus"]  # type: ignore[union-attr]


async def test_officers_and_citizens_are_refused_and_forged_buttons_go_nowhere(person, app, channel):
    officer, rina, hr = person(OFFICER, "Budi"), person(1001, "Rina"), person(HR, "Ahmad")
    await rina.say("/start")
    assert "OPD" not in rina.last_labels()
    await hr.say("/start")
    assert "🏢 OPD" in hr.last_labels()
    async with app.db.uow() as uow:
        pupr = await uow.agencies.by_code("PUPR")
    for p in (officer, rina):
        await p.say("/opd")
        assert "tidak memiliki akses" in p.last_text()
        for data in (f"opd:a:{pupr.id}", f"opd:off:{pupr.id}", f"opd:rn:{pupr.id}", "opd:new", "opd:l:1"):
            await p.press_data(data)
            assert "tidak memiliki akses" in p.last_text(), data
    await hr.press_data("opd:a:999999")
    assert "OPD itu tidak ada" in hr.last_text()
    assert await hr.press_stale("opd:rn:abc") == catalog("id")["stale.toast"]
    await hr.press_data("opd:l:99999")  # past the last page: the last page
    assert "halaman 1/1" in hr.last_text()
    assert await _audit(app) == []
    async with app.db.uow() as uow:
        assert (await uow.agencies.by_code("PUPR")).active  # type: ignore[union-attr]
    _valid_html(channel)


async def test_agency_steps_keep_their_state_names_with_typed_data(person, app):
    """The steps' names are stored in people's chats; what a step keeps is its flow's dataclass."""
    from tests.harness import conversation_state

    hr = person(HR, "Ahmad")
    async with app.db.uow() as uow:
        pupr = await uow.agencies.by_code("PUPR")
    for data in ("opd:l:1", "opd:l"):  # a list button from before, and today's
        await hr.press_data(data)
        assert "halaman 1/" in hr.last_text(), data
    await hr.press("PUPR")
    await hr.press("Ganti nama")
    assert await conversation_state(app, HR) == ("opd.name", {"agency_id": pupr.id})
    await hr.press("Batal")  # back to the card, the step closed
    assert "Petugas: 1" in hr.last_text()
    assert await conversation_state(app, HR) == (None, {})
    await hr.press("Kata kunci")
    assert await conversation_state(app, HR) == ("opd.kw", {"agency_id": pupr.id})
    await hr.press_data("opd:l:1")  # leaving by the list: a half-typed keyword list lands nowhere
    assert await conversation_state(app, HR) == (None, {})
    await hr.press("Tambah OPD")
    assert await conversation_state(app, HR) == ("opd.code", {})
    await hr.say("disperkim")
    assert await conversation_state(app, HR) == ("opd.new_name", {"code": "DISPERKIM"})
    for data in ("opd:new:1", "opd:on:abc", f"opd:a:{pupr.id}:9"):
        assert await hr.press_stale(data) == catalog("id")["stale.toast"], data


async def test_a_code_taken_while_the_name_was_typed_asks_for_the_code_again(person, app, channel):
    from tests.harness import conversation_state

    hr, boss = person(HR, "Ahmad"), person(900001, "Kepala")
    for p in (hr, boss):
        await p.say("/opd")
        await p.press("Tambah OPD")
        await p.say("DISPERKIM")
    await boss.say("Dinas Perkim")  # the superadmin adds the same code first
    assert "ditambahkan" in boss.last_text()
    before = len(hr.messages())
    await hr.say("Dinas Perumahan dan Kawasan Permukiman <b>&")
    said = hr.messages()[before:]
    assert len(said) == 1 and "sudah dipakai" in said[0].text and "Ketik <b>kode</b> OPD baru" in said[0].text
    assert await conversation_state(app, HR) == ("opd.code", {"code": ""})
    _valid_html(channel)
