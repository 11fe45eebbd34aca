"""A training's participant list as an XLSX sheet in HR's language: headers, the sheet's name and
each status in words; the sign-up time in the deployment's zone, named in its header."""

from __future__ import annotations

from datetime import datetime, tzinfo

from handlers.i18n import t
from services.training.export import Roster
from services.xlsx import Column, Kind, Sheet, today_stamp

COLUMNS: tuple[tuple[str, Kind], ...] = (
    ("no", "int"), ("nip", "text"), ("name", "text"), ("agency", "text"), ("golongan", "text"), ("jabatan", "text"),
    ("employment", "text"), ("status", "text"), ("position", "int"), ("queued", "datetime"), ("jp", "int"))


def participants_sheet(loc: str, zone: str, r: Roster) -> Sheet:
    columns = [Column(t(loc, f"tra.x.{c}", zone=zone), kind) for c, kind in COLUMNS]
    return Sheet(t(loc, "tra.x.sheet", code=r.code), columns, [
        (i, p.nip, p.name, p.agency, p.golongan, p.jabatan, p.employment, t(loc, f"tra.x.status.{p.status}"),
         p.position, p.queued_at, r.credited_jp(p)) for i, p in enumerate(r.people, 1)])


def filename(r: Roster, now: datetime, tz: tzinfo) -> str:
    # A stable name whatever the reader's language: files are shared between staff and scripts.
    return f"peserta-{r.code}-{today_stamp(now, tz)}.xlsx"
