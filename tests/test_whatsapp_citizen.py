"""A WhatsApp citizen can do what a Telegram citizen can, after filing: rate, reopen, list and
look up reports, follow a similar one, switch language, cancel; the officer acts on Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.channels.whatsapp.outbox import WhatsAppOutbox
from bot.channels.whatsapp.side import whatsapp_outbox
from bot.core import App
from services.clock import Clock, utc_now
from services.settings import Settings
from tests.test_complaints_flows import OFFICER, complaints_in, deliver
from tests.test_whatsapp_privacy import WA_NUMBER, file_on_whatsapp
from tests.wa_helpers import WaWorld, wa_world


@pytest.fixture
async def wa(app: App, settings: Settings, clock: Clock) -> AsyncIterator[WaWorld]:
    # Notices are due by the database's real clock (not_before): the test clock starts at it,
    # so that her last message is recent for the WhatsApp sender, which reads the real clock.
    clock.now = utc_now()  # type: ignore[attr-defined]
    async with wa_world(app, settings, clock) as world:
        yield world


def sender(wa: WaWorld) -> WhatsAppOutbox:
    return whatsapp_outbox(wa.side, wa.side.app.settings)


async def deliver_all(app, channel, wa: WaWorld, clock: Clock) -> None:
    """Each sender its own people's notices: WhatsApp's first (the Telegram helper takes every row)."""
    await sender(wa).drain_once()
    await deliver(app, channel)


async def answered(person, app, channel, wa: WaWorld, clock: Clock) -> str:
    """Filed on WhatsApp, answered by the officer on Telegram; the answer reached her."""
    number = await file_on_whatsapp(wa.people, "Biasa")
    await deliver_all(app, channel, wa, clock)
    officer = person(OFFICER, "Budi (Dinas PUPR)")
    await officer.say("/laporanmasuk")
    await officer.press(number)
    await officer.press("Ambil laporan ini")
    await officer.press("Jawab")
    await officer.say("Lubang sudah ditambal tanggal 24 November")
    await officer.press("Kirim ke pelapor")
    await deliver_all(app, channel, wa, clock)
    assert "Lubang sudah ditambal" in "\n".join(wa.people.texts(WA_NUMBER)[-3:])
    return number


async def test_she_closes_the_answered_report_and_rates_it(person, app, channel, clock, wa: WaWorld):
    p = wa.people
    number = await answered(person, app, channel, wa, clock)
    await p.press(WA_NUMBER, "Sudah beres")
    assert "Laporan ditutup" in "\n".join(p.texts(WA_NUMBER)[-2:])
    await deliver_all(app, channel, wa, clock)
    assert "Seberapa puas" in "\n".join(p.texts(WA_NUMBER)[-2:])
    await p.press(WA_NUMBER, "4⭐")
    await p.say(WA_NUMBER, "Cepat ditangani, terima kasih")
    assert "tercatat" in p.last_text(WA_NUMBER)
    await p.reply(WA_NUMBER, "cx:rt:1:5", "5⭐", in_list=True)  # the old list, pressed again
    assert "sudah Anda nilai" in p.last_text(WA_NUMBER)
    [c] = await complaints_in(app)
    assert (c.number, c.status, c.rating, c.rating_comment) == (number, "ditutup", 4, "Cepat ditangani, terima kasih")
    assert wa.emu.state.errors == []


async def test_she_reopens_a_closed_report_and_the_officer_is_told(person, app, channel, clock, wa: WaWorld):
    p = wa.people
    number = await answered(person, app, channel, wa, clock)
    await p.press(WA_NUMBER, "Sudah beres")
    assert (await complaints_in(app))[0].status == "ditutup"
    await p.press(WA_NUMBER, "Belum beres")  # on the answer, still in her chat: asked first
    assert "Buka kembali laporan" in p.last_text(WA_NUMBER)
    assert (await complaints_in(app))[0].status == "ditutup"
    await p.press(WA_NUMBER, "Ya, buka kembali")
    assert "dibuka kembali" in "\n".join(p.texts(WA_NUMBER)[-2:])
    assert (await complaints_in(app))[0].status == "diproses"
    await p.press(WA_NUMBER, "Ya, buka kembali")  # the confirmation twice: reopened once
    assert "saat ini berstatus *Diproses*" in p.last_text(WA_NUMBER)
    await deliver_all(app, channel, wa, clock)
    officer = person(OFFICER, "Budi (Dinas PUPR)")
    assert number in officer.last_text() and "belum beres" in officer.last_text()
    await p.press(WA_NUMBER, "Jelaskan")
    await p.say(WA_NUMBER, "Masih ada lubang di sisi kiri jalan")
    assert "terkirim" in p.last_text(WA_NUMBER)
    await deliver_all(app, channel, wa, clock)
    assert "Masih ada lubang di sisi kiri jalan" in officer.last_text()
    assert wa.emu.state.errors == []
