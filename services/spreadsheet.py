"""One reader of CSV/XLSX rows for every import, and the line-level report they share.

Rows come back with their line number (the header is line 1), so a bad row is reported as
`FILE:LINE: column: reason` and the good ones are still imported. A file that cannot be read as
one clean table (not a spreadsheet, formulas, merged cells, repeated or unknown columns, no rows)
is refused as a whole with an `import.*` code: nothing of it is imported.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from services.errors import InvalidInput

Row = dict[str, str]
LOST_DIGITS = "!number"
MAX_BYTES = 20 * 1024 * 1024  # what a bot may download through getFile; the CLI keeps the same limit
SUFFIXES = (".csv", ".xlsx")
QUOTED_MAX = 80  # characters of a cell quoted in a reason
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_FORMULA = re.compile(rb'<c r="([A-Z]{1,3}[0-9]{1,7})"[^>]*>\s*<f[ >/]')


@dataclass(frozen=True)
class Rejection:
    """A refused row: its line, the column at fault (None: the row as a whole), and why.

    Why is a message key with its params (`imp.row.*`, or the rule's own code such as
    `skp.err.year`), rendered in the reader's language where it is shown. A params value quoted
    from the file is shortened where the rejection is made (QUOTED_MAX is a backstop) and has
    its control characters replaced, but is not escaped: the chat escapes it, a terminal need not."""

    line: int
    column: str | None
    key: str
    params: dict[str, object] = field(default_factory=dict, hash=False)

    def __lt__(self, other: Rejection) -> bool:  # by line, then column (a row-wide one first)
        return (self.line, self.column or "", self.key) < (other.line, other.column or "", other.key)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[Rejection] = field(default_factory=list)

    def reject(self, line: int, column: str | None, key: str, /, **params: object) -> None:
        self.errors.append(Rejection(line, column, key, _shown(params)))

    def reject_cell(self, line: int, bad: BadCell) -> None:
        self.reject(line, bad.column, bad.key, **bad.params)

    def add(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors.extend(other.errors)


class BadCell(ValueError):
    """A row refused because of one column (None: the row as a whole), with a message key and params."""

    def __init__(self, column: str | None, key: str, /, **params: object) -> None:
        super().__init__(key)
        self.column, self.key, self.params = column, key, params


@contextmanager
def cell(column: str) -> Iterator[None]:
    """A shared rule's InvalidInput inside refuses the row at `column`, with the rule's own message key."""
    try:
        yield
    except InvalidInput as e:
        raise BadCell(column, e.code, **e.params) from None


def _shown(params: dict[str, object]) -> dict[str, object]:
    # A cell's text goes into terminals and chat messages: no control characters (a NUL, an ESC),
    # and a backstop on length for a value a call site forgot to truncate.
    return {k: _CONTROL.sub("\ufffd", v)[:QUOTED_MAX] if isinstance(v, str) else v for k, v in params.items()}


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[tuple[int, Row]]


def read_rows(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, Row]]]:
    """(lower-cased header, [(line number, row)]) from a .csv or .xlsx file; blank lines skipped."""
    try:
        content = path.read_bytes()
    except OSError:
        raise InvalidInput("import.unreadable", reason="OSError") from None
    table = read_table(content, path.name, required)
    return table.header, table.rows


def read_table(content: bytes, name: str, required: tuple[str, ...], known: tuple[str, ...] | None = None,
               *, need_rows: bool = False) -> Table:
    """One clean table from a file's bytes; `known` (required + optional) refuses other columns."""
    if len(content) > MAX_BYTES:
        raise InvalidInput("import.too_big", mb=MAX_BYTES // (1024 * 1024))
    suffix = Path(name or "").suffix.lower()
    if suffix == ".xls":
        raise InvalidInput("import.old_excel")
    if suffix not in SUFFIXES:
        raise InvalidInput("import.not_spreadsheet")
    rows = _xlsx(content) if suffix == ".xlsx" else _csv(content)
    if not rows or not any(rows[0]):
        raise InvalidInput("import.missing_columns", columns=", ".join(required))
    header = [h.strip().lower() for h in rows[0]]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells: a sheet's used range, not columns
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise InvalidInput("import.repeated_columns", columns=", ".join(repeated))
    check_columns(header, required, known)
    width = len(header)
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if any(r):
            if any(c for c in r[width:]):
                raise InvalidInput("import.cells_outside", line=i)
            out.append((i, dict(zip(header, r, strict=False))))
    if need_rows and not out:
        raise InvalidInput("import.no_rows")
    return Table(header, out)


def check_columns(header: list[str], required: tuple[str, ...], known: tuple[str, ...] | None) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput("import.missing_columns", columns=", ".join(missing))
    if known is not None:
        extra = [h or "(empty)" for h in header if h not in known]
        if extra:
            raise InvalidInput("import.extra_columns", columns=", ".join(extra)[:300])


def _csv(content: bytes) -> list[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("import.not_utf8") from None
    first = text.splitlines()[0] if text.strip() else ""
    # Indonesian Excel writes ';' (the comma is the decimal separator): take what the header uses.
    try:
        dialect = csv.Sniffer().sniff(first, delimiters=",;\t") if first else csv.excel
    except csv.Error:
        dialect = csv.excel  # a one-column header has no delimiter to find
    try:
        return [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), dialect)]
    except csv.Error as e:
        raise InvalidInput("import.unreadable", reason=str(e)[:80]) from None


def _xlsx(content: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        wb = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = wb.active
        _refuse_shapes(content, getattr(sheet, "_worksheet_path", None))
        rows = [[_cell(c) for c in r] for r in sheet.iter_rows(values_only=True)]
        wb.close()
    except InvalidInput:
        raise
    except Exception as e:  # noqa: BLE001 — not a workbook at all (zip, XML, openpyxl's own errors)
        raise InvalidInput("import.unreadable", reason=type(e).__name__) from None
    return rows


def _refuse_shapes(content: bytes, sheet_path: str | None) -> None:
    """Formulas and merged cells: what a cell shows is not what is stored, so the file is refused."""
    if not sheet_path:
        return
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        xml = z.read(sheet_path.lstrip("/"))
    if m := _FORMULA.search(xml):
        raise InvalidInput("import.formulas", cell=m.group(1).decode())
    if b"<mergeCell " in xml:
        raise InvalidInput("import.merged_cells")


def _cell(value: object) -> str:
    # Spreadsheets keep numbers as doubles: an 18-digit NIP (or a Telegram id) typed as a number
    # may have lost its last digits before we ever see it, so it must be reported, not guessed.
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else LOST_DIGITS
    return "" if value is None else str(value).strip()
