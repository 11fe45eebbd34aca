"""What the open selection's services return: frozen views, no ORM rows."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from services.vacancies.rules import REJECTED, DocumentItem, Requirements, Unmet

DRAFT, SUBMITTED, WITHDRAWN = "draft", "submitted", "withdrawn"
LULUS, TIDAK_LULUS, MENUNGGU = "lulus", "tidak_lulus", "menunggu"
RESULT_STATUSES = (LULUS, TIDAK_LULUS, MENUNGGU)
# What an applicant's own tracking says of a stage with no announced result for them: the stage
# under way ("sedang berjalan"), one still ahead, or one they take no part in (out earlier, or
# not submitted). "menunggu" stays HR's word for a result not decided yet.
RUNNING, NOT_YET, NOT_TAKEN = "berjalan", "belum", "tidak_diikuti"
TRACK_STATUSES = (RUNNING, NOT_YET, NOT_TAKEN)


@dataclass(frozen=True)
class StageView:
    id: int
    position: int
    key: str | None
    name: str
    published: bool


@dataclass(frozen=True)
class VacancyView:
    id: int
    code: str
    jabatan: str
    agency: str
    kind: str
    opens_at: datetime
    closes_at: datetime
    closes_on: date  # the closing day in the deployment's zone: what age and service are counted on
    is_open: bool
    requirements: Requirements
    documents: tuple[DocumentItem, ...]
    stages: tuple[StageView, ...]
    unmet: tuple[Unmet, ...]
    application_id: int | None = None  # the person's own, if any
    application_status: str | None = None

    @property
    def eligible(self) -> bool:
        return not self.unmet


@dataclass(frozen=True)
class DocumentView:
    code: str
    label: str
    name: str | None
    size: int | None
    mime: str | None
    id: int = 0
    review: str | None = None  # None | accepted | rejected
    reason: str | None = None  # why HR rejected it, as HR typed it
    corrected_at: datetime | None = None  # when a rejected file was replaced after submitting (perbaikan berkas)


@dataclass(frozen=True)
class ApplicationView:
    id: int
    vacancy: VacancyView
    status: str
    documents: tuple[DocumentView, ...]
    missing: tuple[DocumentItem, ...]
    submitted_at: datetime | None

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def correctable(self) -> tuple[DocumentView, ...]:
        """The rejected files one may replace now: a submitted application, registration still open."""
        if self.status != SUBMITTED or not self.vacancy.is_open:
            return ()
        return tuple(d for d in self.documents if d.review == REJECTED)


@dataclass(frozen=True)
class Correction:
    """A file the person may replace now, and why HR rejected it (what "Kirim perbaikan" opens)."""

    application: ApplicationView
    item: DocumentItem
    reason: str | None


@dataclass(frozen=True)
class StageProgress:
    stage: StageView
    status: str  # an announced RESULT_STATUSES value, else one of TRACK_STATUSES
    score: float | None  # only the person's own, and only once the stage is published


@dataclass(frozen=True)
class Tracking:
    application: ApplicationView
    stages: tuple[StageProgress, ...]


@dataclass(frozen=True)
class AnnouncedRow:
    name: str
    agency: str
    status: str
    mine: bool


@dataclass(frozen=True)
class Announcement:
    vacancy: VacancyView
    stage: StageView
    rows: tuple[AnnouncedRow, ...]  # no scores: those are each person's own


@dataclass(frozen=True)
class ResultView:
    application_id: int
    stage_id: int
    status: str
    score: float | None
    revision: int
    published: bool


def stage_progress(stages: Iterable[StageView], results: Mapping[int, Any], *, submitted: bool
                   ) -> tuple[StageProgress, ...]:
    """Each stage for the applicant: an announced result (`results`: stage id → a row with status
    and score), else the stage under way (the first one without it), stages ahead, or stages they
    take no part in (out at an earlier one). Unannounced results stay hidden."""
    rows = []
    out = False  # failed an announced stage: the later ones are not theirs
    running = submitted  # a draft or withdrawn application is in no stage yet
    for s in stages:
        r = results.get(s.id)
        if s.published and r is not None and not out:
            rows.append(StageProgress(s, r.status, r.score))
            out = r.status == TIDAK_LULUS
        elif out or (s.published and running):  # announced without them: they were not in it
            out = True
            rows.append(StageProgress(s, NOT_TAKEN, None))
        else:
            rows.append(StageProgress(s, RUNNING if running else NOT_YET, None))
            running = False
    return tuple(rows)
