"""HR's training buttons (prefix "tra") and the form's steps (state names "tra.*").

Ids are hints: every service re-checks that the presser is HR (or a superadmin) and that the
training exists; a form button pressed when its step is over is a stale button.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from handlers.callbacks import Callback
from handlers.chat import Chat
from handlers.flow import Step, Steps
from services.training.attendance import Reason
from services.training.fields import FieldName, TrainingFields

Field = FieldName  # a training's field, as the service names it


class TaButtons(Callback, prefix="tra"):
    """The family of every HR training button ("tra:…"): what router.restrict gates, not a button."""


class TaList(Callback, prefix="tra:l"):
    page: int = 1


class TaOpen(Callback, prefix="tra:o"):
    training_id: int


class TaNew(Callback, prefix="tra:new"):
    pass


class TaFields(Callback, prefix="tra:ch"):
    """Which field of a stored training to change."""

    training_id: int


class TaEditOne(Callback, prefix="tra:ef"):
    training_id: int
    field: Field


class TaClose(Callback, prefix="tra:cl"):
    training_id: int
    confirm: bool = False


class TaCallOff(Callback, prefix="tra:co"):
    """From the card: call the training off (asks why, then to confirm)."""

    training_id: int


class TaCallOffYes(Callback, prefix="tra:cy"):
    """The confirmation; its id must be that of the question open in the chat."""

    training_id: int


class TaPeople(Callback, prefix="tra:at"):
    """The participants, to mark who attended."""

    training_id: int
    page: int = 1


class TaMark(Callback, prefix="tra:mk"):
    training_id: int
    employee_id: int
    page: int = 1


class TaMarkAll(Callback, prefix="tra:ma"):
    training_id: int
    confirm: bool = False


class TaExport(Callback, prefix="tra:x"):
    training_id: int


class TaUndo(Callback, prefix="tra:un"):
    """From the attendance list, a ✅ person: undo their attendance (asks why, then to confirm)."""

    training_id: int
    employee_id: int
    page: int = 1


class TaUndoWhy(Callback, prefix="tra:uw"):
    """A one-press reason (services.training.attendance.REASONS)."""

    code: Reason


class TaUndoYes(Callback, prefix="tra:uy"):
    """The confirmation; its ids must be those of the question open in the chat."""

    training_id: int
    employee_id: int


# --- the form ------------------------------------------------------------------------------

class TaSkip(Callback, prefix="tra:sk"):
    """Leave an optional field empty (no topic, online only, no rank limit, every agency…)."""

    field: Field


class TaBack(Callback, prefix="tra:bk"):
    pass


class TaKind(Callback, prefix="tra:jk"):
    kind: str  # a civil_service.JabatanKind value; the service checks it


class TaKindsDone(Callback, prefix="tra:jd"):
    pass


class TaEmployment(Callback, prefix="tra:em"):
    value: Literal["PNS", "PPPK", "all"]


class TaEdit(Callback, prefix="tra:ed"):
    """From the summary: answer one field again."""

    field: Field


class TaSave(Callback, prefix="tra:sv"):
    pass


class TrainingForm(Steps, prefix="tra", summary="confirm"):
    """A new training, one question per step; editing one field of a stored one opens its step
    from the summary, which shows the change before it is saved."""

    code = Step(skip=lambda chat: bool(Draft.load(chat).training_id))
    title = Step()
    topic = Step()
    organiser = Step()
    starts_at = Step()
    ends_at = Step()
    place = Step()
    online_url = Step()
    jp = Step()
    quota = Step()
    registration_closes_at = Step()
    min_golongan = Step()
    max_golongan = Step()
    jabatan_kinds = Step()
    agency_ids = Step()
    employment = Step()
    confirm = Step()


@dataclass(frozen=True)
class Draft:
    """What the form has gathered (`TrainingFields`: None where not answered yet)."""

    training_id: int = 0  # 0: a new training
    values: TrainingFields = TrainingFields()
    original: TrainingFields = TrainingFields()  # the stored values, when editing

    @classmethod
    def load(cls, chat: Chat) -> Draft:
        saved = chat.load(_Saved)
        return cls(saved.training_id if isinstance(saved.training_id, int) else 0,
                   TrainingFields.from_json(saved.values), TrainingFields.from_json(saved.original))

    def save(self, chat: Chat) -> None:
        chat.save(_Saved(self.training_id, self.values.to_json(), self.original.to_json()))


@dataclass
class _Saved:
    """The draft as the chat's state keeps it (JSON): the shape drafts have always been saved in."""

    training_id: int = 0
    values: dict[str, Any] = field(default_factory=dict)
    original: dict[str, Any] = field(default_factory=dict)


class Unmarking(Steps, prefix="tra.un", summary="confirm"):
    """Undoing one person's attendance: why (they are told), then a confirmation before the JP go."""

    reason = Step(note="a one-press reason or typed")
    confirm = Step(note="Ya, tarik JP")


@dataclass
class UndoData:
    training_id: int = 0
    employee_id: int = 0
    page: int = 1  # of the attendance list, to go back to
    reason_code: str = ""  # one of attendance.REASONS, or "" with a typed reason
    reason: str = ""


class CallingOff(Steps, prefix="tra.co", summary="confirm"):
    """Calling a training off: why (the people are told), then a confirmation."""

    reason = Step(note="typed; told to everyone with a seat or waiting")
    confirm = Step(note="Ya, batalkan pelatihan")


@dataclass
class CallOffData:
    training_id: int = 0
    reason: str = ""
