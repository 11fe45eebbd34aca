"""The shared XLSX writer and quiet hours: what every export and every push schedule relies on."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from services.quiet_hours import QuietHours
from services.xlsx import Column, Sheet, workbook

WIB = ZoneInfo("Asia/Jakarta")
WITA = ZoneInfo("Asia/Makassar")


def test_xlsx_types_widths_and_no_formulas() -> None:
    data = workbook([Sheet("Laporan", [Column("Nomor"), Column("Masuk", "datetime"), Column("Hari", "int"),
                                       Column("Tanggal", "date")],
                           [["=HYPERLINK(\"x\")", datetime(2026, 12, 1, 1, 30, tzinfo=UTC), 3, date(2026, 12, 2)],
                            ["a\x00b<&>", None, None, None]])], tz=WIB)
    ws = load_workbook(io.BytesIO(data)).active
    assert ws.title == "Laporan"
    assert [c.value for c in ws[1]] == ["Nomor", "Masuk", "Hari", "Tanggal"]
    # text, not a formula, and no apostrophe Excel would show: the cell reads exactly what was written
    assert ws["A2"].value == "=HYPERLINK(\"x\")" and ws["A2"].data_type == "s" and ws["A2"].quotePrefix
    assert ws["B2"].value == datetime(2026, 12, 1, 8, 30)  # local wall clock, WIB
    assert ws["B2"].number_format == "yyyy-mm-dd hh:mm"
    assert ws["C2"].value == 3 and ws["D2"].value.date() == date(2026, 12, 2)
    assert ws["A3"].value == "ab<&>"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= len("=HYPERLINK(\"x\")")


def test_formula_looking_text_stays_text_in_every_column_kind_of_text() -> None:
    cells = ["=1+1", "+62 811", "-5", "@SUM(A1)", "=HYPERLINK(\"http://x\",\"<b>&\")"]
    data = workbook([Sheet("S", [Column(f"c{i}") for i in range(len(cells))], [cells])])
    ws = load_workbook(io.BytesIO(data)).active
    for i, text in enumerate(cells, start=1):
        cell = ws.cell(row=2, column=i)
        assert cell.value == text and cell.data_type == "s" and cell.quotePrefix, text
    raw = load_workbook(io.BytesIO(data), data_only=False).active
    assert all(raw.cell(row=2, column=i).data_type != "f" for i in range(1, len(cells) + 1))


@pytest.mark.parametrize(("local", "quiet"), [((20, 59), False), ((21, 0), True), ((3, 0), True),
                                              ((5, 59), True), ((6, 0), False), ((12, 0), False)])
def test_quiet_hours_cross_midnight(local: tuple[int, int], quiet: bool) -> None:
    q = QuietHours.parse("21:00-06:00")
    moment = datetime(2026, 12, 1, *local, tzinfo=WITA).astimezone(UTC)
    assert q.is_quiet(moment, WITA) is quiet
    released = q.release(moment, WITA)
    if quiet:
        assert released.astimezone(WITA).time().hour == 6 and released > moment
        assert released - moment <= timedelta(hours=9)  # this night, not the next one
    else:
        assert released == moment


def test_quiet_hours_release_is_next_morning_in_own_zone() -> None:
    q = QuietHours.parse("21:00-06:00")
    late = datetime(2026, 12, 1, 22, 0, tzinfo=WIB)
    assert q.release(late, WIB) == datetime(2026, 12, 2, 6, 0, tzinfo=WIB)
    early = datetime(2026, 12, 2, 2, 0, tzinfo=WIB)
    assert q.release(early, WIB) == datetime(2026, 12, 2, 6, 0, tzinfo=WIB)


def test_quiet_hours_off_and_bad() -> None:
    assert not QuietHours.parse("off").is_quiet(datetime(2026, 12, 1, 23, tzinfo=WIB), WIB)
    for bad in ("21-6", "25:00-06:00", "nonsense"):
        with pytest.raises(ValueError):
            QuietHours.parse(bad)
