"""The emulator's record of each user's own side of the chat, its file endpoint, and the favicon.

The web chat rebuilds a persona's conversation from `/control/transcript` after a persona switch
or a reload, and shows photos and documents through `/control/file`.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from urllib.parse import unquote

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.sandbox.emulator import Emulator
from bot.sandbox.run import add_web_chat
from bot.sandbox.transcript import quote_of
from tests.test_emulator import png

TOKEN = "123:abc"
RINA, BUDI = 5101, 5102


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    emulator = Emulator(rate_limit=0)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def bot(emu: Emulator, method: str, **params: object) -> dict:
    """The bot calls a Bot API method; it must succeed."""
    status, body = await emu.call(TOKEN, method, {k: json.dumps(v) if isinstance(v, dict) else v
                                                  for k, v in params.items()})
    assert status == 200, body
    return body["result"]


def keyboard(*labels: str) -> dict:
    return {"inline_keyboard": [[{"text": label, "callback_data": f"d:{i}"}] for i, label in enumerate(labels)]}


def shape(items: list[dict]) -> list[tuple]:
    """Transcript items as (who, what) pairs that read like the chat."""
    out: list[tuple] = []
    for item in items:
        if item["from"] == "bot":
            out.append(("bot", item["message"]["plain"]))
        elif item["kind"] == "press":
            out.append(("press", item["label"], item["quote"]))
        else:
            out.append((item["kind"], item.get("text") or item.get("file_name") or item.get("phone_number")
                        or item.get("latitude") or item.get("file_id")))
    return out


async def test_an_edited_message_stays_where_it_was_sent(emu: Emulator) -> None:
    await emu.say(RINA, "/survei", first_name="Rina")
    question = await bot(emu, "sendMessage", chat_id=RINA, text="<b>Survei</b>\nPertanyaan 1 dari 2\nPuas?",
                         parse_mode="HTML", reply_markup=keyboard("1", "4"))
    await emu.press(RINA, "4")
    await bot(emu, "editMessageText", chat_id=RINA, message_id=question["message_id"],
              text="Survei\nPertanyaan 2 dari 2\nCepat?", reply_markup=keyboard("1", "4"))
    await emu.press(RINA, "1")
    await bot(emu, "editMessageReplyMarkup", chat_id=RINA, message_id=question["message_id"],
              reply_markup=keyboard("OK"))
    # As on Telegram, an edit (of its text or only its buttons) leaves the message where it was.
    assert shape(emu.transcript.items(RINA, emu.sent(RINA))) == [
        ("text", "/survei"),
        ("bot", "Survei\nPertanyaan 2 dari 2\nCepat?"),
        ("press", "4", "Puas?"),
        ("press", "1", "Cepat?"),
    ]
    assert emu.bad_requests == []


async def test_every_kind_of_own_message_is_kept_per_user_and_reset_forgets(emu: Emulator) -> None:
    await emu.say(RINA, "halo <b>&</b> 🚧\x00", first_name="Rina")
    await emu.share_contact(RINA, "+6285700000001")
    await emu.send_location(RINA, -3.442, 114.831)
    await emu.send_photo(RINA, png(), caption="jalan")
    await emu.send_document(RINA, "surat 📄.pdf", b"%PDF-1.4", "application/pdf")
    await emu.say(BUDI, "/laporanmasuk", first_name="Budi")
    sent = await bot(emu, "sendMessage", chat_id=RINA, text="Terima kasih")
    await bot(emu, "deleteMessage", chat_id=RINA, message_id=sent["message_id"])

    items = emu.transcript.items(RINA, emu.sent(RINA))
    assert [i["kind"] for i in items] == ["text", "contact", "location", "photo", "document"]
    assert items[0]["text"] == "halo <b>&</b> 🚧\x00"  # as typed; the page sets it as text, never HTML
    assert items[1]["phone_number"] == "+6285700000001"
    assert (items[2]["latitude"], items[2]["longitude"]) == (-3.442, 114.831)
    assert items[3]["caption"] == "jalan" and items[3]["width"] == 3
    assert (items[4]["file_name"], items[4]["file_size"], items[4]["mime_type"]) == (
        "surat 📄.pdf", 8, "application/pdf")
    assert [i["text"] for i in emu.transcript.items(BUDI, emu.sent(BUDI))] == ["/laporanmasuk"]

    emu.reset()
    assert emu.transcript.items(RINA, emu.sent(RINA)) == []


async def test_a_press_on_a_stale_or_unknown_button_is_still_shown_by_its_data(emu: Emulator) -> None:
    await emu.say(RINA, "x")
    await bot(emu, "sendMessage", chat_id=RINA, text="Pilih", reply_markup=keyboard("Ya"))
    update = await emu.press(RINA, data="d:0")
    update["callback_query"]["message"]["reply_markup"] = None
    emu.transcript.user_update(update, emu.seq)  # a message whose keyboard is gone: label falls back
    labels = [i["label"] for i in emu.transcript.items(RINA, emu.sent(RINA)) if i.get("kind") == "press"]
    assert labels == ["Ya", "d:0"]


def test_the_quote_is_the_question_being_answered() -> None:
    assert quote_of("Survei\nPertanyaan 3 dari 9\nBagaimana pelayanannya?\n") == "Bagaimana pelayanannya?"
    assert quote_of("Menu utama\nSilakan pilih layanan:") == "Silakan pilih layanan:"
    assert quote_of("  \n📋 Laporan diterima\nNomor BJB") == "📋 Laporan diterima"
    assert quote_of("") == "" and quote_of(None) == ""
    long = quote_of("x" * 500 + "?")
    assert len(long) == 60 and long.endswith("…")


async def test_transcript_over_http(emu: Emulator, http: aiohttp.ClientSession) -> None:
    async with http.post(f"{emu.url}/control/message", json={"user_id": RINA, "text": "/start"}) as resp:
        assert resp.status == 200
    await bot(emu, "sendMessage", chat_id=RINA, text="Menu", reply_markup=keyboard("Bantuan"))
    async with http.get(f"{emu.url}/control/transcript?chat_id={RINA}") as resp:
        body = await resp.json()
    assert shape(body["items"]) == [("text", "/start"), ("bot", "Menu")]
    assert body["seq"] == emu.seq  # the page polls /control/sent after this
    for bad in ("", "?chat_id=", "?chat_id=abc", "?chat_id=%00"):
        async with http.get(f"{emu.url}/control/transcript{bad}") as resp:
            assert resp.status == 400


async def test_files_are_served_safely_for_the_page(emu: Emulator, http: aiohttp.ClientSession) -> None:
    await emu.say(RINA, "x")
    photo = (await emu.send_photo(RINA, png(5, 4)))["message"]["photo"][-1]["file_id"]
    name = 'laporan "<b>&</b>" 📄.html'
    page = (await emu.send_document(RINA, name, b"<script>alert(1)</script>", "text/html"))["message"]
    by_url = await bot(emu, "sendPhoto", chat_id=RINA, photo="https://example.org/p.jpg")

    async with http.get(f"{emu.url}/control/file", params={"file_id": photo}) as resp:
        assert resp.status == 200 and resp.content_type == "image/png"
        assert await resp.read() == png(5, 4)
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert "Content-Disposition" not in resp.headers  # shown inline as <img>
    async with http.get(f"{emu.url}/control/file", params={"file_id": page["document"]["file_id"]}) as resp:
        assert resp.status == 200
        assert resp.content_type == "application/octet-stream"  # never text/html from our origin
        assert resp.headers["Content-Security-Policy"] == "sandbox"
        disposition = resp.headers["Content-Disposition"]
        assert disposition.startswith("attachment; filename*=UTF-8''")
        assert unquote(disposition.split("''", 1)[1]) == name
        assert '"' not in disposition and "<" not in disposition
    for file_id in ("", "nope", "../../etc/passwd", by_url["photo"][-1]["file_id"]):
        async with http.get(f"{emu.url}/control/file", params={"file_id": file_id}) as resp:
            assert resp.status == 404


async def test_the_web_chat_serves_a_favicon() -> None:
    app = web.Application()
    add_web_chat(app)
    async with TestClient(TestServer(app)) as client:
        for path in ("/favicon.ico", "/favicon.svg"):
            resp = await client.get(path)
            assert resp.status == 200 and resp.content_type == "image/svg+xml"
            assert (await resp.read()).startswith(b"<svg")
        page = await (await client.get("/")).text()
        assert '<link rel="icon" href="/favicon.svg"' in page


async def test_each_persona_says_what_to_try_and_every_command_it_names_exists() -> None:
    """The page's hints name the civil servants' flows too, and no hint names a command the bot lacks."""
    import re

    from handlers import build_router

    app = web.Application()
    add_web_chat(app)
    async with TestClient(TestServer(app)) as client:
        personas = await (await client.get("/sandbox/personas")).json()
    hints = {p["key"]: p["hint"] for p in personas}
    for command in ("/skp", "/pelatihan", "/pelatihanku", "/lowongan", "/lamaranku", "/langganan", "/tautkan"):
        assert command in hints["asn"]
    assert "/lapor" in hints["citizen"] and "/laporanmasuk" in hints["officer"] and "/opd" in hints["hr"]
    known = set(build_router().commands)
    named = {c for h in hints.values() for c in re.findall(r"/([a-z]+)", h)}
    assert named <= known, named - known
