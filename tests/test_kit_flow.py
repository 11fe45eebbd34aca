"""Declared steps: order, skips, edits that return to the summary, the diagram."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest

from handlers.flow import Step, Steps


@dataclass
class FakeChat:
    state: str | None = None
    data: dict[str, Any] = field(default_factory=dict)
    said: list[str] = field(default_factory=list)

    def clear(self) -> None:
        self.state, self.data = None, {}


class Order(Steps, prefix="ord", summary="confirm"):
    what = Step()
    photo = Step(skip=lambda chat: chat.data.get("kind") == "idea")
    where = Step()
    confirm = Step()


for _s in Order.steps:
    _s.asks(lambda chat, s=_s: chat.said.append(s.name))


async def test_names_follow_the_declaration() -> None:
    assert Order.names() == ["ord.what", "ord.photo", "ord.where", "ord.confirm"]
    assert Order.summary is Order.confirm


async def test_forward_skips_what_does_not_apply_and_edits_return() -> None:
    chat = FakeChat()
    await Order.start(chat)  # type: ignore[arg-type]
    assert chat.state == "ord.what"
    chat.data["kind"] = "idea"
    await Order.advance(chat)  # type: ignore[arg-type]
    assert chat.state == "ord.where"  # photo skipped for an idea
    await Order.advance(chat)  # type: ignore[arg-type]
    assert chat.state == "ord.confirm"
    await Order.edit(chat, Order.photo)  # type: ignore[arg-type]
    assert chat.state == "ord.photo" and Order.editing(chat)  # type: ignore[arg-type]
    await Order.advance(chat)  # type: ignore[arg-type]
    assert chat.state == "ord.confirm" and not Order.editing(chat)  # type: ignore[arg-type]
    assert chat.said == ["ord.what", "ord.where", "ord.confirm", "ord.photo", "ord.confirm"]


async def test_a_step_asks_once() -> None:
    with pytest.raises(ValueError):
        Order.what.asks(lambda chat: None)


def test_mermaid_lists_every_step_and_edit() -> None:
    text = Order.mermaid()
    assert text.startswith("stateDiagram-v2")
    assert "[*] --> what" in text and "what --> photo" in text and "where --> confirm" in text
    assert "confirm --> photo : edit" in text and "note right of photo" in text
