"""A WhatsApp citizen can do what a Telegram citizen can, after filing: rate, reopen, list and
look up reports, follow a similar one, switch language, cancel; the officer acts on Telegram."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from bot.channels.whatsapp.outbox import WhatsAppOutbox
from bot.channels.whatsapp.side import whatsapp_outbox
from bot.core import App
from db.models import ComplaintFollower
from services.clock import Clock, utc_now
from services.settings import Settings
from tests.test_complaints_flows import OFFICER, complaints_in, deliver
from tests.test_whatsapp_privacy import WA_NUMBER, file_on_whatsapp
from tests.wa_helpers import NUMBER, WaWorld, wa_world


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


async def file(p, who: int, text: str, privacy: str = "Biasa", *, anyway: bool = True) -> str:
    """The filing flow by taps, no photo or place; returns the tracking number (or "" if a similar
    report was offered and `anyway` is False)."""
    await p.say(who, "lapor")
    await p.press(who, "Pengaduan")
    await p.say(who, text)
    await p.press(who, "Lewati")
    await p.press(who, "Lewati")
    if not any("Dinas Pekerjaan Umum" in title for title, _ in p.messages(who)[-1].choices()):
        await p.press(who, "Semua instansi")  # not among the suggestions
    await p.press(who, "Dinas Pekerjaan Umum")
    await p.press(who, privacy)
    await p.press(who, "Kirim laporan")
    if any("Tetap kirim" in title for title, _ in p.messages(who)[-1].choices()):
        if not anyway:
            return ""
        await p.press(who, "Tetap kirim")
    found = NUMBER.search("\n".join(p.texts(who)[-3:]))
    assert found, p.texts(who)[-3:]
    return found.group(0)


async def test_aduanku_lists_hers_and_status_of_anothers_report_reveals_nothing(person, wa: WaWorld):
    p = wa.people
    p.names[WA_NUMBER] = "Zubaidah WA"
    await p.say(WA_NUMBER, "aduanku")
    assert "belum punya laporan" in p.last_text(WA_NUMBER)
    public = await file(p, WA_NUMBER, "Lampu jalan mati di Jalan Mawar sejak seminggu, gelap sekali")
    secret = await file(p, WA_NUMBER, "Dugaan pungli di loket pelayanan kelurahan setiap pagi", "Rahasia")
    await p.say(WA_NUMBER, "aduanku")
    mine = "\n".join(p.texts(WA_NUMBER)[-2:])
    assert public in mine and secret in mine
    await p.press(WA_NUMBER, public)
    assert "Riwayat" in p.last_text(WA_NUMBER) and public in p.last_text(WA_NUMBER)

    other = 6281355550001
    p.names[other] = "Tetangga"
    await p.say(other, "aduanku")
    assert "belum punya laporan" in p.last_text(other)
    await p.say(other, f"status {secret}")
    assert "bersifat rahasia" in p.last_text(other)
    await p.say(other, f"status {public.lower()}")
    seen = p.last_text(other)
    assert public in seen and "Riwayat" in seen
    assert all(title not in ("Balas", "💬 Balas") for m in p.messages(other) for title, _ in m.choices())
    await p.reply(other, "cx:fw:2", "Ikuti")  # a forged follow of the secret one: as if it did not exist
    assert "tidak ditemukan" in p.last_text(other)
    telegram = person(1001, "Rina Sekarwati")
    await telegram.say(f"/status {secret}")
    assert "bersifat rahasia" in telegram.last_text()
    everything = "\n".join(p.texts(other)) + telegram.all_text()
    for leak in ("pungli", "Zubaidah", str(WA_NUMBER), "89912345678"):
        assert leak not in everything, leak
    assert wa.emu.state.errors == []


async def test_she_follows_a_similar_report_offered_at_filing_and_gets_its_notices(person, app, channel, clock,
                                                                                    wa: WaWorld):
    p, budi = wa.people, 6281355550002
    number = await file(p, WA_NUMBER, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya untuk anak-anak")
    assert await file(p, budi, "Ada jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya sekali",
                      anyway=False) == ""
    assert "laporan serupa" in p.last_text(budi) and number in p.last_text(budi)
    await p.press(budi, f"Ikuti {number}")
    assert "mengikuti laporan" in p.last_text(budi)
    assert len(await complaints_in(app)) == 1
    await deliver_all(app, channel, wa, clock)
    officer = person(OFFICER, "Budi (Dinas PUPR)")
    await officer.press("Buka")
    await officer.press("Verifikasi")
    await officer.press("Tanpa catatan")
    seen = len(p.messages(budi))
    await deliver_all(app, channel, wa, clock)
    fresh = "\n".join(m.text for m in p.messages(budi)[seen:])
    assert f"Laporan yang Anda ikuti, *{number}*: status kini *Diverifikasi*" in fresh
    await p.press(budi, "Berhenti mengikuti")
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(ComplaintFollower))).first() is None
    assert wa.emu.state.errors == []


async def test_bahasa_en_switches_her_replies_to_english(app, wa: WaWorld):
    p = wa.people
    await p.say(WA_NUMBER, "bahasa en")
    async with app.db.uow() as uow:
        user = await uow.users.by_external("whatsapp", WA_NUMBER)
    assert user is not None and user.locale == "en"
    await p.say(WA_NUMBER, "lapor")
    assert "Choose its kind" in p.last_text(WA_NUMBER)
    await p.press(WA_NUMBER, "Complaint")
    await p.say(WA_NUMBER, "The road near the school has a big pothole, dangerous for children")
    await p.press(WA_NUMBER, "Skip")
    await p.press(WA_NUMBER, "Skip")
    lists = [m for m in p.messages(WA_NUMBER) if m.kind == "interactive" and m.message["interactive"]["type"] == "list"]
    assert lists and all(m.message["interactive"]["action"]["button"] == "Choose" for m in lists)
    await p.press(WA_NUMBER, "not sure")
    await p.press(WA_NUMBER, "Normal")
    await p.press(WA_NUMBER, "Send report")
    assert "Report received" in "\n".join(p.texts(WA_NUMBER)[-2:])
    await p.say(WA_NUMBER, "bahasa")  # the word alone: the choice, and back to Indonesian
    await p.press(WA_NUMBER, "Indonesia")
    await p.say(WA_NUMBER, "lapor")
    assert "Choose its kind" not in p.last_text(WA_NUMBER) and "Pengaduan" in str(p.messages(WA_NUMBER)[-1].choices())
    assert wa.emu.state.errors == []


async def test_batal_in_the_middle_of_filing_files_nothing(app, wa: WaWorld):
    p = wa.people
    await p.say(WA_NUMBER, "lapor")
    await p.press(WA_NUMBER, "Pengaduan")
    await p.say(WA_NUMBER, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya untuk anak-anak")
    await p.press(WA_NUMBER, "Lewati")
    await p.say(WA_NUMBER, "batal")
    assert "Dibatalkan" in "\n".join(p.texts(WA_NUMBER)[-2:])
    async with app.db.uow() as uow:
        user = await uow.users.by_external("whatsapp", WA_NUMBER)
    assert user is not None and user.state is None
    await p.press(WA_NUMBER, "Lewati")  # the old step's button, after cancelling
    assert "sudah tidak berlaku" in p.last_text(WA_NUMBER)
    assert await complaints_in(app) == []
    assert wa.emu.state.errors == []


@pytest.mark.parametrize("data", ["garbage", "x" * 5000, "<b>&", "cx:rt:1", "cx:ag:zz:1", "cx:fb:99:not:y", " ", ""])
async def test_a_stale_or_forged_reply_id_gets_a_clear_answer(app, wa: WaWorld, data: str, caplog):
    p = wa.people
    await p.say(WA_NUMBER, "lapor")
    old = p.messages(WA_NUMBER)[-1].choices()[0][1]  # the first kind on this list
    await p.say(WA_NUMBER, "lapor")  # a new draft: the old list is dead
    seen = len(p.messages(WA_NUMBER))
    await p.reply(WA_NUMBER, old, "Pengaduan", in_list=True)
    assert "sudah tidak berlaku" in "\n".join(p.texts(WA_NUMBER)[seen:])
    seen = len(p.messages(WA_NUMBER))
    assert (await p.reply(WA_NUMBER, data, "Ya"))[0] == 200
    answer = "\n".join(p.texts(WA_NUMBER)[seen:])
    assert "sudah tidak berlaku" in answer or "tidak ditemukan" in answer, (data[:20], answer)
    assert "<b>" not in answer and "Traceback" not in answer
    assert wa.emu.state.errors == []
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]
    assert await complaints_in(app) == []
