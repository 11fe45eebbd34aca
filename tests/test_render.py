"""Escaping, splitting and callback data: the rules every reply obeys before Telegram sees it."""

from __future__ import annotations

import pytest

from bot.delivery import expand
from bot.sandbox.html_check import check_html, utf16_len
from handlers.callbacks import CALLBACK_LIMIT, Callback
from handlers.kit import Attachment, Button, Reply
from handlers.render import escape, split


def _visible(part: str) -> int:
    plain, _ = check_html(part)  # raises if a cut broke the markup
    return utf16_len(plain)


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "a & b < c > d", "&amp; literally", "🙂" * 3000])
def test_typed_text_is_escaped_and_survives_splitting(typed: str) -> None:
    text = "<b>Laporan</b>\n<blockquote>" + escape(typed * 3) + "</blockquote>"
    parts = split(text)
    assert all(_visible(p) <= 4096 for p in parts)
    joined = "".join(check_html(p)[0] for p in parts)
    assert joined.replace("\n", "") == ("Laporan" + typed * 3).replace("\n", "")


def test_a_long_list_is_cut_at_line_breaks_with_tags_balanced() -> None:
    lines = [f"<b>BJB-2026-{i:06d}</b> · <i>Jalan rusak</i> &amp; banjir" for i in range(400)]
    parts = split("\n".join(lines))
    assert len(parts) > 1
    for p in parts:
        assert _visible(p) <= 4096
        assert p.startswith("<b>BJB-")  # every part starts at a line, not mid-line


def test_one_giant_bold_word_is_cut_and_reopened() -> None:
    parts = split("<b>" + "x" * 9000 + "</b>")
    assert len(parts) == 3 and all(p.startswith("<b>") and p.endswith("</b>") for p in parts)
    assert sum(_visible(p) for p in parts) == 9000


def test_expand_keeps_buttons_on_the_last_part_and_caption_limits() -> None:
    reply = Reply("x\n" * 5000, [[Button("OK", "menu")]])
    parts = expand(reply)
    assert len(parts) == 3 and all(not p.buttons for p in parts[:-1]) and parts[-1].buttons
    photo = Reply("y" * 3000, [[Button("OK", "menu")]], attachment=Attachment("photo", file_id="f"))
    parts = expand(photo)
    assert parts[0].attachment and _visible(parts[0].text) <= 1024
    assert parts[-1].buttons and parts[-1].attachment is None


class _Op(Callback, prefix="cx:op"):
    first: int
    second: int


class _Word(Callback, prefix="x"):
    word: str


def test_callback_data_never_exceeds_64_bytes() -> None:
    assert _Op(123456789, 987654321).pack() == "cx:op:123456789:987654321"
    with pytest.raises(ValueError):
        _Word("é" * 40).pack()  # 80 bytes in UTF-8
    assert len(_Word("b" * (CALLBACK_LIMIT - 2)).pack().encode()) == CALLBACK_LIMIT


def _words(parts: list[str]) -> list[str]:
    return " ".join(check_html(p)[0] for p in parts).split()


def test_long_prose_is_cut_between_words_never_inside_one() -> None:
    words = [f"kata{i}" for i in range(2000)]  # ~15,000 characters, no line breaks
    text = "<blockquote>" + " ".join(words) + "</blockquote>"
    parts = split(text)
    assert len(parts) > 3
    for p in parts:
        assert _visible(p) <= 4096
        assert p.startswith("<blockquote>") and p.endswith("</blockquote>")
    assert _words(parts) == words  # every word whole, in order, none lost


def test_cut_prefers_a_line_end_in_the_second_half() -> None:
    first = " ".join(["satu"] * 700)  # 3,499 characters
    text = first + "\n" + " ".join(["dua"] * 400)
    parts = split(text)
    assert check_html(parts[0])[0] == first and check_html(parts[1])[0].startswith("dua")


def test_emoji_count_as_two_units_and_are_never_halved() -> None:
    words = ["🔥abc"] * 1500  # 5 UTF-16 units a word, 6 with the space: 4096 is no multiple of 6
    parts = split(" ".join(words))
    assert len(parts) == 3
    for p in parts:
        assert _visible(p) <= 4096
        p.encode("utf-8")  # a lone surrogate would raise here
    assert _words(parts) == words


def test_entities_are_counted_as_one_character_and_never_cut() -> None:
    words = ["&lt;b&gt;&amp;!"] * 1500  # each shows as "<b>&!": 5 characters, 6 with the space
    parts = split(" ".join(words), limit=1000)
    for p in parts:
        assert _visible(p) <= 1000
    assert _words(parts) == ["<b>&!"] * 1500


def test_a_word_longer_than_the_limit_is_cut_but_its_neighbours_stay_whole() -> None:
    text = "awal " + "x" * 5000 + " akhir"
    parts = split(text)
    assert check_html(parts[0])[0] == "awal"  # the giant word starts a new message
    assert all(_visible(p) <= 4096 for p in parts)
    assert "".join(check_html(p)[0] for p in parts[1:]) == "x" * 5000 + " akhir"


def test_whitespace_at_a_cut_never_makes_an_empty_message() -> None:
    parts = split("<b>" + " " * 5000 + "y" * 10 + "</b>", limit=100)
    assert parts and all(check_html(p)[0].strip() for p in parts)
