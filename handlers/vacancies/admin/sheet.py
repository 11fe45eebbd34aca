"""A vacancy's applicants as XLSX sheets in HR's language: a sheet of applicants, one per stage
(a standard stage named in the reader's language), statuses, results and yes/no in words; the
submission time in the deployment's zone, named in its header."""

from __future__ import annotations

import re

from handlers.i18n import t
from services.vacancies.export import ApplicantsFile
from services.vacancies.review import StageSheet
from services.xlsx import Column, Kind, Sheet

ColumnSpec = tuple[tuple[str, Kind], ...]  # each column's catalog key ("vaa.x.<key>") and kind
APPLICANT_COLUMNS: ColumnSpec = (
    ("number", "int"), ("name", "text"), ("nip", "text"), ("agency", "text"), ("status", "text"),
    ("submitted", "datetime"), ("docs_have", "int"), ("docs_needed", "int"), ("docs_complete", "text"),
    ("docs_rejected", "int"), ("docs_corrected", "int"))
STAGE_COLUMNS: ColumnSpec = (
    ("number", "int"), ("name", "text"), ("nip", "text"), ("agency", "text"), ("in_running", "text"),
    ("result", "text"), ("score", "float"), ("revision", "int"), ("docs_complete", "text"), ("published", "text"))
# Excel refuses these in a sheet's name.
NOT_IN_TITLE = re.compile(r"[\[\]:*?/\\]")


def _columns(loc: str, zone: str, spec: ColumnSpec) -> list[Column]:
    return [Column(t(loc, f"vaa.x.{c}", zone=zone), kind) for c, kind in spec]


def _yes(loc: str, value: bool) -> str:
    return t(loc, "vaa.x.yes" if value else "vaa.x.no")


def _stage(loc: str, zone: str, s: StageSheet) -> Sheet:
    # A name HR typed stays as typed (plain text: no escaping in a cell); the position keeps names unique.
    name = t(loc, f"vac.stage.{s.stage.key}") if s.stage.key else s.stage.name
    title = NOT_IN_TITLE.sub(" ", f"{s.stage.position}. {name}")[:31]
    return Sheet(title, _columns(loc, zone, STAGE_COLUMNS), [
        (i, r.name, r.nip, r.agency, _yes(loc, r.in_running),
         t(loc, f"vaa.x.result.{r.result.status}") if r.result else None,
         r.result.score if r.result else None, r.result.revision if r.result else None,
         _yes(loc, r.docs_complete), _yes(loc, s.stage.published)) for i, r in enumerate(s.rows, 1)])


def applicants_sheets(loc: str, zone: str, f: ApplicantsFile) -> list[Sheet]:
    applicants = Sheet(t(loc, "vaa.x.sheet"), _columns(loc, zone, APPLICANT_COLUMNS), [
        (i, r.name, r.nip, r.agency, t(loc, f"vaa.x.status.{r.status}"), r.submitted_at, r.docs_have,
         r.docs_needed, _yes(loc, r.complete), r.docs_rejected, r.docs_corrected) for i, r in enumerate(f.rows, 1)])
    return [applicants, *(_stage(loc, zone, s) for s in f.stages)]
