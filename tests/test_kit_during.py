"""`Router.callback(..., during=...)`: a button counts only in the steps its handler declares."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import pytest

from handlers.callbacks import Callback, StaleButton
from handlers.flow import Step, Steps, state_names
from handlers.kit import Kind
from handlers.router import Router


class Form(Steps, prefix="kd"):
    name = Step()
    city = Step()
    confirm = Step()


class Other(Steps, prefix="kd.o"):
    only = Step()


class Save(Callback, prefix="kd:sv"):
    pass


class Skip(Callback, prefix="kd:sk"):
    field: Literal["name", "city"]


class Gone(StaleButton):
    """A feature's own stale answer."""


class Owned(Callback, prefix="kd:ow"):
    stale = Gone


@dataclass
class Pressed:
    text: str
    kind: Kind = Kind.CALLBACK


@dataclass
class FakeChat:
    """What the callback wrapper reads: the pressed data and the chat's step."""

    incoming: Pressed
    state: str | None = None


def _router(log: list[Any]) -> Router:
    r = Router("kd")

    @r.callback(Save, during=Form.confirm)
    async def save(chat: Any, cb: Save) -> None:
        log.append(("save", chat.state))

    async def late(chat: Any, cb: Skip) -> None:
        log.append(("late", cb.field))

    @r.callback(Skip, during=lambda cb: getattr(Form, cb.field), otherwise=late)
    async def skip(chat: Any, cb: Skip) -> None:
        log.append(("skip", cb.field))

    @r.callback(Owned, during=(Form, Other.only))
    async def owned(chat: Any, cb: Owned) -> None:
        log.append(("owned", chat.state))
    return r


def test_state_names_of_a_step_a_flow_and_a_tuple() -> None:
    assert state_names(Form.city) == {"kd.city"}
    assert state_names(Form) == {"kd.name", "kd.city", "kd.confirm"}
    assert state_names((Form.name, Other)) == {"kd.name", "kd.o.only"}
    with pytest.raises(ValueError):
        state_names(Step())  # not declared in a flow: no state name to compare with


async def test_inside_its_steps_the_handler_runs() -> None:
    log: list[Any] = []
    r = _router(log)
    await r.callbacks["kd:sv"](FakeChat(Pressed("kd:sv"), "kd.confirm"))
    await r.callbacks["kd:sk"](FakeChat(Pressed("kd:sk:city"), "kd.city"))
    await r.callbacks["kd:ow"](FakeChat(Pressed("kd:ow"), "kd.o.only"))
    assert log == [("save", "kd.confirm"), ("skip", "city"), ("owned", "kd.o.only")]


@pytest.mark.parametrize("data, state, raised", [
    ("kd:sv", None, StaleButton), ("kd:sv", "kd.name", StaleButton), ("kd:sv", "kd.o.only", StaleButton),
    ("kd:ow", None, Gone), ("kd:ow", "elsewhere", Gone),
])
async def test_outside_its_steps_the_press_is_stale(data: str, state: str | None, raised: type) -> None:
    log: list[Any] = []
    with pytest.raises(raised):
        await _router(log).callbacks[data](FakeChat(Pressed(data), state))
    assert log == []


async def test_otherwise_answers_a_press_outside_the_steps_its_data_names() -> None:
    log: list[Any] = []
    await _router(log).callbacks["kd:sk"](FakeChat(Pressed("kd:sk:name"), "kd.city"))
    assert log == [("late", "name")]


async def test_malformed_data_is_stale_before_the_step_is_looked_at() -> None:
    with pytest.raises(Gone):
        await _router([]).callbacks["kd:ow"](FakeChat(Pressed("kd:ow:extra"), "kd.name"))


def test_during_needs_a_typed_button() -> None:
    with pytest.raises(TypeError):
        Router().callback("kd:plain", during=Form.name)
