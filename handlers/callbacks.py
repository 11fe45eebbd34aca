"""Typed button data, after aiogram's `CallbackData`: declared once, packed, checked, unpacked.

    class ViewReport(Callback, prefix="cx:v"):
        report_id: int
        refresh: bool = False

    ViewReport(report_id=12).pack()         # "cx:v:12:0"
    ViewReport.unpack("cx:v:12:1")          # ViewReport(report_id=12, refresh=True)

Telegram hands back whatever a client sends, so `unpack` trusts nothing: ASCII digits within
BIGINT for ints, a declared choice for `Literal` fields, no separator inside strings. A value
that does not fit raises `StaleButton`; the router answers every such press the same way.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Self, dataclass_transform, get_args, get_origin

if TYPE_CHECKING:
    from handlers.chat import Chat

CALLBACK_LIMIT = 64  # bytes, Telegram's limit for callback_data
SEP = ":"
BIGINT_MAX = 2**63 - 1
_DIGITS = re.compile(r"-?[0-9]{1,19}")


class StaleButton(Exception):  # noqa: N818 - a signal, not an error: the router answers it
    """Button data that is malformed, forged or from a step that is over.

    The router answers it with the bot's stale-button reply. A subclass whose `answer` is an
    `async (chat) -> None` answers in its feature's own words instead (the survey says that
    survey is over and offers a new one).
    """

    answer: Callable[[Chat], Awaitable[None]] | None = None


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    kind: type | tuple[str, ...]  # int | str | bool, or the allowed choices of a Literal
    default: Any = dataclasses.MISSING
    optional: bool = False


# Tells type checkers what __init_subclass__ does: each subclass is a frozen dataclass, so
# `ViewReport(report_id=12)` is checked against its fields. (`frozen_default` reaches
# typing.dataclass_transform through its **kwargs on 3.11; mypy reads it.)
@dataclass_transform(frozen_default=True)
class Callback:
    """Base of every button's data type. Subclasses are frozen dataclasses with a prefix."""

    prefix: ClassVar[str]
    _fields: ClassVar[tuple[_Field, ...]]
    # What a press that does not count raises (malformed data, or outside the steps its handler
    # declares): a feature with its own stale answer names its StaleButton subclass here.
    stale: ClassVar[type[StaleButton]] = StaleButton

    def __init_subclass__(cls, prefix: str, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if not prefix or any(c.isspace() for c in prefix):
            raise ValueError(f"{cls.__name__}: bad prefix {prefix!r}")
        cls.prefix = prefix
        dataclasses.dataclass(frozen=True)(cls)
        assert dataclasses.is_dataclass(cls)  # just made one; the check tells type checkers so
        hints = typing.get_type_hints(cls)
        cls._fields = tuple(_describe(f, hints[f.name]) for f in dataclasses.fields(cls))

    def pack(self) -> str:
        parts = [self.prefix]
        for f in self._fields:
            parts.append(_pack_value(f, getattr(self, f.name)))
        # Trailing fields left at their defaults are not written: "cx:v:12", not "cx:v:12:"
        # (shorter, and buttons packed before a field was added still mean the same).
        while len(parts) > 1:
            f = self._fields[len(parts) - 2]
            if f.default is dataclasses.MISSING or getattr(self, f.name) != f.default:
                break
            parts.pop()
        data = SEP.join(parts)
        if len(data.encode()) > CALLBACK_LIMIT:
            raise ValueError(f"callback data over {CALLBACK_LIMIT} bytes: {data!r}")
        return data

    def valid(self) -> bool:
        """False for data that parses but means nothing now (a choice no feature registers any
        more): answered as stale, as a value outside a `Literal` is. Override where the choices
        are registered at run time."""
        return True

    @classmethod
    def unpack(cls, data: str) -> Self:
        """The typed value of `data`, or `cls.stale`. Missing trailing args take defaults."""
        try:
            return cls._parse(data)
        except StaleButton as e:
            if isinstance(e, cls.stale):
                raise
            raise cls.stale(data) from e

    @classmethod
    def _parse(cls, data: str) -> Self:
        head = cls.prefix + SEP
        if data == cls.prefix:
            raw: list[str] = []
        elif data.startswith(head):
            raw = data[len(head):].split(SEP)
        else:
            raise StaleButton(data)
        if len(raw) > len(cls._fields):
            raise StaleButton(data)
        values: dict[str, Any] = {}
        for i, f in enumerate(cls._fields):
            if i < len(raw):
                values[f.name] = _unpack_value(f, raw[i], data)
            elif f.default is dataclasses.MISSING:
                raise StaleButton(data)
        cb = cls(**values)
        if not cb.valid():
            raise StaleButton(data)
        return cb

    @classmethod
    def matches(cls, data: str) -> bool:
        return data == cls.prefix or data.startswith(cls.prefix + SEP)


def _describe(f: dataclasses.Field[Any], hint: Any) -> _Field:
    default = f.default
    optional = False
    args = get_args(hint)
    if get_origin(hint) in (typing.Union, getattr(__import__("types"), "UnionType", None)) and type(None) in args:
        optional = True
        hint = next(a for a in args if a is not type(None))
    if get_origin(hint) is Literal:
        kind: type | tuple[str, ...] = tuple(str(a) for a in get_args(hint))
    elif hint in (int, str, bool):
        kind = hint
    else:
        raise TypeError(f"callback field {f.name}: only int, str, bool, Literal[...] (got {hint!r})")
    return _Field(f.name, kind, default, optional)


def _pack_value(f: _Field, value: Any) -> str:
    if value is None:
        if not f.optional:
            raise ValueError(f"{f.name} is required")
        return ""
    if f.kind is bool:
        return "1" if value else "0"
    text = str(value)
    if SEP in text:
        raise ValueError(f"{f.name}: {SEP!r} is the separator")
    if isinstance(f.kind, tuple) and text not in f.kind:
        raise ValueError(f"{f.name}: {text!r} is not one of {f.kind}")
    return text


def _unpack_value(f: _Field, raw: str, data: str) -> Any:
    if raw == "" and f.optional:
        return None
    if f.kind is int:
        if not _DIGITS.fullmatch(raw) or abs(int(raw)) > BIGINT_MAX:
            raise StaleButton(data)
        return int(raw)
    if f.kind is bool:
        if raw not in ("0", "1"):
            raise StaleButton(data)
        return raw == "1"
    if isinstance(f.kind, tuple):
        if raw not in f.kind:
            raise StaleButton(data)
        return raw
    if not raw.isprintable() or len(raw) > CALLBACK_LIMIT:
        raise StaleButton(data)
    return raw
