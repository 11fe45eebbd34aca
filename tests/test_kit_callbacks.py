"""Typed button data: packs within 64 bytes, refuses anything a client could forge."""

from __future__ import annotations

from typing import Literal

import pytest

from handlers.callbacks import Callback, StaleButton


class View(Callback, prefix="t:v"):
    report_id: int
    refresh: bool = False


class Pick(Callback, prefix="t:pk"):
    draft: str
    kind: Literal["pengaduan", "aspirasi", "informasi"]
    page: int | None = None


def test_round_trip() -> None:
    assert View(12).pack() == "t:v:12" and View(12, True).pack() == "t:v:12:1"
    assert View.unpack("t:v:12:1") == View(12, True)
    assert View.unpack("t:v:12") == View(12, False)  # older buttons without the trailing arg
    assert Pick("a1b2", "aspirasi").pack() == "t:pk:a1b2:aspirasi"
    assert Pick.unpack(Pick("a1b2", "aspirasi").pack()) == Pick("a1b2", "aspirasi", None)
    assert Pick.unpack("t:pk:a1b2:informasi:3").page == 3


@pytest.mark.parametrize("data", [
    "t:v:²", "t:v:①", "t:v:" + "9" * 60, "t:v:12:2", "t:v:", "t:v", "t:v:1:0:extra", "t:vx:1", "t:v:1.5",
    "t:v:-", "t:v:\x00", "t:v:١٢", "t:pk:a1b2:other", "t:pk:a1b2", "t:pk:\u202e:aspirasi", "",
])
def test_forged_or_malformed_data_is_stale(data: str) -> None:
    cls = Pick if data.startswith("t:pk") else View
    with pytest.raises(StaleButton):
        cls.unpack(data)


def test_pack_refuses_what_would_not_come_back() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        Pick("x" * 60, "pengaduan").pack()
    with pytest.raises(ValueError, match="separator"):
        Pick("a:b", "pengaduan").pack()
    with pytest.raises(ValueError, match="not one of"):
        Pick("ab", "other").pack()  # type: ignore[arg-type]


def test_bigint_edges() -> None:
    assert View.unpack(f"t:v:{2**63 - 1}").report_id == 2**63 - 1
    with pytest.raises(StaleButton):
        View.unpack(f"t:v:{2**63}")


def test_only_simple_field_types() -> None:
    with pytest.raises(TypeError):
        class Bad(Callback, prefix="t:bad"):
            items: list[int]


def test_the_shared_buttons_pack_to_the_words_already_in_chats() -> None:
    """Menu, help, cancel and language buttons sent before they were typed still mean the same."""
    from handlers.menu import Cancel, Help, Language, Menu

    assert [Menu().pack(), Help().pack(), Cancel().pack(), Language().pack(), Language("en").pack()] == [
        "menu", "help", "cancel", "lang", "lang:en"]
    assert Menu.unpack("menu") == Menu() and Language.unpack("lang:id") == Language("id")


class _Registered(Callback, prefix="kt:reg"):
    choice: str

    def valid(self) -> bool:  # the choices are known at run time (a feature's registrations)
        return self.choice in ("a", "b")


def test_data_that_parses_but_is_not_valid_is_stale() -> None:
    assert _Registered.unpack("kt:reg:a") == _Registered("a")
    with pytest.raises(StaleButton):
        _Registered.unpack("kt:reg:z")
