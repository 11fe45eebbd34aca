"""What the open selection pushes through the outbox."""

from __future__ import annotations

from services.notice import Notice


class StageResult(Notice, template="vac.result"):
    """A stage's results were announced (or one announced result was corrected).

    `status` is the person's own result at that stage; None when they were out of the running
    before it and are only told that the announcement is there to see.
    """

    application_id: int
    stage_id: int
    jabatan: str
    stage_key: str | None
    stage_name: str
    status: str | None
    score: float | None = None
    corrected: bool = False


class DocumentReviewed(Notice, template="vac.doc_review"):
    """HR accepted one of the applicant's files, or rejected it with the reason they are told.

    `document_id` lets a rejection offer "Kirim perbaikan" (rows queued before it existed have none).
    """

    application_id: int
    jabatan: str
    label: str
    accepted: bool
    reason: str | None = None
    document_id: int | None = None
