"""One writer of XLSX exports: typed columns, widths that fit, nothing a spreadsheet would execute.

Exports (reports, survey answers, participants, applicants, the audit log, undelivered
broadcast rows) describe their columns once and hand over plain rows; `workbook()` returns
the file's bytes. Build it with `await asyncio.to_thread(workbook, ...)` for large exports so
the event loop keeps answering chats.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, tzinfo
from typing import Any, Literal

Kind = Literal["text", "int", "float", "date", "datetime", "percent"]
FORMATS: dict[str, str] = {"date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm", "float": "0.00", "percent": "0.0%"}
MAX_WIDTH = 60
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    title: str
    kind: Kind = "text"
    width: int | None = None  # characters; None: fitted to the longest value (capped)


@dataclass
class Sheet:
    title: str  # ≤ 31 characters (Excel's limit); longer titles are cut
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]] = field(default_factory=list)


def safe_text(value: str) -> str:
    """The text without the control characters XML forbids (tab and newline stay)."""
    return "".join(ch for ch in value if ch in "\n\t" or ord(ch) >= 32)


def looks_like_formula(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def _as_text(cell: Any) -> None:
    """Keep a formula-looking value a string cell: an exported complaint cannot run code in Excel.
    Not an apostrophe in the value (Excel would show it); quotePrefix is what Excel itself sets
    when someone types '=…, so the cell shows exactly what was written and stays text on edit."""
    cell.data_type = "s"
    cell.quotePrefix = True


def _cell(value: Any, col: Column, tz: tzinfo | None) -> Any:
    if value is None:
        return None
    if col.kind == "text":
        return safe_text(str(value))
    if col.kind == "datetime" and isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(tz) if tz else value
        return value.replace(tzinfo=None)  # Excel has no time zones: local wall-clock time
    if col.kind == "date" and isinstance(value, datetime):
        return (value.astimezone(tz) if tz and value.tzinfo else value).date()
    if col.kind in ("int", "float", "percent") and isinstance(value, bool):
        return int(value)
    return value


def workbook(sheets: Sequence[Sheet], *, tz: tzinfo | None = None) -> bytes:
    """The .xlsx file's bytes: a bold, frozen header row, typed cells, fitted column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    if wb.active is not None:  # a new workbook starts with one empty sheet: the named ones replace it
        wb.remove(wb.active)
    bold = Font(bold=True)
    for sheet in sheets:
        ws = wb.create_sheet(sheet.title[:31] or "Sheet")
        ws.append([c.title for c in sheet.columns])
        for cell in ws[1]:
            cell.font = bold
        widths = [len(c.title) for c in sheet.columns]
        for r, row in enumerate(sheet.rows, start=2):
            values = [_cell(v, c, tz) for v, c in zip(row, sheet.columns, strict=True)]
            ws.append(values)
            for i, v in enumerate(values, start=1):
                if looks_like_formula(v):  # append() took it for a formula
                    _as_text(ws.cell(row=r, column=i))
            for i, (v, c) in enumerate(zip(values, sheet.columns, strict=True)):
                if v is not None:
                    widths[i] = max(widths[i], 16 if c.kind == "datetime" else len(str(v).split("\n")[0]))
        for i, c in enumerate(sheet.columns, start=1):
            letter = get_column_letter(i)
            ws.column_dimensions[letter].width = min(c.width or widths[i - 1] + 2, MAX_WIDTH)
            if fmt := FORMATS.get(c.kind):
                for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                    cell.number_format = fmt
        ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def today_stamp(now: datetime, tz: tzinfo) -> str:
    """`20261201`: the date part of an export's file name."""
    return now.astimezone(tz).strftime("%Y%m%d")


__all__ = ["Column", "Sheet", "date", "looks_like_formula", "safe_text", "today_stamp", "workbook"]
