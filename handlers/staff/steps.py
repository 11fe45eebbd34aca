"""The typed steps: who (a forwarded message or an id), and the audit log's typed filters."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.flow import Step, Steps


class PickFlow(Steps, prefix="sf"):
    who = Step(note="forward a message or type an id")


class AuditFlow(Steps, prefix="sfa"):
    person = Step(note="forward a message or type an id")
    action = Step(note="type an action prefix")
    period = Step(note="type two dates")


@dataclass
class AuditFilterData:
    """The audit log's filter, kept in the chat's state while the superadmin browses."""

    person: int | None = None
    action: str | None = None
    since: str | None = None  # ISO dates in the deployment's zone, inclusive
    until: str | None = None
    span: str = "all"  # what the period buttons show as chosen


FILTER_KEY = "sf_audit"
FLOWS = (PickFlow, AuditFlow)
