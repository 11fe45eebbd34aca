"""Shared by the import tests: files, a database snapshot."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from db.models import Base

HEADER = "nip,name,phone,agency,golongan,jabatan,employment"
# Rows a dry run may not touch: the conversation itself (state, dedupe) and the staging row.
NOT_DATA = {"processed_updates", "users", "staged_imports"}


def reasons(report: Any, locale: str = "id") -> dict[int, str]:
    """{line: why it was refused, as the chat and the CLI say it in `locale`} of an ImportReport."""
    from handlers.i18n import t

    return {e.line: t(locale, e.key, **e.params) for e in report.errors}


def nip(i: int) -> str:
    return f"19{70 + i % 20:02d}{1 + i % 12:02d}{1 + i % 28:02d}2015{1 + i % 12:02d}{1 + i % 2}{i % 999 + 1:03d}"


def employees_csv(n: int, *, start: int = 0, extra: str = "") -> bytes:
    lines = [HEADER] + [f"{nip(i)},Pegawai {i},0812{i:06d},DINKES,III/a,Staf,PNS" for i in range(start, start + n)]
    return ("\n".join(lines) + "\n" + extra).encode()


def employees_xlsx(n: int, *, as_number: bool = False) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER.split(","))
    for i in range(n):
        ws.append([float(nip(i)) if as_number and i == 0 else nip(i), f"Pegawai {i}", f"0812{i:06d}", "DINKES",
                   "III/a", "Staf", "PNS"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


async def snapshot(db: Any, skip: set[str] = NOT_DATA) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with db.uow() as uow:
        for table in Base.metadata.sorted_tables:
            if table.name in skip:
                continue
            rows = (await uow.session.execute(select(table))).mappings().all()
            out[table.name] = sorted(repr(sorted(r.items())) for r in rows)
    return out
