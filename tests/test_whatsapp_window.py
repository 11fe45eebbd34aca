"""The 24-hour window: an officer's answer reaches a WhatsApp citizen as text inside it, as the
declared template after it closed; the templates are what `sapa whatsapp templates` prints."""

from __future__ import annotations

import json

from bot.channels.whatsapp.side import whatsapp_outbox
from bot.channels.whatsapp.templates import TEMPLATES, for_meta, known
from services.clock import utc_now
from tests.test_complaints_flows import OFFICER
from tests.test_whatsapp_privacy import WA_NUMBER, file_on_whatsapp
from tests.wa_helpers import wa_world


async def answer(person, number: str) -> None:
    officer = person(OFFICER, "Budi (Dinas PUPR)")
    await officer.say("/laporanmasuk")
    await officer.press(number)
    await officer.press("Ambil laporan ini")
    await officer.press("Jawab")
    await officer.say("Sudah ditambal, terima kasih")
    await officer.press("Kirim ke pelapor")


async def test_inside_the_window_the_answer_is_text_after_it_the_template(person, app, settings):
    # The citizen's side on the real clock: her last_seen_at is what the sender compares with now.
    async with wa_world(app, settings, utc_now, templates=known()) as wa:
        number = await file_on_whatsapp(wa.people, "Biasa")
        sender = whatsapp_outbox(wa.side, wa.side.app.settings)
        await sender.drain_once()  # the receipt and anything queued while filing
        seen = len(wa.people.messages(WA_NUMBER))
        await answer(person, number)
        await sender.drain_once()
        fresh = wa.people.messages(WA_NUMBER)[seen:]
        assert fresh and all(m.kind != "template" for m in fresh)
        assert any("Sudah ditambal" in m.text for m in fresh)

        wa.emu.close_window(WA_NUMBER)  # three days later the officer writes again
        seen = len(wa.people.messages(WA_NUMBER))
        errors = len(wa.emu.state.errors)
        async with app.db.uow() as uow:  # a status notice, as the desk queues one
            from services.complaints.notices import Answered

            user = await uow.users.by_external("whatsapp", WA_NUMBER)
            await uow.outbox.add(user.id, Answered(id=1, number=number))
            await uow.commit()
        await sender.drain_once()
        [tpl] = wa.people.messages(WA_NUMBER)[seen:]
        assert tpl.kind == "template" and tpl.message["template"]["name"] == "sapa_laporan_dijawab"
        assert number in tpl.text
        assert [e.code for _, e in wa.emu.state.errors[errors:]] == [131047]  # the text was refused first
        async with app.db.uow() as uow:
            statuses = {r.template: r.status for r in await _rows(uow)}
        assert statuses["cx.answer"] == "sent"
        assert statuses["cx.new"] == "pending"  # the officer's notice is the Telegram sender's to send


async def _rows(uow):
    from sqlalchemy import select

    from db.models import OutboxMessage

    return (await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()


def test_every_template_is_printed_for_meta_in_both_languages():
    printed = json.loads(for_meta())
    assert {(t["name"], t["language"]) for t in printed} == set(known())
    for t in printed:
        body = t["components"][0]["text"]
        count = sum(f"{{{{{i}}}}}" in body for i in range(1, 10))
        assert count == len(t["components"][0]["example"]["body_text"][0])
        assert not body.startswith("wa.tpl.")  # translated, not a missing key
    from services.complaints.notices import Answered, InfoRequested, RateRequest, StatusChanged

    assert {n for tpl in TEMPLATES for n in tpl.notices} >= {StatusChanged, Answered, InfoRequested, RateRequest}


async def test_the_pair_pacer_lets_a_burst_through_then_one_per_interval_per_person():
    from bot.channels.whatsapp.pacing import PairPacer

    now = [0.0]
    slept: list[float] = []

    async def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    pacer = PairPacer(interval=6.0, burst=3, monotonic=lambda: now[0], sleep=sleep)
    for _ in range(3):
        await pacer.wait(1)
    assert slept == []
    await pacer.wait(2)  # someone else is not held up
    assert slept == []
    await pacer.wait(1)
    assert slept == [6.0]
    pacer.held(2)  # Meta said 131056 for person 2 all the same
    await pacer.wait(2)
    assert slept[-1] == 6.0


async def test_long_after_her_last_message_the_template_goes_first_as_meta_reports_131047_late(app, settings):
    """Meta accepts free-form text outside the window and reports 131047 in a status later: the
    sender must not try; from her last_seen_at it knows the window is closed."""
    from datetime import timedelta

    from sqlalchemy import update

    from db.models import User
    from services.complaints.notices import InfoRequested

    async with wa_world(app, settings, utc_now, templates=known(), late_window_errors=True) as wa:
        await wa.people.say(6281200000077, "bantuan")
        wa.emu.close_window(6281200000077)
        async with app.db.uow() as uow:
            await uow.session.execute(update(User).where(User.external_id == 6281200000077)
                                      .values(last_seen_at=utc_now() - timedelta(hours=30)))
            user = await uow.users.by_external("whatsapp", 6281200000077)
            await uow.outbox.add(user.id, InfoRequested(id=1, number="BJB-2026-000009", note="Di mana\npersisnya?"))
            await uow.commit()
        await whatsapp_outbox(wa.side, wa.side.app.settings).drain_once()
        await wa.emu.settle()
        [tpl] = [m for m in wa.people.messages(6281200000077) if m.kind == "template"]
        assert tpl.text.endswith("BJB-2026-000009 | Di mana persisnya?")  # one line, as Meta requires
        assert wa.emu.state.errors == []


async def test_an_announcement_outside_the_window_is_its_template_and_a_telegram_photo_is_uploaded(app, settings):
    from datetime import timedelta

    from sqlalchemy import update

    from db.models import User
    from handlers.kit import Attachment, Reply
    from services.announcements import Announcement

    async with wa_world(app, settings, utc_now, templates=known()) as wa:
        who = 6281200000088
        await wa.people.say(who, "bantuan")
        wa.emu.close_window(who)
        async with app.db.uow() as uow:
            await uow.session.execute(update(User).where(User.external_id == who)
                                      .values(last_seen_at=utc_now() - timedelta(days=3)))
            user = await uow.users.by_external("whatsapp", who)
            await uow.outbox.add(user.id, Announcement(text="Rapat <warga> & RT\nSenin"))
            await uow.commit()
        await whatsapp_outbox(wa.side, wa.side.app.settings).drain_once()
        [tpl] = [m for m in wa.people.messages(who) if m.kind == "template"]
        assert tpl.message["template"]["name"] == "sapa_pesan" and tpl.text.endswith("Rapat <warga> & RT Senin")

        await wa.people.say(who, "bantuan")  # the window is open again: a broadcast's photo from Telegram

        async def telegram_file(file_id: str) -> bytes:
            assert file_id == "AgACAgQAAxkBAAI"
            return b"\xff\xd8\xff\xe0telegram-photo"

        wa.side.channel.other_files = telegram_file
        await wa.side.channel.send(who, Reply("Kabar", attachment=Attachment("photo", file_id="AgACAgQAAxkBAAI")))
        image = [m for m in wa.people.messages(who) if m.kind == "image"][-1]
        assert wa.emu.state.media[image.message["image"]["id"]][0] == b"\xff\xd8\xff\xe0telegram-photo"
        uploads = len(wa.emu.state.media)
        await wa.side.channel.send(who, Reply("Kabar", attachment=Attachment("photo", file_id="AgACAgQAAxkBAAI")))
        assert len(wa.emu.state.media) == uploads  # the same file is not uploaded again
        assert wa.emu.state.errors == []
