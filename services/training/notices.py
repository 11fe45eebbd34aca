"""What the training feature pushes through the outbox."""

from __future__ import annotations

from services.notice import Notice


class SeatOffered(Notice, template="tr.seat"):
    """The next in line got a seat that someone gave up: they are in, told at once."""

    training_id: int
    title: str
    starts_at: str  # ISO 8601, UTC
    tz: str  # the deployment's zone when it was queued, so the renderer shows local time


class TrainingChanged(Notice, template="tr.changed"):
    """HR moved a training people signed up for (its time, place or link): each of them is told."""

    training_id: int
    title: str
    starts_at: str  # ISO 8601, UTC: the new values
    ends_at: str
    place: str | None
    online_url: str | None
    changed: str  # which of starts_at, ends_at, place, online_url changed, comma separated
    tz: str


class AttendanceWithdrawn(Notice, template="tr.unattended"):
    """HR undid the person's attendance (marked by mistake): the training's JP no longer count."""

    training_id: int
    title: str
    starts_at: str  # ISO 8601, UTC
    ends_at: str
    jp: int
    reason_code: str  # one of attendance.REASONS, rendered in the person's language; "": HR's own words
    reason: str  # HR's words (escaped when rendered); "" with a reason code
    tz: str


class TrainingCalledOff(Notice, template="tr.called_off"):
    """HR called off a training the person had a seat for or was waiting for."""

    training_id: int
    title: str
    starts_at: str  # ISO 8601, UTC
    ends_at: str
    reason: str  # HR's words (escaped when rendered); "" when called off by an import
    tz: str
