"""What the open selection's services return: frozen views, no ORM rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from services.vacancies.rules import REJECTED, DocumentItem, Requirements, Unmet

DRAFT, SUBMITTED, WITHDRAWN = "draft", "submitted", "withdrawn"
LULUS, TIDAK_LULUS, MENUNGGU = "lulus", "tidak_lulus", "menunggu"
RESULT_STATUSES = (LULUS, TIDAK_LULUS, MENUNGGU)


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
    status: str  # lulus | tidak_lulus | menunggu (unpublished results always read "menunggu")
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
