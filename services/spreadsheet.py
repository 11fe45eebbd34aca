"""One reader of CSV/XLSX rows for every import, and the line-level report they share.

Rows come back with their line number (the header is line 1), so a bad row is reported as
`FILE:LINE: column: reason` and the good ones are still imported. A file that cannot be read as
one clean table (not a spreadsheet, formulas, merged cells, repeated or unknown columns, no rows,
more rows than the limit) is refused as a whole with an `import.*` code: nothing of it is imported.
The cells themselves are read as a stream by services/sheets.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from services import sheets
from services.errors import InvalidInput
from services.sheets import LOST_DIGITS as LOST_DIGITS  # re-exported: the importers compare cells with it

Row = dict[str, str]
MAX_BYTES = 20 * 1024 * 1024  # what a bot may download through getFile; the CLI keeps the same limit
SUFFIXES = (".csv", ".xlsx")
QUOTED_MAX = 80  # characters of a cell quoted in a reason
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
DEFAULT_MAX_ROWS = 50_000  # a file's data rows; the chat's limit is the setting SAPA_IMPORT_MAX_ROWS


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
    rows_done: int = 0  # rows the run went through (all of them unless stopped)
    stopped: bool = False  # Batal was pressed: the rows after `rows_done` were not looked at

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


@dataclass
class Stream:
    """A file's header, and its data rows as they are read: (line number, row), blank lines skipped."""

    header: list[str]
    rows: Iterator[tuple[int, Row]]


def read_rows(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, Row]]]:
    """(lower-cased header, [(line number, row)]) from a .csv or .xlsx file; blank lines skipped."""
    try:
        content = path.read_bytes()
    except OSError:
        raise InvalidInput("import.cannot_open") from None
    table = read_table(content, path.name, required)
    return table.header, table.rows


def read_table(content: bytes, name: str, required: tuple[str, ...], known: tuple[str, ...] | None = None,
               *, need_rows: bool = False, max_rows: int = DEFAULT_MAX_ROWS) -> Table:
    """One clean table from a file's bytes; `known` (required + optional) refuses other columns."""
    stream = open_table(content, name, required, known, max_rows=max_rows)
    rows = list(stream.rows)
    if need_rows and not rows:
        raise InvalidInput("import.no_rows")
    return Table(stream.header, rows)


def open_table(content: bytes, name: str, required: tuple[str, ...], known: tuple[str, ...] | None = None,
               *, max_rows: int = DEFAULT_MAX_ROWS) -> Stream:
    """The header read and checked now; the rows as they come (each refusal an InvalidInput then)."""
    if len(content) > MAX_BYTES:
        raise InvalidInput("import.too_big", mb=MAX_BYTES // (1024 * 1024))
    suffix = Path(name or "").suffix.lower()
    if suffix == ".xls":
        raise InvalidInput("import.old_excel")
    if suffix not in SUFFIXES:
        raise InvalidInput("import.not_spreadsheet")
    raw = sheets.raw_rows(content, suffix, max_rows)
    first = next(raw, None)
    if not first or not any(first):
        raise InvalidInput("import.missing_columns", columns=", ".join(required))
    header = [h.strip().lower() for h in first]
    while header and not header[-1]:
        header.pop()  # trailing empty header cells: a sheet's used range, not columns
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise InvalidInput("import.repeated_columns", columns=", ".join(repeated))
    check_columns(header, required, known)
    return Stream(header, _data(raw, header))


def _data(raw: Iterator[list[str]], header: list[str]) -> Iterator[tuple[int, Row]]:
    width = len(header)
    for i, r in enumerate(raw, start=2):
        if any(r):
            if any(c for c in r[width:]):
                raise InvalidInput("import.cells_outside", line=i)
            yield i, dict(zip(header, r, strict=False))


def check_columns(header: list[str], required: tuple[str, ...], known: tuple[str, ...] | None) -> None:
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput("import.missing_columns", columns=", ".join(missing))
    if known is not None:
        extra = [h or "(empty)" for h in header if h not in known]
        if extra:
            raise InvalidInput("import.extra_columns", columns=", ".join(extra)[:300])
