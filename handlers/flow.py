"""Declared flow steps, after aiogram's `StatesGroup`: a flow lists its steps once, in order.

    class Filing(Steps, prefix="cx", summary="confirm"):
        kind = Step()
        desc = Step()
        photos = Step(skip=lambda chat: ...)
        confirm = Step()

    @Filing.desc.asks                       # what entering the step says
    def ask_desc(chat: Chat) -> None: ...

    @router.step(Filing.desc)               # what the step does with the next update
    async def described(chat: Chat) -> None:
        ...
        await Filing.advance(chat)          # the next step, or back to the summary when editing

    @router.callback(SkipPhotos, during=Filing.photos)   # the steps in which a button counts
    async def no_photos(chat: Chat, cb: SkipPhotos) -> None: ...

A step's state name is `<prefix>.<attribute>` ("cx.desc"): that string is what the chat's
durable state stores, so renaming an attribute is a data migration; the declaration order is
the flow's order, and `docs/flows.md` is drawn from it.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar, Generic, TypeVar

from handlers.callbacks import Callback

if TYPE_CHECKING:
    from _typeshed import DataclassInstance  # a type checker's name for "any dataclass"

    from handlers.router import Chat

Ask = Callable[["Chat"], Awaitable[None] | None]
A = TypeVar("A", bound=Ask)  # `asks` hands back the function as declared (with its `lead=`)
D = TypeVar("D", bound="DataclassInstance")
C = TypeVar("C", bound=Callback)
TypedHandler = Callable[["Chat", C], Awaitable[None]]  # a typed button's handler: `fn(chat, data)`
EDITING = "_edit"  # flow-data key: the step was opened from the summary, and returns there


class Step:
    """One step of a flow. `skip(chat)` leaves it out of the way forward (not out of edits)."""

    def __init__(self, *, skip: Callable[[Chat], bool] | None = None, note: str = "") -> None:
        self.skip = skip
        self.note = note  # a word for the diagram
        self.name = ""
        self.attr = ""
        self.flow: type[Steps] | None = None
        self._ask: Ask | None = None

    def __set_name__(self, owner: type, attr: str) -> None:
        self.attr = attr

    def __repr__(self) -> str:
        return f"Step({self.name})"

    def asks(self, fn: A) -> A:
        """Register what entering this step says (the question, its buttons)."""
        if self._ask is not None:
            raise ValueError(f"step {self.name} already has an ask")
        self._ask = fn
        return fn

    async def enter(self, chat: Chat) -> None:
        chat.state = self.name
        if self._ask is None:
            raise LookupError(f"step {self.name} has no @asks")
        result = self._ask(chat)
        if inspect.isawaitable(result):
            await result

    def is_current(self, chat: Chat) -> bool:
        return chat.state == self.name


class Steps:
    """A flow: its steps in declaration order, an optional summary step that edits return to."""

    prefix: ClassVar[str]
    steps: ClassVar[tuple[Step, ...]]
    summary: ClassVar[Step | None]

    def __init_subclass__(cls, prefix: str, summary: str | None = None, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        cls.prefix = prefix
        found = [v for v in vars(cls).values() if isinstance(v, Step)]
        for step in found:
            step.name = f"{prefix}.{step.attr}"
            step.flow = cls
        cls.steps = tuple(found)
        cls.summary = getattr(cls, summary) if summary else None
        if summary and not isinstance(cls.summary, Step):
            raise ValueError(f"{cls.__name__}: summary {summary!r} is not a step")

    @classmethod
    def names(cls) -> list[str]:
        return [s.name for s in cls.steps]

    @classmethod
    def step(cls, name: str | None) -> Step | None:
        return next((s for s in cls.steps if s.name == name), None)

    @classmethod
    async def start(cls, chat: Chat) -> None:
        await cls._forward(chat, -1)

    @classmethod
    async def advance(cls, chat: Chat) -> None:
        """From the current step: back to the summary when editing, else the next that applies."""
        if chat.data.pop(EDITING, None) and cls.summary is not None:
            await cls.summary.enter(chat)
            return
        current = cls.step(chat.state)
        await cls._forward(chat, cls.steps.index(current) if current else -1)

    @classmethod
    async def edit(cls, chat: Chat, step: Step) -> None:
        """Open `step` from the summary: `advance` from it returns to the summary."""
        chat.data[EDITING] = True
        await step.enter(chat)

    @classmethod
    def editing(cls, chat: Chat) -> bool:
        return bool(chat.data.get(EDITING))

    @classmethod
    async def _forward(cls, chat: Chat, index: int) -> None:
        for step in cls.steps[index + 1:]:
            if step.skip is None or not step.skip(chat):
                await step.enter(chat)
                return
        chat.clear()  # walked off the end: the flow is over

    @classmethod
    def mermaid(cls) -> str:
        """The flow as a Mermaid state diagram: the way forward, skips, edits from the summary."""
        lines = ["stateDiagram-v2", f"    [*] --> {cls.steps[0].attr}"]
        for i, step in enumerate(cls.steps):
            label = f" : {step.note}" if step.note else ""
            if step.skip is not None:
                lines.append(f"    note right of {step.attr} : may be skipped")
            nxt = cls.steps[i + 1].attr if i + 1 < len(cls.steps) else "[*]"
            if step is not cls.summary:
                lines.append(f"    {step.attr} --> {nxt}{label}")
        if cls.summary is not None:
            for step in cls.steps:
                if step is not cls.summary:
                    lines.append(f"    {cls.summary.attr} --> {step.attr} : edit")
            lines.append(f"    {cls.summary.attr} --> [*] : send")
        return "\n".join(lines)


# A button's steps (`Router.callback(..., during=...)`): one step, a whole flow, or several of either.
During = Step | type[Steps] | tuple[Step | type[Steps], ...]


def state_names(during: During) -> frozenset[str]:
    """The state names in which a button counts: a step's, every step of a flow, or the union."""
    parts = during if isinstance(during, tuple) else (during,)
    names = frozenset(n for p in parts for n in ([p.name] if isinstance(p, Step) else p.names()))
    if "" in names:  # () is allowed: a function of a button's data may name no step at all
        raise ValueError(f"during={during!r}: only steps declared in a Steps class")
    return names


class ButtonHandler(Generic[C]):
    """A typed button's handler as the router keeps it (`Router.callback` with a `Callback` type):
    `fn(chat, data)` behind the unpacking of the data and the check of the chat's step.

    Malformed or forged data raises `callback_type.stale` from `unpack`; a press outside the
    steps raises it too, or goes to `otherwise`. `callback_type` and `during` say what it answers,
    for tests and tools that walk a router's table: a class, not a closure, so they are typed.
    """

    def __init__(self, fn: TypedHandler[C], callback_type: type[C], during: frozenset[str] | None,
                 of_data: Callable[[C], During] | None, otherwise: TypedHandler[C] | None) -> None:
        self.fn, self.callback_type = fn, callback_type
        self.during = during  # the steps, known at registration; None: any step, or they depend on the data
        self.of_data, self.otherwise = of_data, otherwise
        self.__name__ = self.__qualname__ = getattr(fn, "__name__", "callback")

    async def __call__(self, chat: Chat) -> None:
        cb = self.callback_type.unpack(chat.incoming.text)
        steps = self.during if self.of_data is None else state_names(self.of_data(cb))
        if steps is not None and chat.state not in steps:
            if self.otherwise is None:  # dispatch answers it: the pop-up, the chat as it was
                raise self.callback_type.stale(chat.incoming.text)
            await self.otherwise(chat, cb)
            return
        await self.fn(chat, cb)


# --- typed flow data -------------------------------------------------------------------------
# A flow keeps what it has gathered as one dataclass of JSON-native fields (str, int, float, bool,
# None, lists and dicts of those), saved in the chat's durable state on every step. Keys starting
# with "_" belong to the kit (e.g. EDITING) and survive a save.

def load_data(kind: type[D], data: dict[str, Any]) -> D:
    """The saved state as `kind`; fields it lacks take their defaults, unknown keys are ignored."""
    names = {f.name for f in dataclasses.fields(kind)}
    return kind(**{k: copy.deepcopy(v) for k, v in data.items() if k in names})


def dump_data(value: DataclassInstance, current: dict[str, Any]) -> dict[str, Any]:
    """`value` as the state to save, normalised as JSON will give it back (tuples become lists)."""
    fields = json.loads(json.dumps(dataclasses.asdict(value)))
    return {**{k: v for k, v in current.items() if k.startswith("_")}, **fields}
