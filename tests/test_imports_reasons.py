"""Why a row was refused, for every importer: each rejection is driven by a file, lands on its
line and column with its message key, and that key reads in both languages (Indonesian and
English catalogs, every parameter filled). Every `imp.row.*` key of the catalogs is exercised
here, so a reason cannot be added without a file that shows it, nor left behind once unused."""

from __future__ import annotations

import io
import re

from openpyxl import Workbook

from handlers.features import bot
from handlers.i18n import LOCALES, catalog, t
from services.imports import pipeline
from services.spreadsheet import ImportReport
from services.vacancies import selection
from tests.test_vacancies_service import BUDI, SITI, TZ, applied, world  # noqa: F401 - the fixture

VACANCY = "JF-DINKES-2026-01"
UNKNOWN = "199912312020121001"  # a well-formed NIP nobody has
LOST = 199001052015032002.0  # a NIP typed as a number: a double, its last digits gone


def _xlsx(rows: list[list[object]]) -> bytes:
    """An XLSX, so that a cell can be a number (the NIP and Telegram id that lost their digits)."""
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rows(header: str, lines: list[str]) -> list[list[object]]:
    return [header.split(",")] + [line.split(",") for line in lines]


async def _run(w, kind: str, rows: list[list[object]], *, dry_run: bool = True) -> ImportReport:  # noqa: ANN001
    parsed = pipeline.parse(bot().imports, _xlsx(rows), f"{kind}.xlsx", kind)
    assert parsed.kind is not None and parsed.kind.name == kind
    return await pipeline.run(w["db"], w["ahmad"], parsed.kind, parsed.table, dry_run=dry_run, tz=TZ, now=w["now"])


def _refused(report: ImportReport) -> dict[int, tuple[str | None, str]]:
    return {e.line: (e.column, e.key) for e in report.errors}


def _nip(i: int) -> str:  # valid PNS NIPs: born 1980-01-0i, TMT 2005-01, male, serial i
    return f"198001{i:02d}200501100{i % 10}"


async def _employees(w) -> ImportReport:  # noqa: ANN001
    header = "nip,name,phone,agency,golongan,jabatan,employment,jabatan_kind,birth_date,tmt"
    rows = _rows(header, [
        f"{_nip(1)},Andi,0812,DINKES,III/a,Staf,PNS,,,",               # 2: good
        f"{_nip(2)},Budi,0812,DINKES,III/a,Staf,honorer,,,",           # 3
        "x,Cici,0812,DINKES,III/a,Staf,PNS,,,",                        # 4: the NIP as a number, below
        "123,Dedi,0812,DINKES,III/a,Staf,PNS,,,",                      # 5
        "198013452005011001,Eka,0812,DINKES,III/a,Staf,PNS,,,",        # 6: no 45th of a 13th month
        "198001052005131001,Fani,0812,DINKES,III/a,Staf,PNS,,,",       # 7: TMT month 13
        "198001052005013001,Gita,0812,DINKES,III/a,Staf,PNS,,,",       # 8: sex digit 3
        f"{_nip(3)},,0812,DINKES,III/a,Staf,PNS,,,",                   # 9
        f"{_nip(4)},Hadi,0812,NOPE,III/a,Staf,PNS,,,",                 # 10
        f"{_nip(5)},Indah,0812,DINKES,V/z,Staf,PNS,,,",                # 11
        f"{_nip(6)},Joko,0812,DINKES,III/a,Staf,PNS,kepala suku,,",    # 12
        f"{_nip(7)},Kiki,0812,DINKES,III/a,Staf,PNS,,kemarin,",        # 13
        f"{_nip(8)},Lina,0812,DINKES,III/a,Staf,PNS,,2999-01-01,",     # 14
        f"{_nip(9)},Maya,0812,DINKES,III/a,Staf,PNS,,1999-01-01,2000-01-01",  # 15
        f"{_nip(1)},Andi Lagi,0812,DINKES,III/a,Staf,PNS,,,",          # 16
    ])
    rows[3][0] = LOST
    report = await _run(w, "employees", rows)
    assert report.created == 1
    assert _refused(report) == {
        3: ("employment", "imp.row.employment"), 4: ("nip", "imp.row.nip_lost_digits"),
        5: ("nip", "imp.row.nip_length"), 6: ("nip", "nip.bad_birth_date"), 7: ("nip", "nip.bad_tmt"),
        8: ("nip", "nip.bad_sex_digit"), 9: ("name", "imp.row.empty"), 10: ("agency", "imp.row.unknown_agency"),
        11: ("golongan", "cs.err.golongan"), 12: ("jabatan_kind", "cs.err.jabatan_kind"),
        13: ("birth_date", "imp.row.date"), 14: ("birth_date", "imp.row.future"), 15: ("tmt", "imp.row.tmt_after_birth"),
        16: ("nip", "imp.row.nip_repeated")}
    return report


async def _appraisals(w) -> ImportReport:  # noqa: ANN001
    header = "nip,year,period,stage,result_rating,behaviour_rating,predikat,deadline,missing"
    rows = _rows(header, [
        f"{SITI},2025,,penilaian,,,,,",                                # 2: good
        "x,2025,,penilaian,,,,,",                                      # 3: the NIP as a number, below
        "1990010520150,2025,,penilaian,,,,,",                          # 4
        f"{SITI},20x5,,penilaian,,,,,",                                # 5
        f"{SITI},2025,S3,penilaian,,,,,",                              # 6
        f"{SITI},2025,2024-S1,penilaian,,,,,",                         # 7
        f"{SITI},2025,,selesai,,,,,",                                  # 8
        f"{SITI},2025,,penilaian,bagus,,,,",                           # 9
        f"{SITI},2025,,penilaian,,,hebat,,",                           # 10
        f"{SITI},2025,,penilaian,,,,besok,",                           # 11
        f"{SITI},2019,,penilaian,,,,,{';'.join(f'item {i}' for i in range(21))}",  # 12
        f"{SITI},2018,,penilaian,,,,,{'x' * 201}",                     # 13
        f"{SITI},2017,,tindak_lanjut,above,above,Baik,,",              # 14
        f"{SITI},2016,,tindak_lanjut,,,Baik,,",                        # 15
        f"{UNKNOWN},2025,,penilaian,,,,,",                             # 16
        f"{SITI},2025,,tindak_lanjut,,,,,",                            # 17
    ])
    rows[2][0] = LOST
    report = await _run(w, "appraisals", rows)
    assert _refused(report) == {
        3: ("nip", "imp.row.nip_lost_digits"), 4: ("nip", "imp.row.nip_length"), 5: ("year", "skp.err.year"),
        6: ("period", "skp.err.period"), 7: ("period", "skp.err.period_year"), 8: ("stage", "skp.err.stage"),
        9: ("result_rating", "skp.err.rating"), 10: ("predikat", "skp.err.predikat"),
        11: ("deadline", "skp.err.deadline"), 12: ("missing", "imp.row.missing_items"),
        13: ("missing", "imp.row.missing_item_length"), 14: ("predikat", "imp.row.predikat_contradicts"),
        15: ("predikat", "imp.row.predikat_needs_ratings"), 16: ("nip", "imp.row.unknown_nip"),
        17: ("period", "imp.row.period_repeated")}
    return report


async def _trainings(w) -> ImportReport:  # noqa: ANN001
    header = ("code,title,organiser,starts_at,ends_at,jp,quota,registration_closes_at,topic,place,online_url,"
              "min_golongan,max_golongan,jabatan_kinds,agencies,employment,status")
    when = "2027-02-01 08:00,2027-02-01 16:00,8,20,2027-01-25 16:00"

    def row(code: str, *, when: str = when, topic: str = "", place: str = "Aula", url: str = "", lo: str = "",
            hi: str = "", kinds: str = "", agencies: str = "", employment: str = "", status: str = "",
            title: str = "Judul") -> str:
        return ",".join((code, title, "BKPSDM", when, topic, place, url, lo, hi, kinds, agencies, employment, status))

    rows = _rows(header, [
        row("TR-01"),                                                  # 2: good
        row("BAD 1"),                                                  # 3
        row("TR-03", title="X"),                                       # 4
        row("TR-04", topic="t" * 301),                                 # 5
        row("TR-05", when=when.replace("2027-02-01 08:00", "kemarin", 1)),  # 6
        row("TR-06", when=when.replace("2027-02-01 08:00", "0001-01-01 00:00", 1)),  # 7: before UTC's first day
        row("TR-07", when=when.replace(",8,", ",0,")),                 # 8
        row("TR-08", when=when.replace("16:00,8", "07:00,8")),         # 9
        row("TR-09", when=when.replace("2027-01-25", "2027-02-02")),   # 10
        row("TR-10", url="ftp://example.org/x"),                       # 11
        row("TR-11", lo="V/a"),                                        # 12
        row("TR-12", lo="IV/a", hi="III/a"),                           # 13
        row("TR-13", kinds="kepala suku"),                             # 14
        row("TR-14", agencies="DINKES;NOPE"),                          # 15
        row("TR-15", employment="honorer"),                            # 16
        row("TR-16", status="done"),                                   # 17
        row("TR-17", place=""),                                        # 18
        row("TR-01"),                                                  # 19
    ])
    report = await _run(w, "trainings", rows)
    assert _refused(report) == {
        3: ("code", "imp.row.code"), 4: ("title", "imp.row.text_length"), 5: ("topic", "imp.row.text_max"),
        6: ("starts_at", "imp.row.local_time"), 7: ("starts_at", "imp.row.local_time"),
        8: ("jp", "imp.row.whole_number"), 9: ("ends_at", "imp.row.ends_before_start"),
        10: ("registration_closes_at", "imp.row.closes_after_start"), 11: ("online_url", "imp.row.url"),
        12: ("min_golongan", "cs.err.golongan"), 13: ("min_golongan", "imp.row.golongan_order"),
        14: ("jabatan_kinds", "cs.err.jabatan_kind"), 15: ("agencies", "imp.row.unknown_agency_code"),
        16: ("employment", "imp.row.employment_or_empty"), 17: ("status", "imp.row.training_status"),
        18: ("place", "imp.row.place_needed"), 19: ("code", "imp.row.code_repeated")}
    return report


async def _agencies(w) -> ImportReport:  # noqa: ANN001
    header = "code,name,short_name,keywords,parent,head_telegram_id"
    rows = _rows(header, [
        "OPD-A,Satu,,,,",                                              # 2: good
        "<b>&,Dua,,,,",                                                # 3
        "OPD-C,,,,,",                                                  # 4
        f"OPD-D,Empat,{'s' * 65},,,",                                  # 5
        f"OPD-E,Lima,,{'k' * 60},,",                                   # 6
        "OPD-F,Enam,,,,12abc",                                         # 7
        "OPD-G,Tujuh,,,,x",                                            # 8: a Telegram id as a number, below
        "OPD-H,Delapan,,,NOPE,",                                       # 9
        "OPD-I,Sembilan,,,OPD-J,",                                     # 10: I and J, each other's parent
        "OPD-J,Sepuluh,,,OPD-I,",                                      # 11
        "OPD-K,Sebelas,,,OPD-H,",                                      # 12: its parent was refused
        "OPD-A,Lagi,,,,",                                              # 13
    ])
    rows[7][5] = 1.0e17
    report = await _run(w, "agencies", rows)
    assert _refused(report) == {
        3: ("code", "opd.err.code"), 4: ("name", "opd.err.name"), 5: ("short_name", "opd.err.short_name"),
        6: ("keywords", "opd.err.keywords"), 7: ("head_telegram_id", "imp.row.telegram_id"),
        8: ("head_telegram_id", "imp.row.id_lost_digits"), 9: ("parent", "imp.row.unknown_parent"),
        10: ("parent", "imp.row.parent_cycle"), 11: ("parent", "imp.row.parent_cycle"),
        12: ("parent", "imp.row.parent_refused"), 13: ("code", "imp.row.code_repeated")}
    return report


async def _results(w) -> ImportReport:  # noqa: ANN001
    db, now = w["db"], w["now"]
    await applied(db, w["siti"], w["jf"], now)
    await applied(db, w["budi"], w["jf"], now)
    header = "nip,vacancy,stage,status,score"
    first = await _run(w, "results", _rows(header, [f"{SITI},{VACANCY},1,lulus,", f"{BUDI},{VACANCY},1,tidak lulus,"]),
                       dry_run=False)
    assert first.created == 2 and first.errors == []
    async with db.uow() as uow:
        stage = (await uow.vacancies.stages([w["jf"]]))[w["jf"]][0]
        await selection.publish_stage(uow, w["ahmad"], stage.id, now=now)
        await uow.commit()
    rows = _rows(header, [
        f"{SITI},{VACANCY},2,lulus,80",                                # 2: good
        f"x,{VACANCY},2,lulus,",                                       # 3: the NIP as a number, below
        f"123,{VACANCY},2,lulus,",                                     # 4
        f"{SITI},,2,lulus,",                                           # 5
        f"{SITI},{VACANCY},,lulus,",                                   # 6
        f"{SITI},{VACANCY},2,bagus,",                                  # 7
        f"{SITI},{VACANCY},2,lulus,abc",                               # 8
        f"{SITI},NOPE,2,lulus,",                                       # 9
        f"{SITI},{VACANCY},99,lulus,",                                 # 10
        f"{UNKNOWN},{VACANCY},2,lulus,",                               # 11
        f"{SITI},{VACANCY},2,lulus,80",                                # 12
        f"{SITI},{VACANCY},1,tidak lulus,",                            # 13: stage 1 is announced
        f"{BUDI},{VACANCY},2,lulus,",                                  # 14: out of the running after stage 1
    ])
    rows[2][0] = LOST
    report = await _run(w, "results", rows, dry_run=False)  # the last one is refused only when recorded
    assert report.created == 1
    assert _refused(report) == {
        3: ("nip", "imp.row.nip_lost_digits"), 4: ("nip", "imp.row.nip_length"), 5: ("vacancy", "imp.row.empty"),
        6: ("stage", "imp.row.empty"), 7: ("status", "imp.row.result_status"), 8: ("score", "imp.row.score"),
        9: ("vacancy", "imp.row.unknown_vacancy"), 10: ("stage", "imp.row.no_stage"),
        11: ("nip", "imp.row.no_application"), 12: ("stage", "imp.row.result_repeated"),
        13: ("stage", "imp.row.stage_announced"), 14: (None, "vac.err.eliminated")}
    return report


def _keys(locale: str) -> set[str]:
    return {k for k in catalog(locale) if k.startswith("imp.row.")}


async def test_every_rejection_has_its_column_and_a_reason_in_both_languages(world):  # noqa: F811
    reports = [await make(world) for make in (_employees, _appraisals, _trainings, _agencies, _results)]
    rejections = [e for r in reports for e in r.errors]
    for e in rejections:
        for locale in LOCALES:
            assert e.key in catalog(locale), (locale, e)  # its own catalog, not the Indonesian fallback
            text = t(locale, e.key, **e.params)  # a parameter the message names and the rejection lacks: KeyError
            assert text and not re.search(r"\{\w+\}", text), (locale, e, text)
    # Every row reason of the catalogs is shown by one of the files above, in both languages alike.
    assert _keys("id") == _keys("en") == {e.key for e in rejections if e.key.startswith("imp.row.")}
    # Reasons quote the file but never a whole NIP (they end up in terminals and chats).
    assert all(SITI not in str(e.params) and UNKNOWN not in str(e.params) for e in rejections)
