"""A citizen on WhatsApp, through the Cloud API emulator and SAPA's real `/wa/hook`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.core import App
from services.clock import Clock
from services.settings import Settings
from tests.wa_helpers import NUMBER, WaWorld, wa_world

RINA = 6281234567890


@pytest.fixture
async def wa(app: App, settings: Settings, clock: Clock) -> AsyncIterator[WaWorld]:
    async with wa_world(app, settings, clock) as world:
        yield world


async def test_lapor_with_a_photo_and_a_location_gets_a_tracking_number(wa: WaWorld):
    p = wa.people
    assert (await p.say(RINA, "lapor"))[0] == 200
    await p.press(RINA, "Pengaduan")
    await p.say(RINA, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya untuk anak-anak")
    await p.send_photo(RINA)
    await p.press(RINA, "Lanjut")
    await p.send_location(RINA, -3.4424, 114.8301)
    await p.press(RINA, "Dinas Pekerjaan Umum")
    await p.press(RINA, "Biasa")
    assert "Ringkasan" in "\n".join(p.texts(RINA)[-3:])
    await p.press(RINA, "Kirim laporan")
    if any("Tetap kirim" in t for s in p.messages(RINA)[-1:] for t, _ in s.choices()):
        await p.press(RINA, "Tetap kirim")
    number = NUMBER.search("\n".join(p.texts(RINA)[-3:]))
    assert number, p.texts(RINA)[-3:]
    assert wa.emu.state.errors == []

    await p.say(RINA, f"status {number.group(0)}")
    assert number.group(0) in "\n".join(p.texts(RINA)[-3:])
    assert wa.emu.state.errors == []



async def test_a_replayed_wamid_has_no_second_effect(wa: WaWorld):
    p = wa.people
    await p.say(RINA, "lapor")
    before = len(p.messages(RINA))
    assert await p.replay() == 200  # Meta delivers the same body again
    assert len(p.messages(RINA)) == before


async def test_unsigned_forged_and_wrongly_signed_webhooks_are_refused(wa: WaWorld):
    body = wa.emu.envelope({"contacts": [{"profile": {"name": "X"}, "wa_id": str(RINA)}], "messages": [
        {"from": str(RINA), "id": "wamid.FORGED1", "timestamp": "1", "type": "text", "text": {"body": "lapor"}}]})
    assert await wa.emu.post(body, sign=False) == 403
    assert await wa.emu.post(body, signature="sha256=" + "0" * 64) == 403
    assert await wa.emu.post(body, signature="sha1=abc") == 403
    assert wa.people.messages(RINA) == []
    async with wa.side.app.db.uow() as uow:
        assert await uow.users.by_external("whatsapp", RINA) is None


async def test_verification_echoes_the_challenge_only_with_our_token(wa: WaWorld):
    import aiohttp

    async with aiohttp.ClientSession() as http:
        ok = await http.get(wa.hook_url, params={"hub.mode": "subscribe", "hub.verify_token": "verify-me",
                                                 "hub.challenge": "1158201444"})
        assert (ok.status, await ok.text()) == (200, "1158201444")
        for params in ({"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1"},
                       {"hub.mode": "unsubscribe", "hub.verify_token": "verify-me", "hub.challenge": "1"}, {}):
            bad = await http.get(wa.hook_url, params=params)
            assert bad.status == 403


@pytest.mark.parametrize("text", [
    "<b>&amp; &lt;i&gt; <script>alert(1)</script> & < >", "jalan\x00 rusak\x00", "a" * 5000,
    "🙏🏽🇮🇩 jalan rusak 😡" * 20, "\u202eالطريق مكسور\u202c lapor", "status <b>BJB</b>", "lapor\n\n\n",
])
async def test_hostile_text_brings_no_cloud_api_error_and_no_traceback(wa: WaWorld, text: str, caplog):
    p = wa.people
    await p.say(RINA, text)
    await p.say(RINA, "lapor")
    await p.press(RINA, "Pengaduan")
    assert (await p.say(RINA, text))[0] == 200
    assert wa.emu.state.errors == []
    assert p.messages(RINA)
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]


async def test_a_whatsapp_number_equal_to_an_admin_id_is_a_citizen(wa: WaWorld):
    await wa.people.say(900001, "bantuan")  # SAPA_ADMIN_IDS holds 900001 (a Telegram id)
    async with wa.side.app.db.uow() as uow:
        user = await uow.users.by_external("whatsapp", 900001)
    assert user is not None and user.role == "citizen"


async def test_staff_words_answer_as_for_a_citizen(wa: WaWorld):
    for word in ("laporanmasuk", "umumkan", "staf", "statistik"):
        assert (await wa.people.say(RINA, word))[0] == 200
    assert wa.emu.state.errors == []
    assert all("laporan masuk" not in t.lower() for t in wa.people.texts(RINA))


async def test_an_undeliverable_status_marks_the_citizen_unreachable(wa: WaWorld):
    await wa.people.say(RINA, "bantuan")
    wa.emu.state.undeliverable.add(RINA)
    await wa.people.say(RINA, "bantuan")  # the bot answers, and the number turns out undeliverable
    await wa.emu.settle()
    async with wa.side.app.db.uow() as uow:
        user = await uow.users.by_external("whatsapp", RINA)
    assert user is not None and user.unreachable


async def test_staff_on_telegram_get_a_whatsapp_photo_as_its_bytes(wa: WaWorld):
    from bot.channels.whatsapp.files import WithWhatsAppFiles
    from handlers.kit import Attachment, Reply
    from tests.harness import FakeChannel

    await wa.people.say(RINA, "lapor")
    await wa.people.press(RINA, "Pengaduan")
    await wa.people.say(RINA, "Lampu jalan mati sejak seminggu di Jalan Mawar, gelap sekali malam hari")
    await wa.people.send_photo(RINA, b"\xff\xd8\xff\xe0the-real-photo")
    async with wa.side.app.db.uow() as uow:
        user = await uow.users.by_external("whatsapp", RINA)
    photos = user.state_data.get("photos") or [p for v in user.state_data.values() if isinstance(v, list) for p in v]
    assert photos, user.state_data
    file_id = photos[0]["file_id"] if isinstance(photos[0], dict) else photos[0][1]
    assert file_id.startswith("wa:")
    telegram = FakeChannel()
    await WithWhatsAppFiles(telegram, wa.side.channel).send(700004, Reply("foto", attachment=Attachment("photo", file_id)))
    [sent] = telegram.sent
    assert sent.reply.attachment.content == b"\xff\xd8\xff\xe0the-real-photo"


async def test_the_ikm_survey_from_a_counters_wa_me_link(wa: WaWorld):
    """The QR's wa.me link opens the chat with "survei UNIT" typed: nine questions, each a list
    or buttons, never a Cloud API error; the answers are counted as on Telegram."""
    from sqlalchemy import select

    from db.models import SurveyResponse

    p = wa.people
    await p.say(RINA, "survei DUKCAPIL-01")
    assert "Pertanyaan 1 dari 9" in p.last_text(RINA)
    for _ in range(9):
        await p.press(RINA, "4 · ")
    await p.press(RINA, "Lewati")
    assert "Terima kasih" in "\n".join(p.texts(RINA)[-2:])
    assert wa.emu.state.errors == []
    async with wa.side.app.db.uow() as uow:
        [row] = (await uow.session.execute(select(SurveyResponse))).scalars().all()
    assert row.answers == (4,) * 9


async def test_a_typed_number_is_understood_after_a_restart(wa: WaWorld, app):
    """More than ten choices are numbered lines; the number typed back is looked up in the
    database, so a new process (a restart, another webhook worker) understands it."""
    from bot.channels.whatsapp.side import whatsapp_side
    from handlers.kit import Button, Reply

    await wa.people.say(RINA, "bantuan")
    await wa.side.channel.send(RINA, Reply("Pilih:", [[Button(f"Pilihan {i}", f"menu:{i}")] for i in range(12)]))
    assert "12. Pilihan 11" in wa.people.last_text(RINA)
    fresh = whatsapp_side(wa.side.app.settings, app.db, app.router)  # as a restarted process has it
    assert await fresh.recall(RINA) == [f"menu:{i}" for i in range(12)]
    await fresh.close()
    assert (await wa.people.say(RINA, "1"))[0] == 200  # "menu:0": answered as a button, no error
    assert wa.emu.state.errors == []
    await wa.side.channel.send(RINA, Reply("Ya?", [[Button("Ya", "menu:y")]]))  # newer choices: numbers cleared
    assert await wa.side.recall(RINA) == []
