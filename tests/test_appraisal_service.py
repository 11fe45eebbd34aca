"""SKP: reading periods and ratings, the import with its line-level report, and the owner-only view."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from db.models import Appraisal, AuditLog, Employee, User
from services import appraisal
from services.appraisal import importer, rules
from services.appraisal.rules import Stage
from services.civil_service import Predikat, Rating
from services.errors import Forbidden, InvalidInput, NotFound
from services.users import Person
from tests.imports_helpers import reasons

WITA = ZoneInfo("Asia/Makassar")
SITI, AHMAD, BUDI = "199001052015032002", "198503122010011001", "197804172005011003"
HEADER = "nip,year,period,stage,result_rating,behaviour_rating,predikat,deadline,missing\n"
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 WITA


def _person(employee_id: int | None, role: str = "asn", pid: int = 1) -> Person:
    return Person(id=pid, chat_id=pid, external_id=pid, name="x", username=None, role=role, agency_id=None,
                  employee_id=employee_id, locale="id", language_code="id")


async def _emp(uow, nip: str) -> Employee:  # noqa: ANN001
    return await uow.employees.by_nip(nip)


def _csv(tmp_path: Path, body: str, name: str = "skp.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


# --- reading what a spreadsheet says -------------------------------------------------------------

@pytest.mark.parametrize(("raw", "expected"), [
    ("di atas ekspektasi", Rating.ABOVE), ("Diatas Ekspektasi", Rating.ABOVE), ("above", Rating.ABOVE),
    ("3", Rating.ABOVE), ("sesuai ekspektasi", Rating.AS_EXPECTED), ("as_expected", Rating.AS_EXPECTED),
    ("2", Rating.AS_EXPECTED), ("di bawah ekspektasi", Rating.BELOW), ("Below", Rating.BELOW), ("1", Rating.BELOW),
    ("", None), ("  ", None),
])
def test_ratings_are_read_in_the_words_files_use(raw: str, expected: Rating | None) -> None:
    assert rules.rating(raw) == expected


@pytest.mark.parametrize("raw", ["4", "0", "bagus", "<b>&", "\x00", "🙂"])
def test_an_unknown_rating_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput) as e:
        rules.rating(raw)
    assert e.value.code == "skp.err.rating"


@pytest.mark.parametrize(("raw", "expected"), [
    ("", "2026"), ("2026", "2026"), ("S2", "2026-S2"), ("2026-s1", "2026-S1"), ("q4", "2026-Q4"),
    ("TW3", "2026-Q3"), ("2026 Q1", "2026-Q1"), ("II", "2026-Q2"),
])
def test_period_labels(raw: str, expected: str) -> None:
    assert rules.period(2026, raw) == expected


@pytest.mark.parametrize(("raw", "code"), [("2025-S1", "skp.err.period_year"), ("Q5", "skp.err.period"),
                                           ("S3", "skp.err.period"), ("semester", "skp.err.period")])
def test_bad_period_labels(raw: str, code: str) -> None:
    with pytest.raises(InvalidInput) as e:
        rules.period(2026, raw)
    assert e.value.code == code


def test_periods_sort_by_the_month_they_end_and_the_year_comes_last() -> None:
    labels = ["2026", "2026-Q1", "2026-S2", "2026-S1", "2026-Q4", "2025", "2026-Q2"]
    ordered = sorted(labels, key=lambda p: rules.period_order(int(p[:4]), p))
    assert ordered == ["2025", "2026-Q1", "2026-Q2", "2026-S1", "2026-Q4", "2026-S2", "2026"]


@pytest.mark.parametrize(("raw", "expected"), [
    ("2026-11-26", date(2026, 11, 26)), ("2026-11-26 00:00:00", date(2026, 11, 26)),
    ("26/11/2026", date(2026, 11, 26)), ("6-1-2027", date(2027, 1, 6)), ("", None),
])
def test_deadlines_are_dates(raw: str, expected: date | None) -> None:
    assert rules.deadline_day(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2026", "besok", "2026-13-01"])
def test_a_deadline_that_is_not_a_date_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        rules.deadline_day(raw)


def test_a_deadline_is_due_at_the_end_of_its_local_day() -> None:
    due = rules.end_of_day(date(2026, 11, 26), WITA)
    assert due == datetime(2026, 11, 26, 15, 59, 59, tzinfo=UTC)


@pytest.mark.parametrize(("day", "left"), [
    (date(2026, 11, 23), 0),   # Monday, today: due tonight
    (date(2026, 11, 24), 1),
    (date(2026, 11, 26), 3),   # Thursday
    (date(2026, 11, 29), 4),   # Sunday: the weekend adds nothing
    (date(2026, 11, 30), 5),
    (date(2026, 11, 20), -1),  # last Friday: one working day late
    (date(2026, 11, 22), -1),  # yesterday, a Sunday: late all the same
    (date(2026, 12, 28), 23),  # 25 weekdays, less Christmas and the cuti bersama of 24 December
])
def test_working_days_left(day: date, left: int) -> None:
    assert rules.workdays_left(NOW, rules.end_of_day(day, WITA), WITA) == left


# --- the import ------------------------------------------------------------------------------------

async def test_import_creates_updates_and_is_idempotent(db, tmp_path) -> None:  # noqa: ANN001
    from handlers.features import bot
    from services.demo import seed_demo

    async with db.uow() as uow:
        await seed_demo(uow, NOW, bot().demo)
        await uow.commit()
    path = _csv(tmp_path, (
        f"{AHMAD},2025,,tindak lanjut,di atas ekspektasi,sesuai ekspektasi,Baik,,\n"
        f"{AHMAD},2026,2026,perencanaan,,,,26/11/2026,rencana SKP belum disetujui atasan; matriks peran belum diisi\n"
        f"{AHMAD},2026,S1,penilaian,3,3,,2026-07-10,\n"
    ))
    header, rows = importer.read_rows(path)
    async with db.uow() as uow:
        report = await importer.import_rows(uow, header, rows, tz=WITA, actor="test")
        await uow.commit()
    assert (report.created, report.updated, report.errors) == (3, 0, [])
    async with db.uow() as uow:
        emp = await _emp(uow, AHMAD)
        rows_ = {a.period: a for a in await uow.appraisals.of_employee(emp.id)}
    assert rows_["2025"].predikat == Predikat.BAIK
    assert rows_["2026-S1"].predikat == Predikat.SANGAT_BAIK  # from the matrix: no predikat cell needed
    assert rows_["2026"].missing == ["rencana SKP belum disetujui atasan", "matriks peran belum diisi"]
    assert rows_["2026"].deadline == datetime(2026, 11, 26, 15, 59, 59, tzinfo=UTC)
    assert rows_["2026"].stage == Stage.PERENCANAAN
    async with db.uow() as uow:
        again = await importer.import_rows(uow, header, rows, tz=WITA, actor="test")
        await uow.commit()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    # The next file moves the current period on; a column it leaves out is kept.
    moved = tmp_path / "moved.csv"
    moved.write_text(f"nip,year,period,stage\n{AHMAD},2026,,pelaksanaan\n", encoding="utf-8")
    async with db.uow() as uow:
        r = await importer.import_rows(uow, *importer.read_rows(moved), tz=WITA, actor="test")
        await uow.commit()
    assert (r.created, r.updated) == (0, 1)
    async with db.uow() as uow:
        a = next(a for a in await uow.appraisals.of_employee(emp.id) if a.period == "2026")
        audit = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "appraisals.import"))).scalars()
        assert a.stage == Stage.PELAKSANAAN and a.missing == ["rencana SKP belum disetujui atasan",
                                                                "matriks peran belum diisi"]
        assert all(AHMAD not in str(x.details) for x in audit)


async def test_bad_rows_are_reported_by_line_and_good_rows_imported(db, tmp_path) -> None:  # noqa: ANN001
    from handlers.features import bot
    from services.demo import seed_demo

    async with db.uow() as uow:
        await seed_demo(uow, NOW, bot().demo)
        await uow.commit()
    unknown = "199912312020121001"
    path = _csv(tmp_path, (
        f"{SITI},2022,,tindak_lanjut,above,above,Baik,,\n"                 # 2: contradicts the matrix
        f"{SITI},2021,,tindak_lanjut,,,Baik,,\n"                           # 3: predikat without ratings
        f"{unknown},2025,,penilaian,,,,,\n"                                # 4: unknown NIP
        f"1990010520150,2025,,penilaian,,,,,\n"                            # 5: short NIP
        f"{SITI},20x5,,penilaian,,,,,\n"                                   # 6: bad year
        f"{SITI},2025,S3,penilaian,,,,,\n"                                 # 7: bad period
        f"{SITI},2025,,selesai,,,,,\n"                                     # 8: bad stage
        f"{SITI},2025,,penilaian,bagus,,,,\n"                              # 9: bad rating
        f"{SITI},2025,,penilaian,,,,besok,\n"                              # 10: bad deadline
        f"{SITI},2020,,tindak_lanjut,below,below,Sangat Kurang,,\n"        # 11: good
        f"{SITI},2020,,tindak_lanjut,below,below,,,\n"                     # 12: repeated period
        f"{SITI},2019,,penilaian,,,,,{';'.join(f'item {i}' for i in range(21))}\n"             # 13: too many missing items
        f"{SITI},2018,,penilaian,,,,,<b>& \x01 🙂\n"                       # 14: good, control char dropped
    ))
    header, rows = importer.read_rows(path)
    async with db.uow() as uow:
        report = await importer.import_rows(uow, header, rows, tz=WITA, actor="test")
        await uow.commit()
    lines = reasons(report)
    assert sorted(lines) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 13]
    assert lines[2] == ("Predikat «baik» tidak sesuai matriks: hasil kerja above × perilaku above menghasilkan "
                        "«sangat_baik»; baris tidak disimpan.")
    assert lines[3] == "Predikat hanya bisa diperiksa bila result_rating dan behaviour_rating sama-sama diisi."
    assert lines[4] == "NIP 19991231 ****** 1 001 belum ada di data pegawai: impor data pegawainya dulu."
    assert lines[5] == "NIP harus 18 angka, tertulis 13 angka."
    assert lines[6] == "Tahun «20x5» tidak valid (empat angka, 2000–2100)."
    assert lines[7].startswith("Periode «S3» tidak valid") and lines[8].startswith("Tahap «selesai» tidak dikenal")
    assert lines[9].startswith("Nilai «bagus» tidak dikenal") and lines[10].startswith("Tenggat «besok» bukan tanggal")
    assert lines[12] == "Periode 2020 untuk NIP 19900105 ****** 2 002 muncul lebih dari sekali dalam berkas ini."
    assert lines[13] == "Paling banyak 20 butir, dipisah dengan tanda titik koma (;)."
    assert [e.column for e in report.errors] == ["predikat", "predikat", "nip", "nip", "year", "period", "stage",
                                                 "result_rating", "deadline", "period", "missing"]
    assert all(unknown not in r and SITI not in r for r in lines.values())  # reasons never show a whole NIP
    assert report.created == 2
    async with db.uow() as uow:
        emp = await _emp(uow, SITI)
        stored = {a.period: a for a in await uow.appraisals.of_employee(emp.id)}
    assert "2022" not in stored and "2021" not in stored  # the contradicting predikat was not stored
    assert stored["2020"].predikat == Predikat.SANGAT_KURANG
    assert stored["2018"].missing == ["<b>& 🙂"]


async def test_an_xlsx_with_a_nip_typed_as_a_number_is_reported(db, tmp_path) -> None:  # noqa: ANN001
    from handlers.features import bot
    from services.demo import seed_demo

    async with db.uow() as uow:
        await seed_demo(uow, NOW, bot().demo)
        await uow.commit()
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.strip().split(","))
    ws.append([SITI, 2024, "2024", "tindak lanjut", "sesuai ekspektasi", "di atas ekspektasi", "Baik",
               datetime(2025, 1, 31), ""])
    ws.append([float(SITI), 2023, "", "tindak lanjut", "", "", "", None, ""])
    path = tmp_path / "skp.xlsx"
    wb.save(path)
    header, rows = importer.read_rows(path)
    async with db.uow() as uow:
        report = await importer.import_rows(uow, header, rows, tz=WITA, actor="test")
        await uow.commit()
    # Siti's demo history already has a 2024 annual period: the file updates it.
    assert report.updated == 1 and report.created == 0
    assert reasons(report) == {3: "NIP tersimpan sebagai angka dan kehilangan digit terakhirnya; "
                                  "format kolom NIP sebagai Teks."}


# --- the owner-only view -------------------------------------------------------------------------------

async def _seeded(db) -> tuple[int, int]:  # noqa: ANN001
    from handlers.features import bot
    from services.demo import seed_demo

    async with db.uow() as uow:
        await seed_demo(uow, NOW, bot().demo)
        await uow.commit()
        return (await _emp(uow, SITI)).id, (await _emp(uow, BUDI)).id


async def test_siti_sees_her_current_period_and_history(db) -> None:  # noqa: ANN001
    siti_id, _ = await _seeded(db)
    async with db.uow() as uow:
        o = await appraisal.overview(uow, _person(siti_id), now=NOW, tz=WITA)
    assert o.jf is True and o.current is not None
    assert (o.current.period, o.current.stage) == ("2026", Stage.PELAKSANAAN)
    assert o.current.done_stages == (Stage.PERENCANAAN,)
    assert len(o.current.missing) == 1 and o.current.workdays_left == 3 and not o.current.overdue
    assert [(v.period, v.predikat) for v in o.history] == [
        ("2025", Predikat.SANGAT_BAIK), ("2024", Predikat.BUTUH_PERBAIKAN), ("2023", Predikat.BAIK)]
    assert [v.credit_percent for v in o.history] == [150, 75, 100]


async def test_someone_elses_appraisal_is_refused_by_the_service(db) -> None:  # noqa: ANN001
    siti_id, budi_id = await _seeded(db)
    async with db.uow() as uow:
        siti_rows = await uow.appraisals.of_employee(siti_id)
        for role in ("asn", "hr", "officer", "superadmin"):
            budi = _person(budi_id, role=role, pid=2)
            with pytest.raises(Forbidden):
                await appraisal.overview(uow, budi, now=NOW, tz=WITA, employee_id=siti_id)
            for row in siti_rows:
                with pytest.raises(NotFound) as e:
                    await appraisal.period(uow, budi, row.id, now=NOW, tz=WITA)
                assert e.value.code == "skp.err.not_found"
        # Someone else's row and a row that does not exist answer alike.
        with pytest.raises(NotFound):
            await appraisal.period(uow, _person(budi_id), 10**12, now=NOW, tz=WITA)
        # Her own, by id, is fine.
        v = await appraisal.period(uow, _person(siti_id), siti_rows[0].id, now=NOW, tz=WITA)
        assert v.id == siti_rows[0].id


async def test_not_linked_people_have_no_appraisal(db) -> None:  # noqa: ANN001
    siti_id, _ = await _seeded(db)
    async with db.uow() as uow:
        for person in (_person(None, "citizen"), _person(None, "asn"), _person(None, "hr")):
            with pytest.raises(appraisal.NotLinked):
                await appraisal.overview(uow, person, now=NOW, tz=WITA, employee_id=siti_id)
            with pytest.raises(appraisal.NotLinked):
                await appraisal.period(uow, person, 1, now=NOW, tz=WITA)


async def test_a_final_period_is_history_and_the_latest_open_one_is_current(db) -> None:  # noqa: ANN001
    _, budi_id = await _seeded(db)
    async with db.uow() as uow:
        for period, stage, missing, res in (
            ("2026-S1", Stage.TINDAK_LANJUT, [], Rating.ABOVE),          # final
            ("2026-S2", Stage.PENILAIAN, ["penilaian atasan belum ada"], None),
            ("2025", Stage.TINDAK_LANJUT, ["rencana pengembangan belum ada"], Rating.AS_EXPECTED),  # not final
        ):
            uow.appraisals.add(Appraisal(employee_id=budi_id, year=int(period[:4]), period=period, stage=stage,
                                         result_rating=res, behaviour_rating=res,
                                         predikat=Predikat.BAIK if res else None, missing=missing))
        await uow.commit()
    async with db.uow() as uow:
        o = await appraisal.overview(uow, _person(budi_id), now=NOW, tz=WITA)
    assert o.jf is False and o.current is not None and o.current.period == "2026-S2"
    assert o.current.deadline is None and o.current.workdays_left is None
    assert [v.period for v in o.history] == ["2026-S1", "2025"]
    assert all(v.credit_percent is None for v in o.history)  # not JF: no credit points


async def test_the_demo_follows_now(db) -> None:  # noqa: ANN001
    """The sandbox runs on real time: a January start still gets a current period a few days ahead."""
    from handlers.features import bot
    from services.demo import seed_demo

    january = datetime(2027, 1, 4, 1, 0, tzinfo=UTC)
    async with db.uow() as uow:
        await seed_demo(uow, january, bot().demo)
        await uow.commit()
    async with db.uow() as uow:
        emp = await _emp(uow, SITI)
        o = await appraisal.overview(uow, _person(emp.id), now=january, tz=WITA)
        user_rows = (await uow.session.execute(select(User))).scalars().all()
    assert o.current is not None and o.current.year == 2027 and o.current.workdays_left == 3
    assert [v.year for v in o.history] == [2026, 2025, 2024]
    assert user_rows  # staff personas exist alongside
    assert replace(o.current, missing=()).missing == ()
