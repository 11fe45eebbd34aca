"""The WhatsApp renderer packs any Reply into messages the Cloud API (the emulator's checks) accepts."""

from __future__ import annotations

import pytest

from bot.channels.whatsapp.intake import parse, resolve_number
from bot.channels.whatsapp.render import Words, render
from bot.channels.whatsapp.text import to_whatsapp
from bot.sandbox.wa_emulator.checks import WaError, check_message
from handlers.kit import Button, KeyButton, Kind, Reply


def accepted(reply: Reply) -> list[dict]:
    out = render(reply, Words())
    for m in out.messages:
        check_message({"messaging_product": "whatsapp", "to": "6281234567890", **m}, set(), {})
    return out.messages


def buttons(n: int, label: str = "Pilihan") -> list[list[Button]]:
    return [[Button(f"{label} {i}", f"x:{i}")] for i in range(1, n + 1)]


def test_html_becomes_whatsapp_marks_and_typed_text_stays_literal():
    assert to_whatsapp("<b>Judul</b> &lt;b&gt;&amp; <i>miring</i>") == "*Judul* <b>& _miring_"
    assert to_whatsapp('<a href="https://x.id/a?b=1&amp;c=2">peta</a>') == "peta (https://x.id/a?b=1&c=2)"
    assert to_whatsapp("a\x00b") == "ab"


def test_up_to_three_short_choices_are_reply_buttons():
    [m] = accepted(Reply("Pilih:", buttons(3)))
    assert m["interactive"]["type"] == "button"
    assert [b["reply"]["id"] for b in m["interactive"]["action"]["buttons"]] == ["x:1", "x:2", "x:3"]


def test_four_to_ten_or_long_titles_become_a_list_with_the_whole_label_kept():
    [m] = accepted(Reply("Pilih:", buttons(2, "Dinas Pekerjaan Umum dan Penataan Ruang")))
    assert m["interactive"]["type"] == "list"
    row = m["interactive"]["action"]["sections"][0]["rows"][0]
    assert len(row["title"]) <= 24 and row["description"].startswith("Dinas Pekerjaan Umum dan Penataan")
    [m] = accepted(Reply("Pilih:", buttons(10)))
    assert len(m["interactive"]["action"]["sections"][0]["rows"]) == 10


async def test_more_than_ten_choices_are_numbered_and_a_number_maps_back():
    out = render(Reply("Pilih instansi:", buttons(14)), Words())
    assert [m["type"] for m in out.messages] == ["text"]
    assert "14. Pilihan 14" in out.messages[0]["text"]["body"]

    async def recall(chat: int) -> list[str]:
        return out.numbered if chat == 6281234567890 else []

    def typed(text: str):
        body = {"entry": [{"changes": [{"value": {"messages": [
            {"from": "6281234567890", "id": "wamid.A", "type": "text", "text": {"body": text}}]}}]}]}
        [inc] = parse(body, {"lapor"}).messages
        return inc

    inc = await resolve_number(typed("12"), recall)
    assert (inc.kind, inc.text, inc.update_id, inc.callback_id) == (Kind.CALLBACK, "x:12", "wamid.A", "6281234567890")
    for other in ("15", "0", "12 jalan", "lapor"):
        assert (await resolve_number(typed(other), recall)).kind is not Kind.CALLBACK


def test_long_text_is_split_and_an_interactive_body_keeps_the_last_1024():
    messages = accepted(Reply("kata " * 2000, buttons(2)))
    assert [m["type"] for m in messages][-1] == "interactive"
    assert len(messages[-1]["interactive"]["body"]["text"]) <= 1024
    assert all(len(m["text"]["body"]) <= 4096 for m in messages if m["type"] == "text")
    assert len(accepted(Reply("x" * 9000))) == 3


def test_a_location_request_and_keyboard_words():
    messages = accepted(Reply("Di mana?", keyboard=[[KeyButton("Kirim lokasi", request_location=True)]]))
    assert messages[0]["interactive"]["type"] == "location_request_message"
    [m] = accepted(Reply("Ya atau tidak?", keyboard=[[KeyButton("Ya"), KeyButton("Tidak")]]))
    assert m["interactive"]["action"]["buttons"][0]["reply"]["id"] == "kb:Ya"
    body = {"entry": [{"changes": [{"value": {"messages": [{"from": "62811", "id": "wamid.B", "type": "interactive",
            "interactive": {"type": "button_reply", "button_reply": {"id": "kb:batal", "title": "Batal"}}}]}}]}]}
    [inc] = parse(body, {"batal"}).messages
    assert (inc.kind, inc.command) == (Kind.COMMAND, "batal")


def test_links_ride_in_the_text():
    [m] = accepted(Reply("Lihat:", [[Button("Peta", url="https://maps.example/x")]]))
    assert "Peta: https://maps.example/x" in m["text"]["body"]


@pytest.mark.parametrize(("text", "kind", "command", "args"), [
    ("lapor", Kind.COMMAND, "lapor", ""), ("/lapor", Kind.COMMAND, "lapor", ""),
    ("Status BJB-2026-000123", Kind.COMMAND, "status", "BJB-2026-000123"),
    ("survei DUKCAPIL", Kind.COMMAND, "survei", "DUKCAPIL"),
    ("lapor jalan rusak di depan rumah", Kind.TEXT, None, ""), ("cek status laporan saya", Kind.TEXT, None, ""),
    ("lapor banjir", Kind.COMMAND, "lapor", "banjir"), ("", Kind.TEXT, None, ""),
])
def test_command_words(text, kind, command, args):
    body = {"entry": [{"changes": [{"value": {"messages": [
        {"from": "62811", "id": "wamid.C", "type": "text", "text": {"body": text}}]}}]}]}
    [inc] = parse(body, {"lapor", "status", "survei", "cek"}).messages
    assert (inc.kind, inc.command, inc.args) == (kind, command, args)


def test_malformed_bodies_are_skipped_not_raised():
    for body in (None, [], {"entry": "x"}, {"entry": [{"changes": [{"value": {"messages": [
            {"from": "not-digits", "id": "w", "type": "text", "text": {"body": "x"}}, {"type": "text"},
            {"from": "62811", "id": "w2", "type": "location", "location": {"latitude": 999, "longitude": 0}}]}}]}]}):
        assert parse(body, set()).messages == []


@pytest.mark.parametrize("message", [
    {"type": "text", "text": {"body": "x" * 4097}},
    {"type": "text", "text": {"body": ""}},
    {"type": "interactive", "interactive": {"type": "button", "body": {"text": "x"}, "action": {"buttons": [
        {"type": "reply", "reply": {"id": str(i), "title": "t" + str(i)}} for i in range(4)]}}},
    {"type": "interactive", "interactive": {"type": "button", "body": {"text": "x"}, "action": {"buttons": [
        {"type": "reply", "reply": {"id": "1", "title": "t" * 21}}]}}},
    {"type": "interactive", "interactive": {"type": "button", "body": {"text": "x" * 1025}, "action": {"buttons": [
        {"type": "reply", "reply": {"id": "1", "title": "t"}}]}}},
    {"type": "interactive", "interactive": {"type": "list", "body": {"text": "x"}, "action": {
        "button": "Pilih", "sections": [{"rows": [{"id": str(i), "title": "r"} for i in range(11)]}]}}},
    {"type": "interactive", "interactive": {"type": "list", "body": {"text": "x"}, "action": {
        "button": "Pilih", "sections": [{"rows": [{"id": "1", "title": "r" * 25}]}]}}},
    {"type": "interactive", "interactive": {"type": "list", "body": {"text": "x"}, "action": {
        "button": "Pilih", "sections": [{"rows": [{"id": "1", "title": "r", "description": "d" * 73}]}]}}},
    {"type": "interactive", "interactive": {"type": "list", "body": {"text": "x"}, "action": {
        "button": "b" * 21, "sections": [{"rows": [{"id": "1", "title": "r"}]}]}}},
    {"type": "template", "template": {"name": "unknown", "language": {"code": "id"}}},
    {"type": "template", "template": {"name": "sapa_notice", "language": {"code": "id"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "a"}]}]}},
    {"type": "template", "template": {"name": "sapa_notice", "language": {"code": "id"}, "components": [
        {"type": "body", "parameters": [{"type": "text", "text": "a\nb"}, {"type": "text", "text": "c"}]}]}},
    {"type": "text", "text": {"body": "x"}, "extra": 1},
])
def test_the_emulator_refuses_what_meta_refuses(message):
    with pytest.raises(WaError):
        check_message({"messaging_product": "whatsapp", "to": "6281234567890", **message}, set(),
                      {("sapa_notice", "id"): 2})


def test_slash_commands_in_a_text_become_the_words_to_type():
    words = Words(commands=frozenset({"status", "lapor"}))
    [m] = render(Reply("Cek dengan /status BJB-1 atau /lapor; /unknown tetap; https://x.id/status tetap"),
                 words).messages
    assert m["text"]["body"] == "Cek dengan status BJB-1 atau lapor; /unknown tetap; https://x.id/status tetap"
