"""Escaping, splitting and callback data: the rules every reply obeys before Telegram sees it."""

from __future__ import annotations

import pytest

from bot.delivery import expand
from bot.sandbox.html_check import check_html, utf16_len
from handlers.kit import Attachment, Button, Reply
from handlers.render import CALLBACK_LIMIT, cb, escape, split


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


def test_callback_data_never_exceeds_64_bytes() -> None:
    assert cb("cx", "op", 123456789, 987654321) == "cx:op:123456789:987654321"
    with pytest.raises(ValueError):
        cb("x", "é" * 40)  # 80 bytes in UTF-8
    assert len(cb("a" * (CALLBACK_LIMIT - 2), "b").encode()) == CALLBACK_LIMIT
