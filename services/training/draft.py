"""The answers HR's training form has gathered, typed, and their JSON in the chat's state.

The form asks one field per step and a draft lives in the chat's durable state between steps,
so the answers are saved as JSON and read back on every step: a draft saved by an older
release (or a hand-edited state) must still load, so unknown keys are ignored and a value of
the wrong type counts as not answered (the form asks for it again).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any, Literal, TypeAlias

# A field's name, typed: the form's buttons carry one, and a tuple of them yields them typed.
FieldName = Literal["code", "title", "topic", "organiser", "starts_at", "ends_at", "place", "online_url", "jp", "quota",
                    "registration_closes_at", "min_golongan", "max_golongan", "jabatan_kinds", "agency_ids",
                    "employment"]
FIELDS: tuple[FieldName, ...] = (
    "code", "title", "topic", "organiser", "starts_at", "ends_at", "place", "online_url", "jp", "quota",
    "registration_closes_at", "min_golongan", "max_golongan", "jabatan_kinds", "agency_ids", "employment")
TIMES = ("starts_at", "ends_at", "registration_closes_at")
NUMBERS = {"jp": (1, 200), "quota": (1, 10000)}

FieldValue: TypeAlias = str | int | datetime | tuple[str, ...] | tuple[int, ...] | None
_OPTIONAL_TEXTS = ("place", "online_url", "min_golongan", "max_golongan", "employment")  # JSON null: "none"


@dataclass(frozen=True)
class TrainingFields:
    """The form's answers so far, one typed attribute per field (times in UTC).

    None: not answered yet (a check of one field against another looks only at what is known).
    An optional field answered "none" holds its empty value: "" for a text, () for a list.
    The flow state keeps these as JSON (`to_json`/`from_json`), in the shape drafts have always
    been saved in: only answered keys, ISO times, lists, and null for an optional text left empty.
    """

    code: str | None = None
    title: str | None = None
    topic: str | None = None
    organiser: str | None = None
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = None
    online_url: str | None = None
    jp: int | None = None
    quota: int | None = None
    registration_closes_at: datetime | None = None
    min_golongan: str | None = None
    max_golongan: str | None = None
    jabatan_kinds: tuple[str, ...] | None = None
    agency_ids: tuple[int, ...] | None = None
    employment: str | None = None

    def get(self, field: str) -> FieldValue:
        value: FieldValue = getattr(self, field)
        return value

    def answered(self, field: str) -> bool:
        return self.get(field) is not None

    def with_answer(self, field: str, value: FieldValue) -> TrainingFields:
        """These answers and `field`'s; a value not of the field's type is a bug (TypeError)."""
        if field not in FIELDS or not _fits(field, value):
            raise TypeError(f"{field}={value!r}")
        answer: dict[str, Any] = {field: value}
        return replace(self, **answer)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in FIELDS:
            v = self.get(f)
            if v is None:
                continue
            if isinstance(v, datetime):
                out[f] = v.isoformat()
            elif isinstance(v, tuple):
                out[f] = list(v)
            else:
                out[f] = None if f in _OPTIONAL_TEXTS and v == "" else v
        return out

    @classmethod
    def from_json(cls, data: object) -> TrainingFields:
        """Saved values back; unknown keys are ignored and an ill-typed value counts as not answered."""
        if not isinstance(data, dict):
            return cls()
        kept: dict[str, Any] = {f.name: v for f in fields(cls) if (v := _typed(f.name, data)) is not None}
        return cls(**kept)


def _fits(field: str, value: FieldValue) -> bool:
    if field in TIMES:
        return isinstance(value, datetime) and value.tzinfo is not None
    if field in NUMBERS:
        return isinstance(value, int) and not isinstance(value, bool)
    if field in ("jabatan_kinds", "agency_ids"):
        kind = str if field == "jabatan_kinds" else int
        return isinstance(value, tuple) and all(isinstance(v, kind) and not isinstance(v, bool) for v in value)
    return isinstance(value, str)


def _typed(field: str, data: dict[str, Any]) -> FieldValue:
    """`data[field]` as the field's type, or None (absent or ill-typed)."""
    if field not in data:
        return None
    raw = data[field]
    if field in TIMES:
        if not isinstance(raw, str):
            return None
        try:
            moment = datetime.fromisoformat(raw)
        except ValueError:
            return None
        return moment if moment.tzinfo is not None else None  # a naive time cannot be placed: not answered
    if field in NUMBERS:
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    if field == "jabatan_kinds":
        ok = isinstance(raw, list) and all(isinstance(k, str) for k in raw)
        return tuple(raw) if ok else None
    if field == "agency_ids":
        ok = isinstance(raw, list) and all(isinstance(a, int) and not isinstance(a, bool) for a in raw)
        return tuple(raw) if ok else None
    if raw is None and field in _OPTIONAL_TEXTS:
        return ""  # answered: none
    return raw if isinstance(raw, str) else None
