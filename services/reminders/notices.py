"""What reminders push. Dates are ISO 8601 in UTC with the zone name to show them in.

Lists travel as text (one item a line, or JSON) because notice fields are scalars.
"""

from __future__ import annotations

from services.notice import Notice


class TrainingTomorrow(Notice, template="rm.tr.h1"):
    training_id: int
    title: str
    starts_at: str
    place: str | None
    online_url: str | None
    tz: str


class TrainingToday(TrainingTomorrow, template="rm.tr.h0"):
    """The morning itself (H-0): the same fields as the day before's, under its own template."""


class RegistrationClosing(Notice, template="rm.tr.closing"):
    training_id: int
    title: str
    closes_at: str
    starts_at: str
    tz: str


class VacancyPublished(Notice, template="rm.vac.new"):
    vacancy_id: int
    jabatan: str
    agency: str
    closes_at: str
    tz: str
    unmet: str  # comma-separated rule codes (services.vacancies.rules.Unmet.rule); "": eligible


class VacancyDocsMissing(Notice, template="rm.vac.docs"):
    vacancy_id: int
    application_id: int
    jabatan: str
    closes_at: str
    tz: str
    missing: str  # the checklist labels HR wrote, one a line (user text: escaped when rendered)


class SkpDeadline(Notice, template="rm.skp"):
    appraisal_id: int
    period: str
    deadline_at: str
    tz: str
    days: int
    missing: str  # one item a line, as HR's import wrote them


class SkpMandatory(SkpDeadline, template="rm.skp.must"):
    """A deadline of a period HR made mandatory: sent even to those who switched SKP off.

    The same fields as SkpDeadline; its own template, so switching SKP off never cancels it."""


class ComplaintDueSoon(Notice, template="rm.cx.due"):
    complaint_id: int
    number: str
    due_at: str
    tz: str
    stage: str  # response | resolve


class ComplaintOverdue(Notice, template="rm.cx.overdue"):
    complaint_id: int
    number: str
    due_at: str
    tz: str
    stage: str
    agency: str | None


class JpNudge(Notice, template="rm.jp"):
    year: int
    counted: int
    target: int
    trainings: str  # JSON [{"id", "title", "starts_at", "jp"}]: open trainings that fit the person
    tz: str
