"""The Telegram emulator: the HTML checker, and real aiogram / PTB clients against it."""

from __future__ import annotations

import asyncio
import base64
import io
import struct
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import aiohttp
import pytest
import telegram
from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramRetryAfter,
)
from aiogram.methods import SendMessage
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web
from telegram import error as tg_error

from bot.sandbox.emulator import ApiError, ButtonNotFound, Emulator, format_text, parse_reply_markup
from bot.sandbox.html_check import HtmlParseError, check_html, utf16_len
from tests.e2e import wait_until

TOKEN = "123:abc"
USER = 4242


def png(width: int = 3, height: int = 2) -> bytes:
    """A tiny but valid PNG, so the emulator's image check accepts it."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def keyboard(*buttons: tuple[str, str]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text=t, callback_data=d)
                                                  for t, d in buttons]])


# --------------------------------------------------------------------------- fixtures


@pytest.fixture
async def emu() -> AsyncIterator[Emulator]:
    emulator = Emulator(rate_limit=0, retry_after=1, webhook_backoff=0.01)
    await emulator.start()
    try:
        yield emulator
    finally:
        await emulator.stop()


@pytest.fixture
async def abot(emu: Emulator) -> AsyncIterator[Bot]:
    session = AiohttpSession(api=TelegramAPIServer.from_base(emu.url))
    bot = Bot(TOKEN, session=session)
    try:
        yield bot
    finally:
        # Closing the inner aiohttp session ourselves skips AiohttpSession.close()'s 0.25 s grace sleep.
        await (await session.create_session()).close()


@pytest.fixture
async def pbot(emu: Emulator) -> AsyncIterator[telegram.Bot]:
    bot = telegram.Bot(TOKEN, base_url=f"{emu.url}/bot", base_file_url=f"{emu.url}/file/bot")
    await bot.initialize()
    try:
        yield bot
    finally:
        await bot.shutdown()


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


# --------------------------------------------------------------------------- html_check


def test_html_accepts_nested_markup_and_escapes() -> None:
    plain, entities = check_html("<b>bold <i>both</i></b> &lt;b&gt;&amp;&quot;&#65;&#x42;")
    assert plain == 'bold both <b>&"AB'
    assert entities == [{"type": "bold", "offset": 0, "length": 9},
                        {"type": "italic", "offset": 5, "length": 4}]


def test_html_links_pre_language_spoiler_blockquote() -> None:
    text = ('<a href="https://x.id/?a=1&amp;b=2">link</a> <pre><code class="language-python">x</code></pre>'
            ' <span class="tg-spoiler">s</span><blockquote expandable>q</blockquote>')
    plain, entities = check_html(text)
    assert plain == "link x sq"
    assert entities == [
        {"type": "text_link", "offset": 0, "length": 4, "url": "https://x.id/?a=1&b=2"},
        {"type": "pre", "offset": 5, "length": 1, "language": "python"},
        {"type": "spoiler", "offset": 7, "length": 1},
        {"type": "expandable_blockquote", "offset": 8, "length": 1},
    ]


@pytest.mark.parametrize(("text", "reason"), [
    ("<script>alert(1)</script>", 'Unsupported start tag "script" at byte offset 0'),
    ("<b>unclosed", 'Can\'t find end tag corresponding to start tag "b"'),
    ("a & b", "Character entity expected at byte offset 2"),
    ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
    ("x</b>", "Unexpected end tag at byte offset 1"),
    ("&nbsp;", "Character entity expected at byte offset 0"),
    ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
    ("<span>x</span>", 'Tag "span" must have class "tg-spoiler" at byte offset 0'),
    ("é<br>", 'Unsupported start tag "br" at byte offset 2'),  # offsets are UTF-8 bytes
    ('<a href="?a&b">x</a>', 'Character entity expected in an attribute of the tag "a"'),
])
def test_html_rejects(text: str, reason: str) -> None:
    with pytest.raises(HtmlParseError) as info:
        check_html(text)
    assert info.value.reason == reason
    assert str(info.value) == f"Bad Request: can't parse entities: {reason}"


def test_length_is_counted_after_entities_in_utf16() -> None:
    assert format_text("&amp;" * 4096, "HTML", None).plain == "&" * 4096
    with pytest.raises(ApiError, match="message is too long"):
        format_text("&amp;" * 4097, "html", None)
    assert utf16_len("😀") == 2
    assert format_text("😀" * 2048, None, None) is not None
    with pytest.raises(ApiError, match="message is too long"):
        format_text("😀" * 2048 + "a", None, None)
    assert check_html("😀<b>x</b>")[1] == [{"type": "bold", "offset": 2, "length": 1}]
    with pytest.raises(ApiError, match="message text is empty"):
        format_text("<b> </b>\n", "HTML", None)
    with pytest.raises(ApiError, match="message caption is too long"):
        format_text("x" * 1025, None, None, caption=True)


def test_reply_markup_validation() -> None:
    ok = {"inline_keyboard": [[{"text": "a", "callback_data": "x" * 64}]]}
    assert parse_reply_markup(ok) == ok
    with pytest.raises(ApiError, match="BUTTON_DATA_INVALID"):
        parse_reply_markup({"inline_keyboard": [[{"text": "a", "callback_data": "é" * 33}]]})
    with pytest.raises(ApiError, match="Text buttons are unallowed"):
        parse_reply_markup('{"inline_keyboard": [[{"text": "a"}]]}')
    assert parse_reply_markup('{"keyboard": [[{"text": "Kirim", "request_contact": true}]]}')
    assert parse_reply_markup({"remove_keyboard": True}) == {"remove_keyboard": True}
    with pytest.raises(ApiError, match="can't parse reply keyboard markup"):
        parse_reply_markup("{not json")


# --------------------------------------------------------------------------- aiogram


async def test_get_me_with_both_libraries(emu: Emulator, abot: Bot, pbot: telegram.Bot) -> None:
    me = await abot.get_me()
    assert (me.id, me.is_bot, me.username) == (123, True, "sapa_test_bot")
    assert pbot.username == "sapa_test_bot" and pbot.id == 123


async def test_long_poll_returns_as_soon_as_a_user_writes(emu: Emulator, abot: Bot) -> None:
    assert emu.stats()["polls"] == 0
    poll = asyncio.create_task(abot.get_updates(timeout=5))
    await wait_until(lambda: emu.stats()["polls"] == 1)  # what readiness checks read: the bot polls
    assert not poll.done()
    started = time.monotonic()
    await emu.say(USER, "/start hello", first_name="Budi", username="budi")
    updates = await poll
    assert time.monotonic() - started < 1
    message = updates[0].message
    assert (updates[0].update_id, message.text, message.from_user.first_name) == (1, "/start hello", "Budi")
    assert message.entities[0].type == "bot_command" and message.entities[0].length == 6
    # offset confirms: the update is forgotten
    assert await abot.get_updates(offset=updates[0].update_id + 1, timeout=0) == []
    assert emu.stats()["updates_pending"] == 0 and emu.updates_delivered == 1


async def test_keyboard_press_answer_and_edit(emu: Emulator, abot: Bot) -> None:
    await emu.say(USER, "hi")
    sent = await abot.send_message(USER, "<b>Lanjut?</b>", parse_mode="HTML",
                                   reply_markup=keyboard(("Ya", "yes"), ("Tidak", "no")))
    assert sent.from_user.is_bot and sent.text == "Lanjut?" and sent.entities[0].type == "bold"
    assert emu.last(USER)["reply_markup"]["inline_keyboard"][0][0] == {"text": "Ya", "callback_data": "yes"}

    await emu.press(USER, "Ya")
    updates = await abot.get_updates(offset=2, timeout=1)
    query = updates[-1].callback_query
    assert query.data == "yes" and query.message.message_id == sent.message_id
    assert await abot.answer_callback_query(query.id, text="Oke")
    assert emu.callback_answers[0]["text"] == "Oke"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await abot.answer_callback_query(query.id)

    edited = await abot.edit_message_text("Selesai", chat_id=USER, message_id=sent.message_id)
    assert edited.text == "Selesai" and edited.reply_markup is None
    record = emu.last(USER)
    assert (record["text"], record["edited"], record["edits"], record["reply_markup"]) == ("Selesai", True, 1, None)
    with pytest.raises(ButtonNotFound):
        await emu.press(USER, "Ya")  # editing without reply_markup removed the keyboard
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await abot.edit_message_text("Selesai", chat_id=USER, message_id=sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await abot.edit_message_text("x", chat_id=USER, message_id=999)
    await abot.edit_message_reply_markup(chat_id=USER, message_id=sent.message_id,
                                         reply_markup=keyboard(("Lagi", "again")))
    assert (await emu.press(USER, data="again"))["callback_query"]["message"]["text"] == "Selesai"


async def test_bad_html_and_long_callback_data_are_bad_requests(emu: Emulator, abot: Bot) -> None:
    await emu.say(USER, "hi")
    with pytest.raises(TelegramBadRequest, match='Unsupported start tag "script"'):
        await abot.send_message(USER, "<script>x</script>", parse_mode="HTML")
    with pytest.raises(TelegramBadRequest, match="Character entity expected"):
        await abot.send_message(USER, "Tom & Jerry", parse_mode="HTML")
    await abot.send_message(USER, "Tom & Jerry")  # no parse_mode: taken literally
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await abot.send_message(USER, "pilih", reply_markup=keyboard(("x", "a" * 65)))
    await abot.send_message(USER, "pilih", reply_markup=keyboard(("x", "a" * 64)))
    assert emu.texts(USER) == ["Tom & Jerry", "pilih"]
    assert [b["method"] for b in emu.bad_requests] == ["sendMessage"] * 3
    assert "parse_mode" in emu.bad_requests[0]["params"]


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_rate_limit_answers_retry_after_and_drops(emu: Emulator, abot: Bot, pbot: telegram.Bot) -> None:
    await emu.say(USER, "hi")
    emu.configure(rate_limit=3, retry_after=2)
    for n in range(3):
        await abot.send_message(USER, f"m{n}")
    with pytest.raises(TelegramRetryAfter) as aiogram_error:
        await abot.send_message(USER, "too many")
    assert aiogram_error.value.retry_after == 2
    with pytest.raises(tg_error.RetryAfter) as ptb_error:
        await pbot.send_message(USER, "too many")
    assert ptb_error.value.retry_after == 2
    assert emu.texts(USER) == ["m0", "m1", "m2"]
    assert len(emu.rate_limited) == 2 and emu.bad_requests == []
    emu.configure(rate_limit=None)
    await abot.send_message(USER, "unlimited again")


async def test_blocked_and_unknown_users_are_forbidden(emu: Emulator, abot: Bot, pbot: telegram.Bot) -> None:
    with pytest.raises(TelegramForbiddenError, match="can't initiate conversation"):
        await abot.send_message(777, "hello stranger")
    await emu.say(USER, "hi")
    emu.block(USER)
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await abot.send_message(USER, "hello")
    with pytest.raises(tg_error.Forbidden, match="bot was blocked by the user"):
        await pbot.send_message(USER, "hello")
    assert len(emu.forbidden) == 3 and emu.bad_requests == [] and emu.sent() == []
    emu.block(USER, False)
    await abot.send_message(USER, "welcome back")


async def test_document_upload_download_and_reuse(emu: Emulator, abot: Bot) -> None:
    await emu.say(USER, "hi")
    message = await abot.send_document(USER, BufferedInputFile(b"laporan", filename="lapor.txt"),
                                       caption="<i>Laporan</i>", parse_mode="HTML")
    assert message.document.file_name == "lapor.txt" and message.caption == "Laporan"
    buffer = await abot.download(message.document.file_id)
    assert buffer.read() == b"laporan"
    again = await abot.send_document(USER, message.document.file_id)
    assert again.document.file_id == message.document.file_id
    assert emu.sent(USER)[1]["document"]["source"] == "file_id"
    with pytest.raises(TelegramBadRequest, match="can't use file of type Document as Photo"):
        await abot.send_photo(USER, message.document.file_id)
    with pytest.raises(TelegramBadRequest, match="IMAGE_PROCESS_FAILED"):
        await abot.send_photo(USER, BufferedInputFile(b"not an image", filename="x.jpg"))
    photo = await abot.send_photo(USER, BufferedInputFile(png(3, 2), filename="p.png"))
    assert (photo.photo[-1].width, photo.photo[-1].height) == (3, 2)
    edited = await abot.edit_message_caption(chat_id=USER, message_id=photo.message_id, caption="Foto")
    assert edited.caption == "Foto" and emu.last(USER)["text"] == "Foto"
    with pytest.raises(TelegramBadRequest, match="there is no text in the message to edit"):
        await abot.edit_message_text("x", chat_id=USER, message_id=photo.message_id)
    assert await abot.delete_message(USER, photo.message_id)
    assert emu.sent(USER)[-1]["deleted"] and emu.texts(USER) == ["<i>Laporan</i>", ""]
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await abot.delete_message(USER, photo.message_id)


async def test_user_files_are_downloadable(emu: Emulator, abot: Bot) -> None:
    await emu.send_document(USER, "surat.pdf", b"%PDF-1.4 data", "application/pdf", caption="surat")
    await emu.send_document(USER, "besar.zip", b"zip", declared_size=30 * 1024 * 1024)
    await emu.send_photo(USER, png(5, 4))
    doc, big, photo = [u.message for u in await abot.get_updates(timeout=0)]
    assert (doc.document.file_name, doc.document.mime_type, doc.caption) == ("surat.pdf", "application/pdf", "surat")
    assert (await abot.download(doc.document.file_id)).read() == b"%PDF-1.4 data"
    assert big.document.file_size == 30 * 1024 * 1024
    with pytest.raises(TelegramBadRequest, match="file is too big"):
        await abot.get_file(big.document.file_id)
    assert (photo.photo[-1].width, photo.photo[-1].height) == (5, 4)
    assert (await abot.download(photo.photo[-1].file_id)).read() == png(5, 4)


async def test_reply_keyboard_and_contact(emu: Emulator, abot: Bot) -> None:
    await emu.say(USER, "hi")
    markup = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="Kirim nomor", request_contact=True)]],
                                 resize_keyboard=True, one_time_keyboard=True)
    await abot.send_message(USER, "Bagikan nomor Anda", reply_markup=markup)
    assert emu.last(USER)["reply_markup"]["keyboard"][0][0]["request_contact"] is True
    await emu.share_contact(USER, "+6281234567890")
    await emu.send_location(USER, -6.2, 106.8)
    updates = await abot.get_updates(offset=2, timeout=0)
    assert updates[0].message.contact.user_id == USER
    assert updates[1].message.location.latitude == -6.2


async def test_commands_chat_action_and_misc(emu: Emulator, abot: Bot, http: aiohttp.ClientSession) -> None:
    await abot.set_my_commands([BotCommand(command="start", description="Mulai")], language_code="id")
    assert [c.command for c in await abot.get_my_commands(language_code="id")] == ["start"]
    assert emu.commands("id") == [{"command": "start", "description": "Mulai"}]
    assert await abot.get_my_commands() == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await abot.set_my_commands([BotCommand(command="Bad Command", description="x")])
    await abot.delete_my_commands(language_code="id")
    assert emu.commands("id") == []
    await emu.say(USER, "hi")
    await abot.send_chat_action(USER, "typing")
    assert emu.chat_actions[0]["action"] == "typing"
    async with http.get(f"{emu.url}/bot{TOKEN}/noSuchMethod") as resp:
        assert resp.status == 404
        assert await resp.json() == {"ok": False, "error_code": 404, "description": "Not Found: method not found"}
    async with http.get(f"{emu.url}/bot{TOKEN}/GETME") as resp:  # method names are case-insensitive
        assert (await resp.json())["result"]["is_bot"] is True
    async with http.post(f"{emu.url}/bot{TOKEN}/sendMessage",
                         json={"chat_id": USER, "text": "json", "reply_markup": {"remove_keyboard": True}}) as resp:
        assert (await resp.json())["result"]["text"] == "json"
    async with http.get(f"{emu.url}/bot{TOKEN}/sendMessage", params={"chat_id": USER, "text": "q"}) as resp:
        assert resp.status == 200
    assert await abot.close() and await abot.log_out()


async def test_token_check() -> None:
    async with Emulator(token_check=True) as emu, aiohttp.ClientSession() as http:
        async with http.get(f"{emu.url}/botnot-a-token/getMe") as resp:
            assert resp.status == 401 and (await resp.json())["description"] == "Unauthorized"
        async with http.get(f"{emu.url}/bot{TOKEN}/getMe") as resp:
            assert resp.status == 200


async def test_restarted_polling_is_not_a_conflict(emu: Emulator, abot: Bot) -> None:
    poll = asyncio.create_task(abot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    poll.cancel()  # what stopping a polling loop does; the server-side poll is still waiting
    restarted = asyncio.create_task(abot.get_updates(timeout=2))
    await asyncio.sleep(0.1)
    await emu.say(USER, "hi")
    assert [u.message.text for u in await restarted] == ["hi"]
    assert emu.bad_requests == [] and emu.updates_delivered == 1


async def test_newer_getupdates_terminates_older(emu: Emulator, http: aiohttp.ClientSession) -> None:
    url = f"{emu.url}/bot{TOKEN}/getUpdates"
    first = asyncio.create_task(http.post(url, json={"timeout": 5}))
    await asyncio.sleep(0.1)
    second = asyncio.create_task(http.post(url, json={"timeout": 5}))
    older = await asyncio.wait_for(first, 2)
    assert older.status == 409 and "terminated by other getUpdates" in (await older.json())["description"]
    await emu.say(USER, "hi")
    newer = await asyncio.wait_for(second, 2)
    assert [u["update_id"] for u in (await newer.json())["result"]] == [1]


# --------------------------------------------------------------------------- python-telegram-bot


async def test_ptb_poll_keyboard_press_and_errors(emu: Emulator, pbot: telegram.Bot) -> None:
    poll = asyncio.create_task(pbot.get_updates(timeout=5))
    await asyncio.sleep(0.1)
    await emu.say(USER, "/start")
    (update,) = await poll
    assert update.message.text == "/start" and update.effective_user.id == USER
    markup = telegram.InlineKeyboardMarkup([[telegram.InlineKeyboardButton("Ya", callback_data="yes")]])
    sent = await pbot.send_message(USER, "<b>Lanjut?</b>", parse_mode="HTML", reply_markup=markup)
    assert sent.text == "Lanjut?"
    await emu.press(USER, data="yes")
    (update,) = await pbot.get_updates(offset=update.update_id + 1, timeout=1)
    assert update.callback_query.data == "yes" and update.callback_query.message.message_id == sent.message_id
    assert await pbot.answer_callback_query(update.callback_query.id, text="ok")
    edited = await pbot.edit_message_text("Selesai", chat_id=USER, message_id=sent.message_id)
    assert edited.text == "Selesai"
    with pytest.raises(tg_error.BadRequest, match="(?i)can't parse entities"):
        await pbot.send_message(USER, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(tg_error.BadRequest, match="(?i)button_data_invalid"):  # PTB re-capitalises
        await pbot.send_message(USER, "x", reply_markup=telegram.InlineKeyboardMarkup(
            [[telegram.InlineKeyboardButton("x", callback_data="é" * 33)]]))


async def test_ptb_document_roundtrip(emu: Emulator, pbot: telegram.Bot) -> None:
    await emu.say(USER, "hi")
    message = await pbot.send_document(USER, document=io.BytesIO(b"isi file"), filename="isi.txt")
    file = await pbot.get_file(message.document.file_id)
    assert bytes(await file.download_as_bytearray()) == b"isi file"
    await emu.send_document(USER, "dari_user.txt", b"from user")
    updates = await pbot.get_updates(timeout=0)
    user_file = await updates[-1].message.document.get_file()
    assert bytes(await user_file.download_as_bytearray()) == b"from user"


# --------------------------------------------------------------------------- webhook


@dataclass
class HookServer:
    """A tiny webhook receiver; ``statuses`` scripts its next answers (then 200)."""

    url: str = ""
    received: list[tuple[str | None, dict]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((request.headers.get("X-Telegram-Bot-Api-Secret-Token"), await request.json()))
        return web.json_response({}, status=self.statuses.pop(0) if self.statuses else 200)


@pytest.fixture
async def hook_server() -> AsyncIterator[HookServer]:
    server = HookServer()
    app = web.Application()
    app.router.add_post("/hook", server.handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    server.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    try:
        yield server
    finally:
        await runner.cleanup()


async def test_webhook_delivery_with_secret_and_retry(emu: Emulator, abot: Bot, hook_server: HookServer) -> None:
    url, received = hook_server.url, hook_server.received
    hook_server.statuses.append(500)  # the first attempt fails and is retried
    assert await abot.set_webhook(url, secret_token="s3cret")
    await emu.say(USER, "satu")
    await emu.say(USER, "dua")
    await emu.wait_drained(timeout=3)
    assert [secret for secret, _ in received] == ["s3cret"] * 3
    assert [body["message"]["text"] for _, body in received] == ["satu", "satu", "dua"]
    assert [(e["update_id"], e["status"]) for e in emu.webhook_log] == [(1, 500), (1, 200), (2, 200)]
    with pytest.raises(TelegramConflictError):
        await abot.get_updates()
    info = await abot.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0 and "500" in info.last_error_message
    assert await abot.delete_webhook()
    await emu.say(USER, "tiga")
    assert [u.message.text for u in await abot.get_updates(timeout=0)] == ["tiga"]


async def test_webhook_answer_can_carry_a_method(emu: Emulator, abot: Bot) -> None:
    async def handle(request: web.Request) -> web.Response:
        update = await request.json()
        return web.json_response({"method": "sendMessage", "chat_id": update["message"]["chat"]["id"],
                                  "text": "dari webhook"})

    app = web.Application()
    app.router.add_post("/", handle)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await abot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/")
        with pytest.raises(TelegramBadRequest, match="loopback"):
            await abot.set_webhook("https://example.com/hook")
        await emu.say(USER, "hi")
        assert (await emu.wait_for(USER, timeout=3))["text"] == "dari webhook"
    finally:
        await runner.cleanup()


async def test_aiogram_webhook_handler_replying_in_the_answer(emu: Emulator, abot: Bot) -> None:
    """aiogram answers a webhook with a multipart method call; the emulator executes it."""
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> SendMessage:
        return message.answer(f"<b>echo</b>: {message.text}", parse_mode="HTML")

    app = web.Application()
    SimpleRequestHandler(dispatcher, abot, handle_in_background=False, secret_token="tok").register(app, "/wh")
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    try:
        await abot.set_webhook(f"http://127.0.0.1:{runner.addresses[0][1]}/wh", secret_token="tok")
        await emu.say(USER, "halo")
        reply = await emu.wait_for(USER, timeout=3)
        assert (reply["plain"], reply["parse_mode"]) == ("echo: halo", "HTML")
        assert [e["status"] for e in emu.webhook_log] == [200] and emu.bad_requests == []
    finally:
        await runner.cleanup()


# --------------------------------------------------------------------------- waiting and control API


async def test_wait_for_and_its_timeout_report(emu: Emulator, abot: Bot) -> None:
    await emu.say(USER, "hi")

    async def reply_later() -> None:
        await asyncio.sleep(0.05)
        await abot.send_message(USER, "satu")
        await abot.send_message(USER, "dua")

    task = asyncio.create_task(reply_later())
    assert (await emu.wait_for(USER, timeout=2))["text"] == "satu"
    assert (await emu.wait_for(USER, count=2, timeout=2))["text"] == "dua"
    await task
    with pytest.raises(TelegramBadRequest):
        await abot.send_message(USER, "<b>", parse_mode="HTML")
    with pytest.raises(TimeoutError) as info:
        await emu.wait_for(USER, lambda m: "tiga" in m["text"], timeout=0.05)
    report = str(info.value)
    assert "'satu'" in report and "'dua'" in report and "Can't find end tag" in report


async def test_control_api(emu: Emulator, abot: Bot, http: aiohttp.ClientSession) -> None:
    async def post(path: str, body: dict) -> tuple[int, dict]:
        async with http.post(f"{emu.url}/control/{path}", json=body) as resp:
            return resp.status, await resp.json()

    async def get(path: str) -> dict:
        async with http.get(f"{emu.url}/control/{path}") as resp:
            assert resp.status == 200
            return await resp.json()

    status, update = await post("message", {"user_id": USER, "text": "halo", "first_name": "Siti"})
    assert status == 200 and update["message"]["from"]["first_name"] == "Siti"
    sent = await abot.send_message(USER, "Pilih:", reply_markup=keyboard(("Ya", "yes")))
    page = await get(f"sent?chat_id={USER}&after=0")
    assert [m["text"] for m in page["messages"]] == ["Pilih:"]
    status, update = await post("press", {"user_id": USER, "button_text": "Ya"})
    assert status == 200 and update["callback_query"]["data"] == "yes"
    query = update["callback_query"]["id"]
    assert (await get(f"sent?chat_id={USER}&after=0&queries={query}"))["answers"] == []  # not answered yet
    await abot.answer_callback_query(query, text="Tercatat")  # the pop-up the web chat shows
    assert (await get(f"sent?chat_id={USER}&after=0&queries=x,{query}"))["answers"] == [
        {"id": query, "text": "Tercatat", "show_alert": False}]
    status, error = await post("press", {"user_id": USER, "button_text": "Nope"})
    assert status == 404 and "Nope" in error["error"]
    await abot.edit_message_text("Dipilih: Ya", chat_id=USER, message_id=sent.message_id)
    changes = await get(f"sent?chat_id={USER}&after={page['seq']}")
    assert [(m["message_id"], m["text"], m["edited"]) for m in changes["messages"]] == [
        (sent.message_id, "Dipilih: Ya", True)]
    assert (await get(f"sent?after={changes['seq']}"))["messages"] == []

    photo_b64 = base64.b64encode(png()).decode()
    assert (await post("photo", {"user_id": USER, "content_base64": photo_b64}))[0] == 200
    status, update = await post("document", {"user_id": USER, "file_name": "a.txt",
                                             "content_base64": base64.b64encode(b"abc").decode()})
    assert update["message"]["document"]["file_size"] == 3
    assert (await post("contact", {"user_id": USER, "phone_number": "+62811"}))[0] == 200
    assert (await post("location", {"user_id": USER, "latitude": 1, "longitude": 2}))[0] == 200
    assert (await post("message", {"text": "no user id"}))[0] == 400

    assert (await post("block", {"user_id": USER, "blocked": True}))[0] == 200
    with pytest.raises(TelegramForbiddenError):
        await abot.send_message(USER, "x")
    await post("block", {"user_id": USER, "blocked": False})
    with pytest.raises(TelegramBadRequest):
        await abot.send_message(USER, "a & b", parse_mode="HTML")
    assert (await get("bad_requests"))["bad_requests"][0]["method"] == "sendMessage"
    stats = await get("stats")
    assert {k: stats[k] for k in ("sent", "bad_requests", "forbidden", "updates_pending")} == {
        "sent": 1, "bad_requests": 1, "forbidden": 1, "updates_pending": 6}
    assert (await post("config", {"rate_limit": 5, "retry_after": 3}))[1] == {"rate_limit": 5.0, "retry_after": 3}
    assert (await get("webhook_log")) == {"webhook_log": []}
    await post("reset", {})
    assert (await get("stats"))["sent"] == 0 and emu.sent() == []
