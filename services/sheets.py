"""The rows of a CSV or XLSX file as a stream that stops at a row limit, in bounded memory.

Nothing reads a whole sheet into a list: a CSV is decoded as it is read, an XLSX's sheet is
streamed from the zip by openpyxl's read-only reader. A file with more rows than the limit is
refused as soon as that is known: at once when the sheet's `<dimension>` says so, else when the
stream passes the limit. Rows are counted as the file has them, blank ones included (a sheet of a
million empty rows is not read to the end to find it holds nothing).

What a person is told is a message key, never a Python exception's name: a damaged or
truncated workbook, or another file named `.xlsx`, is `import.not_workbook`.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from xml.etree import ElementTree

from services.errors import InvalidInput

MAX_COLUMNS = 50  # cells further right are not read (no import has more than ~20 columns)
SHARED_TEXT_PER_ROW = 512  # bytes of an XLSX's shared-string table allowed per row of the limit
_FORMULA = re.compile(rb"<c\b([^>]*)>\s*<f[ >/]")
_REF = re.compile(rb'\br="([A-Z]{1,3}[0-9]{1,7})"')
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}([0-9]{1,7}))?"')
_CHUNK = 1 << 20


def too_many(max_rows: int) -> InvalidInput:
    return InvalidInput("import.too_many_rows", max=max_rows)


def raw_rows(content: bytes, suffix: str, max_rows: int) -> Iterator[list[str]]:
    """Each row's cells as text (the header first); InvalidInput once past `max_rows` data rows."""
    rows = _xlsx(content, max_rows) if suffix == ".xlsx" else _csv(content)
    for i, row in enumerate(rows):
        if i > max_rows:  # row 0 is the header
            raise too_many(max_rows)
        yield row


def _csv(content: bytes) -> Iterator[list[str]]:
    text = io.TextIOWrapper(io.BytesIO(content), encoding="utf-8-sig", newline="")
    try:
        first = text.readline().splitlines()[0] if content.strip() else ""
        text.seek(0)
        # Indonesian Excel writes ';' (the comma is the decimal separator): take what the header uses.
        try:
            dialect = csv.Sniffer().sniff(first, delimiters=",;\t") if first else csv.excel
        except csv.Error:
            dialect = csv.excel  # a one-column header has no delimiter to find
        reader = csv.reader(text, dialect)
        try:
            for r in reader:
                yield [c.strip() for c in r]
        except csv.Error:  # an unclosed quote, a NUL, a field longer than csv's limit
            raise InvalidInput("import.csv_broken", line=reader.line_num) from None
    except UnicodeDecodeError:
        raise InvalidInput("import.not_utf8") from None


def _xlsx(content: bytes, max_rows: int) -> Iterator[list[str]]:
    from openpyxl import load_workbook
    from openpyxl.chartsheet import Chartsheet

    wb = None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as z:
            # openpyxl loads the shared-string table whole before the first row: bound it first.
            shared = sum(i.file_size for i in z.infolist() if i.filename.lower().endswith("sharedstrings.xml"))
            if shared > max_rows * SHARED_TEXT_PER_ROW:
                raise too_many(max_rows)
            # Before openpyxl opens it: a sheet without <dimension> is parsed whole on opening.
            _refuse_shapes(z, _active_sheet(z), max_rows)
            wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = wb.active
            if sheet is None or isinstance(sheet, Chartsheet):  # no sheet, or a chart: no rows to read
                raise InvalidInput("import.not_workbook")
            for r in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
                yield [_cell(c) for c in r]
    except InvalidInput:
        raise
    except Exception:  # noqa: BLE001 — not a zip, not a workbook, truncated, damaged XML: all the same to a person
        raise InvalidInput("import.not_workbook") from None
    finally:
        if wb is not None:
            wb.close()


PART_MAX = 4 * 1024 * 1024  # the workbook's own small XML parts; bigger is no workbook a person saved


def _part(z: zipfile.ZipFile, name: str) -> bytes:
    if z.getinfo(name).file_size > PART_MAX:
        raise InvalidInput("import.not_workbook")
    return z.read(name)


_M = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def _active_sheet(z: zipfile.ZipFile) -> str:
    """The zip path of the sheet openpyxl's `wb.active` is: the workbook view's active tab (else the
    first sheet), through the workbook's relationships. Small XML parts only."""
    root = ElementTree.fromstring(_part(z, "_rels/.rels"))
    part = next(r.get("Target", "") for r in root if r.get("Type", "").endswith("/officeDocument")).lstrip("/")
    wb = ElementTree.fromstring(_part(z, part))
    view = wb.find(f"{_M}bookViews/{_M}workbookView")
    sheets = wb.findall(f"{_M}sheets/{_M}sheet")
    rid = sheets[int(view.get("activeTab", "0")) if view is not None else 0].get(f"{_R}id")
    folder = posixpath.dirname(part)
    rels = ElementTree.fromstring(_part(z, posixpath.join(folder, "_rels", posixpath.basename(part) + ".rels")))
    target = next(r.get("Target", "") for r in rels if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _refuse_shapes(z: zipfile.ZipFile, sheet_path: str, max_rows: int) -> None:
    """Before any row is parsed: more rows than the limit (by the sheet's own `<dimension>`, else by
    counting `<row>` tags, which is cheap next to parsing them), formulas and merged cells (what a
    cell shows is not what is stored). Streamed from the zip, never held whole."""
    seen, tail = 0, b""
    with z.open(sheet_path) as f:
        while chunk := f.read(_CHUNK):
            buf = tail + chunk
            if not seen and (d := _DIMENSION.search(buf)) and d.group(1) and int(d.group(1)) - 1 > max_rows:
                raise too_many(max_rows)
            if m := _FORMULA.search(buf):
                ref = _REF.search(m.group(1))
                raise InvalidInput("import.formulas", cell=ref.group(1).decode() if ref else "?")
            if b"<mergeCell " in buf:
                raise InvalidInput("import.merged_cells")
            # Each <row> is at least one line: past the limit already, whatever the rows hold.
            seen += chunk.count(b"<row ") + chunk.count(b"<row>")
            if seen > max_rows + 1:
                raise too_many(max_rows)
            tail = buf[-256:]  # a tag cut between two chunks is found in the next


LOST_DIGITS = "!number"


def _cell(value: object) -> str:
    # Spreadsheets keep numbers as doubles: an 18-digit NIP (or a Telegram id) typed as a number
    # may have lost its last digits before we ever see it, so it must be reported, not guessed.
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else LOST_DIGITS
    return "" if value is None else str(value).strip()


__all__ = ["LOST_DIGITS", "MAX_COLUMNS", "raw_rows", "too_many"]
