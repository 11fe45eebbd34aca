"""Typed notices: what a push says, as a frozen dataclass with its template name.

Services create them in the transaction that causes them (`uow.outbox.add(user, notice)`),
the outbox stores `template` + the fields as JSON, and the sender rebuilds the same type with
`from_params` before a registered renderer turns it into words in the recipient's language.
A renamed field is then a `TypeError` at the line that builds the notice, not a `KeyError`
at send time.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self, cast, dataclass_transform

if TYPE_CHECKING:
    from _typeshed import DataclassInstance  # a type checker's name for "any dataclass"

    from db.uow import UnitOfWork

_TYPES: dict[str, type[Notice]] = {}


# A notice type whose worth depends on the record it is about (a report still open): which of
# these missed notices are still worth sending, in one query for all of them.
MissedCheck = Callable[["UnitOfWork", Sequence["Notice"]], Awaitable[list[bool]]]


class UnfitParams(TypeError):
    """A stored row's params do not fit its notice type (a field missing or of the wrong type)."""


# Tells a type checker that each subclass is a frozen dataclass (as __init_subclass__ makes it), so
# a notice built with a wrong or missing field is an error before the code runs.
@dataclass_transform(frozen_default=True)
class Notice:
    template: ClassVar[str]
    # Missed while the person was unreachable: sent again when they write (True: the age limit alone
    # decides), never (False: a reminder of a moment that has passed), or as its feature's check says.
    # (Written without MissedCheck's names: _field_types resolves every annotation at run time.)
    missed: ClassVar[bool | Callable[..., Awaitable[list[bool]]]] = True
    _field_types: ClassVar[dict[str, tuple[type, ...]]]  # each subclass's own, set on first use

    def __init_subclass__(cls, template: str, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if template in _TYPES and _TYPES[template].__qualname__ != cls.__qualname__:
            raise ValueError(f"notice template {template!r} declared twice: "
                             f"{_TYPES[template].__qualname__} and {cls.__qualname__}")
        cls.template = template
        dataclasses.dataclass(frozen=True)(cls)
        _TYPES[template] = cls

    def to_params(self) -> dict[str, Any]:
        return dataclasses.asdict(cast("DataclassInstance", self))  # a dataclass: __init_subclass__ made it one

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Self:
        """The notice a stored row describes; unknown keys are ignored (rows outlive code).

        UnfitParams (a TypeError) when the row does not fit: a required field missing, or a value of the wrong
        JSON type. The sender then fails that row with this reason, instead of a renderer
        stumbling over it halfway.
        """
        if not isinstance(params, dict):
            raise UnfitParams(f"{cls.template}: params must be an object, not {type(params).__name__}")
        allowed = _field_types(cls)
        kept = {k: v for k, v in params.items() if k in allowed}
        for name, value in kept.items():
            if not isinstance(value, allowed[name]) or (isinstance(value, bool) and bool not in allowed[name]):
                want = " or ".join(t.__name__ for t in allowed[name])
                raise UnfitParams(f"{cls.template}: field {name!r} must be {want}, not {type(value).__name__}")
        missing = [f.name for f in dataclasses.fields(cast("type[DataclassInstance]", cls))
                   if f.name not in kept and f.default is dataclasses.MISSING
                   and f.default_factory is dataclasses.MISSING]
        if missing:
            raise UnfitParams(f"{cls.template}: missing field{'s' if len(missing) > 1 else ''} "
                            + ", ".join(repr(m) for m in missing))
        return cls(**kept)


_JSON_TYPES = (str, int, float, bool, type(None), list, dict)


def _field_types(cls: type[Notice]) -> dict[str, tuple[type, ...]]:
    """Each field's accepted value types, from its annotation (`int`, `str | None`, ...)."""
    cached: dict[str, tuple[type, ...]] | None = cls.__dict__.get("_field_types")  # not a base class's
    if cached is not None:
        return cached
    hints = typing.get_type_hints(cls)
    out: dict[str, tuple[type, ...]] = {}
    for f in dataclasses.fields(cast("type[DataclassInstance]", cls)):
        hint = hints[f.name]
        parts = typing.get_args(hint) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union \
            else (hint,)
        accepted = tuple(typing.get_origin(t) or t for t in parts)
        if float in accepted:
            accepted += (int,)  # JSON does not tell 1.0 from 1
        out[f.name] = tuple(t for t in accepted if isinstance(t, type)) or _JSON_TYPES
    cls._field_types = out
    return out


async def queue(uow: UnitOfWork, user_id: int, notice: Notice, *, dedupe_key: str | None = None,
                not_before: datetime | None = None) -> bool:
    """Put `notice` in the outbox for one person, in the caller's transaction; False if the
    dedupe key was used already (a job that runs again queues nothing twice)."""
    return await uow.outbox.add(user_id, notice, dedupe_key=dedupe_key, not_before=not_before)


def notice_types() -> dict[str, type[Notice]]:
    """Every notice type declared so far (import the features first)."""
    return dict(_TYPES)
