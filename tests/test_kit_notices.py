"""A typed notice listed in a manifest: queued in the caller's transaction, rendered by type."""

from __future__ import annotations

import pytest

from handlers.feature import Feature, assemble, renders
from handlers.kit import Reply
from handlers.router import DuplicateRegistration, Router
from services.notice import Notice


class Pinged(Notice, template="kt.pinged"):
    number: str
    count: int = 1


@renders(Pinged)
def pinged(loc: str, n: Pinged) -> Reply:
    return Reply(f"{loc}:{n.number}×{n.count}")


def test_a_notice_round_trips_through_its_stored_params() -> None:
    book = assemble([Feature("kt", Router(), notices=(pinged,))]).notices
    stored = Pinged("BJB-2026-000001", 3).to_params()
    assert book.render("kt.pinged", stored, "en").text == "en:BJB-2026-000001×3"
    assert book.render("kt.pinged", {**stored, "gone_field": 1}, "id").text == "id:BJB-2026-000001×3"
    with pytest.raises(TypeError):
        book.render("kt.pinged", {"count": 2}, "id")  # a row missing a field: a clear failure
    with pytest.raises(KeyError):
        book.render("kt.unknown", {}, "id")


def test_one_template_one_renderer() -> None:
    with pytest.raises(DuplicateRegistration, match="notice"):
        assemble([Feature("a", Router(), notices=(pinged,)), Feature("b", Router(), notices=(pinged,))])
