"""HR's declared flows: writing a vacancy (with a summary to confirm), a rejection's reason, a score.

The state names ("vaa.code", …) are stored in people's saved conversations: they stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from handlers.flow import Step, Steps
from handlers.router import Chat
from services.civil_service import JabatanKind, Predikat
from services.vacancies.fields import VacancyInput
from services.vacancies.rules import DocumentItem, Requirements


class Create(Steps, prefix="vaa", summary="confirm"):
    """A new vacancy (or a draft being edited): each field, then the summary that saves the draft."""

    code = Step()
    jabatan = Step()
    agency = Step(note="pick an agency")
    kind = Step(note="JPT / administrator / pengawas / JF")
    opens = Step()
    closes = Step()
    golongan = Step(note="minimum golongan or none")
    jabatan_kinds = Step()
    service = Step(note="years of service")
    age = Step(note="age limit")
    predikat = Step(note="SKP predikat history")
    documents = Step(note="checklist: standard or typed")
    stages = Step(note="default stages, editable")
    confirm = Step(note="Simpan draf")


class Rejecting(Steps, prefix="vaa"):
    """Why a document is rejected (the applicant is told)."""

    reason = Step()


class Grading(Steps, prefix="vaa"):
    """A result's score (optional), then — only for an announced stage — the correction's reason."""

    score = Step()
    correction = Step(note="reason, only after the stage was announced")


FLOWS: tuple[type[Steps], ...] = (Create, Rejecting, Grading)


def leave_flows(chat: Chat) -> None:
    """Opening another screen of the desk ends a question left open (nothing of it was saved), so the
    next typed text is not taken as an answer to it."""
    if any(flow.step(chat.state) is not None for flow in FLOWS):
        chat.clear()


@dataclass
class DraftData:
    """What the create flow has gathered, JSON-native; `vacancy_id` 0 for a new vacancy."""

    vacancy_id: int = 0
    code: str = ""
    jabatan: str = ""
    agency_id: int = 0
    agency: str = ""
    kind: str = ""
    opens: str = ""  # ISO dates
    closes: str = ""
    golongan: str | None = None
    jabatan_kinds: list[str] = field(default_factory=list)
    service: int | None = None
    age: int | None = None
    predikat: str | None = None
    predikat_years: int = 0
    documents: list[dict[str, Any]] = field(default_factory=list)
    stages: list[list[Any]] = field(default_factory=list)  # [key or None, name]

    def requirements(self) -> Requirements:
        return Requirements(self.golongan, Predikat(self.predikat) if self.predikat else None,
                            self.predikat_years if self.predikat else 0,
                            tuple(JabatanKind(k) for k in self.jabatan_kinds), self.age, self.service)

    def to_input(self) -> VacancyInput:
        return VacancyInput(self.code, self.jabatan, self.agency_id, self.kind,
                            date.fromisoformat(self.opens), date.fromisoformat(self.closes), self.requirements(),
                            tuple(DocumentItem.from_data(d) for d in self.documents),
                            tuple((k, n) for k, n in self.stages))

    @classmethod
    def of(cls, vacancy_id: int, agency: str, inp: VacancyInput) -> DraftData:
        r = inp.requirements
        return cls(vacancy_id, inp.code, inp.jabatan, inp.agency_id, agency, inp.kind, inp.opens_on.isoformat(),
                   inp.closes_on.isoformat(), r.min_golongan, [k.value for k in r.jabatan_kinds],
                   r.min_service_years, r.max_age, r.min_predikat.value if r.min_predikat else None,
                   r.predikat_years, [d.to_data() for d in inp.documents], [list(s) for s in inp.stages])


@dataclass
class ReviewData:
    document_id: int = 0
    application_id: int = 0


@dataclass
class GradeData:
    stage_id: int = 0
    application_id: int = 0
    passed: bool = False
    score: float | None = None
    published: bool = False  # the stage was announced when grading began: a correction
    revision: int = 0  # the result's revision then (0: none yet): a correction that changes nothing says so
