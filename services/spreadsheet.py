"""One reader of CSV/XLSX rows for every import, and the line-level report they share.

Rows come back with their line number (the header is line 1), so a bad row is reported as
`FILE:LINE: reason` and the good ones are still imported.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from services.errors import InvalidInput

Row = dict[str, str]
LOST_DIGITS = "!number"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)


def read_rows(path: Path, required: tuple[str, ...]) -> tuple[list[str], list[tuple[int, Row]]]:
    """(lower-cased header, [(line number, row)]) from a .csv or .xlsx file; blank lines skipped."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(path, read_only=True, data_only=True).active
            rows = [[_cell(c) for c in r] for r in sheet.iter_rows(values_only=True)]
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:  # not a workbook at all
            raise InvalidInput("import.unreadable", reason=type(e).__name__) from None
    else:
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("import.not_utf8") from None
        # Indonesian Excel writes ';' (the comma is the decimal separator): take what the header uses.
        dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t") if text.strip() else csv.excel
        rows = [[c.strip() for c in r] for r in csv.reader(io.StringIO(text), dialect)]
    if not rows:
        raise InvalidInput("import.missing_columns", columns=", ".join(required))
    header = [h.strip().lower() for h in rows[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise InvalidInput("import.missing_columns", columns=", ".join(missing))
    return header, [(i, dict(zip(header, r, strict=False))) for i, r in enumerate(rows[1:], start=2) if any(r)]


def _cell(value: object) -> str:
    # Spreadsheets keep numbers as doubles: an 18-digit NIP (or a Telegram id) typed as a number
    # may have lost its last digits before we ever see it, so it must be reported, not guessed.
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else LOST_DIGITS
    return "" if value is None else str(value).strip()
