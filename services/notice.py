"""Typed notices: what a push says, as a frozen dataclass with its template name.

Services create them in the transaction that causes them (`uow.outbox.add(user, notice)`),
the outbox stores `template` + the fields as JSON, and the sender rebuilds the same type with
`from_params` before a registered renderer turns it into words in the recipient's language.
A renamed field is then a `TypeError` at the line that builds the notice, not a `KeyError`
at send time.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar, Self

if TYPE_CHECKING:
    from db.uow import UnitOfWork

_TYPES: dict[str, type[Notice]] = {}


class Notice:
    template: ClassVar[str]

    def __init_subclass__(cls, template: str, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if template in _TYPES and _TYPES[template].__qualname__ != cls.__qualname__:
            raise ValueError(f"notice template {template!r} declared twice: "
                             f"{_TYPES[template].__qualname__} and {cls.__qualname__}")
        cls.template = template
        dataclasses.dataclass(frozen=True)(cls)
        _TYPES[template] = cls

    def to_params(self) -> dict[str, Any]:
        return dataclasses.asdict(self)  # type: ignore[call-overload]

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Self:
        """The notice a stored row describes; unknown keys are ignored (rows outlive code)."""
        names = {f.name for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
        return cls(**{k: v for k, v in params.items() if k in names})


async def queue(uow: UnitOfWork, user_id: int, notice: Notice, *, dedupe_key: str | None = None,
                not_before: datetime | None = None) -> bool:
    """Put `notice` in the outbox for one person, in the caller's transaction; False if the
    dedupe key was used already (a job that runs again queues nothing twice)."""
    return await uow.outbox.add(user_id, notice.template, notice.to_params(), dedupe_key=dedupe_key,
                                not_before=not_before)


def notice_types() -> dict[str, type[Notice]]:
    """Every notice type declared so far (import the features first)."""
    return dict(_TYPES)
