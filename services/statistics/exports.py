"""XLSX exports for staff: the reports and the survey answers of a period, audited.

Who may: the same as the statistics (HR and superadmins any agency, an officer their own).
Every export is recorded in the audit log: who, what, which period and agency, how many rows.

Identity: a report filed anonim or rahasia is exported without its reporter — the reporter
column is `desk.reporter_label`, the one rule the desk's card uses, so the file can never show
more than the card does. Survey answers are anonymous by design: no respondent column at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from db.uow import UnitOfWork
from services import xlsx
from services.complaints.desk import reporter_label
from services.statistics.responses import workdays_between
from services.statistics.scope import Period, scope, utc_window
from services.survey.ikm import ELEMENTS
from services.users import Person
from services.xlsx import Column, Sheet

Translate = Callable[..., str]
What = Literal["reports", "survey"]
MAX_ROWS = 50_000  # a bigger export is cut; the reply says so


@dataclass(frozen=True)
class Export:
    filename: str
    content: bytes
    rows: int
    truncated: bool


FILE_WORD = {"reports": "laporan", "survey": "survei"}


def _filename(what: str, period: Period, code: str | None) -> str:
    return f"SAPA-{FILE_WORD[what]}-{code or 'semua'}-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"


async def export(uow: UnitOfWork, person: Person, what: What, period: Period, agency_id: int | None, *,
                 t: Translate, tz: ZoneInfo) -> Export:
    """The file's bytes (built off the event loop) and the audit row for it."""
    sc = await scope(uow, person, agency_id)
    code = (await uow.statistics.agency_labels([sc.agency_id]))[sc.agency_id][0] if sc.agency_id else None
    if what == "reports":
        sheet, n = await _reports(uow, period, sc.agency_id, t, tz)
    elif what == "survey":
        sheet, n = await _survey(uow, period, sc.agency_id, t)
    else:
        raise ValueError(what)
    content = await asyncio.to_thread(xlsx.workbook, [sheet], tz=tz)
    uow.audit.record(f"user:{person.id}", "stats.export", f"{what}:{period.token}", actor_user_id=person.id,
                     agency=code or "*", rows=n, truncated=n >= MAX_ROWS)
    return Export(_filename(what, period, code), content, n, n >= MAX_ROWS)


async def _reports(uow: UnitOfWork, period: Period, agency_id: int | None, t: Translate, tz: ZoneInfo,
                   ) -> tuple[Sheet, int]:
    since, until = utc_window(period, tz)
    rows = await uow.statistics.report_rows(since, until, agency_id, MAX_ROWS)
    # Times are written as local wall-clock times: the header says which zone ("Diterima (WITA)").
    zone = since.astimezone(tz).tzname() or ""
    columns = [Column(t("stx.x.number")), Column(t("stx.x.filed", zone=zone), "datetime"), Column(t("stx.x.kind")),
               Column(t("stx.x.status")), Column(t("stx.x.agency")), Column(t("stx.x.privacy")),
               Column(t("stx.x.reporter")), Column(t("stx.x.description"), width=60), Column(t("stx.x.address")),
               Column(t("stx.x.due", zone=zone), "datetime"), Column(t("stx.x.first_response", zone=zone), "datetime"),
               Column(t("stx.x.response_days"), "int"), Column(t("stx.x.on_time")),
               Column(t("stx.x.answered", zone=zone), "datetime"), Column(t("stx.x.closed", zone=zone), "datetime"),
               Column(t("stx.x.rating"), "int")]
    out = []
    for r in rows:
        c, first = r.complaint, r.first_response_at
        days = workdays_between(c.created_at.astimezone(tz).date(), first.astimezone(tz).date()) if first else None
        out.append([c.number, c.created_at, t(f"stx.kind.{c.kind}"), t(f"cx.status.{c.status}"),
                    r.agency_name or t("stx.unrouted"), t(f"stx.privacy.{c.privacy}"),
                    reporter_label(c, r.reporter) or t("stx.x.hidden" if c.privacy != "normal" else "stx.x.none"),
                    c.description, c.address, c.response_due_at, first, days,
                    t("stx.yes" if first <= c.response_due_at else "stx.no") if first else None,
                    c.answered_at, c.closed_at, c.rating])
    return Sheet(t("stx.x.reports_sheet"), columns, out), len(out)


async def _survey(uow: UnitOfWork, period: Period, agency_id: int | None, t: Translate) -> tuple[Sheet, int]:
    rows = await uow.statistics.survey_rows(period.start, period.end, agency_id, MAX_ROWS)
    columns = [Column(t("stx.x.date"), "date"), Column(t("stx.x.unit_code")), Column(t("stx.x.unit")),
               Column(t("stx.x.agency")),
               *(Column(f"U{i + 1} {t(f'survey.el.{el}')}", "int") for i, el in enumerate(ELEMENTS)),
               Column(t("stx.x.score"), "float"), Column(t("stx.x.comment"), width=60)]
    out = [[r.local_date, code, name, agency, *r.answers, round(sum(r.answers) / len(r.answers) * 25, 2), r.comment]
           for r, code, name, agency in rows]
    return Sheet(t("stx.x.survey_sheet"), columns, out), len(out)
