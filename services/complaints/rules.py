"""The complaint state machine and the deadlines: one table each, nothing else decides them.

SP4N-LAPOR! flow: diterima → diverifikasi → didisposisikan → diproses → dijawab/selesai →
ditutup; or ditolak, or digabung into another report.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from zoneinfo import ZoneInfo

from services.errors import DomainError, Forbidden, InvalidInput
from services.settings import Settings
from services.text import visible_length


class Status(StrEnum):
    DITERIMA = "diterima"
    DIVERIFIKASI = "diverifikasi"
    DIDISPOSISIKAN = "didisposisikan"
    DIPROSES = "diproses"
    DIJAWAB = "dijawab"
    SELESAI = "selesai"
    DITUTUP = "ditutup"
    DITOLAK = "ditolak"
    DIGABUNG = "digabung"


class ComplaintKind(StrEnum):
    PENGADUAN = "pengaduan"
    ASPIRASI = "aspirasi"
    INFORMASI = "informasi"


class Privacy(StrEnum):
    NORMAL = "normal"
    ANONIM = "anonim"  # public report, reporter hidden from the agency
    RAHASIA = "rahasia"  # confidential report, reporter hidden too


class Actor(StrEnum):
    """The part a person plays for one report (computed per report, never trusted from input)."""

    REPORTER = "reporter"
    OFFICER = "officer"  # an officer of the agency holding the report
    HR = "hr"  # BKPSDM verifiers and superadmins
    SYSTEM = "system"


FINAL = frozenset({Status.DITOLAK, Status.DIGABUNG})
ENDED = FINAL | {Status.DITUTUP}  # no replies, no new work
OPEN = tuple(s.value for s in Status if s not in ENDED)
ANSWERED = (Status.DIJAWAB, Status.SELESAI, Status.DITUTUP)  # feedback and reopening possible
WORKING = (Status.DITERIMA, Status.DIVERIFIKASI, Status.DIDISPOSISIKAN, Status.DIPROSES)


@dataclass(frozen=True)
class Rule:
    sources: tuple[Status, ...]
    target: Status
    actors: tuple[Actor, ...]
    note_required: bool = False


RULES: dict[str, Rule] = {
    "verify": Rule((Status.DITERIMA,), Status.DIVERIFIKASI, (Actor.HR, Actor.OFFICER)),
    # Again from didisposisikan only for a report whose agency has no officer (the desk checks that).
    "dispose": Rule((Status.DIVERIFIKASI, Status.DIDISPOSISIKAN), Status.DIDISPOSISIKAN, (Actor.HR,)),
    "process": Rule((Status.DIVERIFIKASI, Status.DIDISPOSISIKAN), Status.DIPROSES, (Actor.OFFICER,)),
    "answer": Rule((Status.DIVERIFIKASI, Status.DIDISPOSISIKAN, Status.DIPROSES, Status.DIJAWAB), Status.DIJAWAB,
                   (Actor.OFFICER, Actor.HR), note_required=True),
    "resolve": Rule((Status.DIPROSES, Status.DIJAWAB), Status.SELESAI, (Actor.OFFICER,)),
    "close": Rule((Status.DIJAWAB, Status.SELESAI), Status.DITUTUP,
                  (Actor.OFFICER, Actor.HR, Actor.REPORTER, Actor.SYSTEM)),
    "reopen": Rule(ANSWERED, Status.DIPROSES, (Actor.REPORTER,)),
    "return": Rule(WORKING, Status.DIVERIFIKASI, (Actor.OFFICER,), note_required=True),
    "reject": Rule(WORKING, Status.DITOLAK, (Actor.HR, Actor.OFFICER), note_required=True),
    "merge": Rule(WORKING, Status.DIGABUNG, (Actor.HR, Actor.OFFICER)),
    # An officer hands a report their agency holds to another agency (HR routes with "dispose").
    "forward": Rule(WORKING, Status.DIDISPOSISIKAN, (Actor.OFFICER,)),
}
# What staff may pick from a report card; reopen is the citizen's, dispose goes through routing.
DESK_ACTIONS = ("verify", "process", "answer", "resolve", "close", "return", "reject", "merge")
# Picked where only an earlier step would allow it, an action takes that step first, recorded as its
# own event: an officer answers a new report directly, and the history still shows it was verified.
IMPLIED = {"answer": "verify"}
# Desk work that moves no status: taking a report (the claimant is shown to colleagues) while
# it is open, asking the reporter for more information while it is still being worked on.
CLAIMABLE = OPEN
ASKABLE = WORKING


def check(action: str, status: str, actor: Actor | None) -> Rule:
    """The rule for `action`, or a DomainError saying why it cannot happen now."""
    rule = RULES.get(action)
    if rule is None:
        raise DomainError("cx.err.bad_action")
    if actor is None or actor not in rule.actors:
        raise Forbidden("cx.err.not_allowed")
    if status not in rule.sources:
        raise DomainError("cx.err.illegal", status=status, action=action)
    return rule


def implied_step(action: str, status: str, actor: Actor | None) -> str | None:
    """The step `action` takes first from `status`, when it needs one and `actor` may take it."""
    first = IMPLIED.get(action)
    if first is None or status in RULES[action].sources or actor not in RULES[first].actors:
        return None
    if status in RULES[first].sources and RULES[first].target in RULES[action].sources:
        return first
    return None


def allowed(status: str, actor: Actor | None, actions: tuple[str, ...] = DESK_ACTIONS) -> list[str]:
    return [a for a in actions if actor in RULES[a].actors
            and (status in RULES[a].sources or implied_step(a, status, actor) is not None)]


@dataclass(frozen=True)
class Policy:
    """Deadlines and limits (SP4N defaults); read from settings when the deployment sets them."""

    instance_code: str = "BJB"
    tz: ZoneInfo = ZoneInfo("Asia/Jakarta")
    per_hour: int = 5
    response_days: int = 3  # first response (verification)
    info_days: int = 5  # information requests, simple complaints
    resolve_days: int = 14  # complaints without a field check
    reopen_days: int = 14  # calendar days after an answer
    duplicate_days: int = 30
    desc_min: int = 10
    desc_max: int = 4000
    max_photos: int = 10
    max_file_bytes: int = 20 * 1024 * 1024  # what the Bot API lets a bot download

    def resolve_days_for(self, kind: str) -> int:
        return self.info_days if kind == ComplaintKind.INFORMASI else self.resolve_days


def policy_for(settings: Settings) -> Policy:
    return Policy(
        instance_code=settings.instance_code, tz=settings.tz, per_hour=settings.reports_per_hour,
        response_days=settings.complaint_response_days, info_days=settings.complaint_info_days,
        resolve_days=settings.complaint_resolve_days, reopen_days=settings.complaint_reopen_days,
    )


def message_text(text: str, limit: int) -> str:
    """A reply or comment as typed, trimmed; empty or over `limit` is refused with the numbers."""
    text = text.strip()
    if not visible_length(text):  # only zero-width characters: nothing to read
        raise InvalidInput("cx.err.reply_empty")
    if len(text) > limit:
        raise InvalidInput("cx.err.reply_long", max=limit, length=len(text))
    return text
