"""The reports of a period as an XLSX sheet, for `/statistik`'s export.

Identity: a report filed anonim or rahasia is exported without its reporter — the reporter
column is `desk.reporter_label`, the one rule the desk's card uses, so the file can never show
more than the card does.
"""

from __future__ import annotations

from db.uow import UnitOfWork
from services.complaints.desk import reporter_label
from services.complaints.response_times import workdays_between
from services.statistics.section import Translate, Window
from services.xlsx import Column, Sheet


async def sheet(uow: UnitOfWork, w: Window, t: Translate, limit: int) -> tuple[Sheet, int]:
    rows = await uow.complaint_stats.report_rows(w.since, w.until, w.scope.agency_id, limit)
    tz = w.tz
    # Times are written as local wall-clock times: the header says which zone ("Diterima (WITA)").
    zone = w.since.astimezone(tz).tzname() or ""
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
