"""Issue 15: a broadcast HR can finish at night, and who sends it.

On a fake clock at 22:43 WITA (quiet hours 21:00–06:00): the preview warns before "Kirim"; a held
broadcast is sent now as urgent or moved to another time; a stopped or finished one is started
again from its text, file and audience. Old or forged presses get the stale or forbidden answer.
Every copy (and so the preview) opens with a line saying who sends it, within Telegram's limits.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select, update

from bot.delivery import CAPTION_LIMIT, expand
from db.models import Agency, AuditLog, OutboxMessage, User
from handlers.broadcasts.callbacks import Again, Later, Rush
from handlers.i18n import t
from handlers.render import TEXT_LIMIT
from services.broadcasts import demo, followup, manage
from services.broadcasts.compose import sender_name, to_html
from services.errors import Forbidden
from tests.test_broadcast_flows import (
    ASN,
    CITIZEN,
    FORBIDDEN,
    HR,
    copy_of,
    editor,
    only_broadcast,
    rows_of,
    sender,
)
from tests.test_broadcast_service import QUIET, ROLES, TZ, people

NIGHT = datetime(2026, 11, 23, 14, 43, tzinfo=UTC)  # Monday 22:43 WITA
MORNING = datetime(2026, 11, 23, 22, 0, tzinfo=UTC)  # Tuesday 06:00 WITA
STALE = t("id", "stale.toast")
HEAD = "📣 <b>Pengumuman BKPSDM Kota Banjarbaru</b>\n\n"  # the demo HR's, once BKPSDM is their agency
WARNING = ("Sekarang jam tenang (21.00–06.00): siaran biasa baru terkirim pukul 06.00; "
           "pilih <b>Kirim mendesak</b> untuk mengirim sekarang")


@pytest.fixture
async def audience(app, clock):
    """12 linked civil servants (chats 720_001…), PUPR and DINKES by turns, as in test_broadcast_flows."""
    async with app.db.uow() as uow:
        ids = await demo.add_civil_servants(uow, 12, first_id=720_001, now=clock(), agencies=["PUPR", "DINKES"])
        await uow.commit()
    return ids


def units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


async def actions(app) -> list[str]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(AuditLog.action).where(AuditLog.action.like("broadcast.%"))
                                               .order_by(AuditLog.id))).scalars())


async def test_at_night_the_preview_warns_and_a_held_broadcast_is_sent_now_as_urgent(app, person, channel, clock,
                                                                                    audience):
    clock.now = NIGHT
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    _preview, summary = await hr.say("Besok apel pagi")
    assert WARNING in summary.text  # before anything is sent
    await hr.press("Kirim")
    held = hr.messages()[-1]
    assert "06.00" in held.text and "Kirim mendesak sekarang" in held.text
    assert held.labels() == ["⚡ Kirim mendesak sekarang", "🕒 Jadwalkan", "⏹ Hentikan"]
    assert await sender(app, channel, clock).drain_once() == 0  # held until the morning

    who = person(ASN, "Siti")  # someone else's broadcast, a forged button: refused, nothing moves
    b = await only_broadcast(app)
    for data in (Rush(b.id).pack(), Later(b.id).pack(), Again(b.id).pack()):
        assert FORBIDDEN in (await who.press_data(data))[-1].text, data
    assert await sender(app, channel, clock).drain_once() == 0

    await hr.press("Kirim mendesak sekarang")
    now = next(m for m in hr.messages() if m.message_id == held.message_id)
    assert now.edited and "mulai dikirim" in now.text and now.labels() == ["⏹ Hentikan"]
    b = await only_broadcast(app)
    assert b.urgent and b.starts_at == NIGHT and b.progress_message_id == held.message_id
    assert await sender(app, channel, clock).drain_once() == 12  # now, not at 06:00
    assert await editor(app, channel, clock).tick() == 1  # the same message follows it to the end
    assert "selesai" in next(m for m in hr.messages() if m.message_id == held.message_id).text
    assert "12 dari 12 terkirim" in hr.last_text()
    assert await actions(app) == ["broadcast.create", "broadcast.confirm", "broadcast.urgent"]

    # Pressed again once it is out: the standard answer to an old button, and nothing happens.
    assert STALE == await hr.press_stale(Rush(b.id).pack(), message_id=held.message_id)
    assert STALE == await hr.press_stale(Later(b.id).pack())
    assert await actions(app) == ["broadcast.create", "broadcast.confirm", "broadcast.urgent"]


async def test_a_held_broadcast_is_moved_to_another_time(app, person, channel, clock, audience):
    clock.now = NIGHT
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Rapat jam sembilan")
    await hr.press("Kirim")
    await hr.press("Jadwalkan")
    assert "Kapan dikirim" in hr.last_text()
    await hr.say("kemarin")
    assert "tidak dikenali" in hr.last_text()  # the step stays
    await hr.say("08:00")
    assert "dijadwalkan" in hr.last_text() and "08.00" in hr.last_text()
    b = await only_broadcast(app)
    eight = datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # Tuesday 08:00 WITA
    assert (b.status, b.scheduled_for, b.starts_at) == ("queued", eight, eight)
    clock.now = MORNING
    assert await sender(app, channel, clock).drain_once() == 0  # not at 06:00 any more
    clock.now = eight
    assert await sender(app, channel, clock).drain_once() == 12
    assert await rows_of(app, b.id) == {"sent": 12}
    assert (await actions(app))[-1] == "broadcast.reschedule"


async def test_a_stopped_broadcast_is_sent_again_with_its_file_caption_and_audience(app, person, channel, clock,
                                                                                  audience):
    clock.now = NIGHT
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    first, _ = await hr.send_photo(b"\xff\xd8img", caption="Jadwal *apel*")
    await hr.press("OPD")
    await hr.say("PUPR")
    await hr.press("Kirim")
    await hr.press("Hentikan")
    stopped = hr.messages()[-1]
    assert "sebelum dikirim" in stopped.text and stopped.labels() == ["🔁 Kirim ulang / ubah"]
    old = await only_broadcast(app)
    assert STALE == await hr.press_stale(Rush(old.id).pack())  # stopped: nothing to send now

    preview, summary = await hr.press("Kirim ulang / ubah")
    assert preview.attachment.file_id == first.attachment.file_id and preview.text == first.text
    assert preview.text == copy_of("Jadwal <b>apel</b>")
    assert "OPD PUPR" in summary.text and "6 orang" in summary.text and WARNING in summary.text
    await hr.press("Ubah teks")
    await hr.say("Jadwal *apel* diganti")  # typed again: the file goes, the audience stays
    edited, summary = hr.messages()[-2:]
    assert edited.text == copy_of(to_html("Jadwal *apel* diganti")) and "OPD PUPR" in summary.text
    await hr.press("Kirim mendesak")
    assert await sender(app, channel, clock).drain_once() == 6
    assert [m.text for m in channel.to(720_003)] == [edited.text]

    await editor(app, channel, clock).tick()
    report = hr.messages()[-1]
    assert "6 dari 6 terkirim" in report.text and report.labels() == ["🔁 Kirim ulang / ubah"]
    assert await actions(app) == ["broadcast.create", "broadcast.confirm", "broadcast.cancel",
                                  "broadcast.create", "broadcast.confirm"]
    async with app.db.uow() as uow:
        copy_of_old = (await uow.session.execute(select(AuditLog).order_by(AuditLog.id.desc())
                                                 .where(AuditLog.action == "broadcast.create"))).scalars().first()
    assert copy_of_old.details["copy_of"] == old.id


async def test_again_is_refused_on_a_running_broadcast_and_for_other_roles(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Masih berjalan")
    await hr.press("Kirim")
    b = await only_broadcast(app)
    assert STALE == await hr.press_stale(Again(b.id).pack())  # not over yet
    assert STALE == await hr.press_stale(Rush(b.id).pack())  # running, not held
    assert t("id", "bc.err.not_found") in (await hr.press_data(Again(987654).pack()))[-1].text
    await hr.press("Hentikan")
    citizen = person(CITIZEN, "Rina")
    assert FORBIDDEN in (await citizen.press_data(Again(b.id).pack()))[-1].text
    assert await actions(app) == ["broadcast.create", "broadcast.confirm", "broadcast.cancel"]


FOLLOW_UPS = ("send_now", "check_waiting", "reschedule", "again", "set_content")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", FOLLOW_UPS)
async def test_only_hr_and_superadmin_may_follow_up_a_broadcast(app, role: str, action: str):
    async with app.db.uow() as uow:
        who = await people(uow)
        hr, p = who["hr"], who[role]
        held = await manage.create(uow, hr, "Malam", now=NIGHT)
        await manage.confirm(uow, hr, held.id, now=NIGHT, quiet=QUIET, tz=TZ)
        over = await manage.create(uow, hr, "Dibuang", now=NIGHT)
        await manage.cancel(uow, hr, over.id, now=NIGHT)
        draft = await manage.create(uow, hr, "Draf", now=NIGHT)
        calls = {
            "send_now": lambda: followup.send_now(uow, p, held.id, now=NIGHT),
            "check_waiting": lambda: followup.check_waiting(uow, p, held.id, now=NIGHT),
            "reschedule": lambda: followup.reschedule(uow, p, held.id, MORNING.replace(hour=23), now=NIGHT,
                                                      quiet=QUIET, tz=TZ),
            "again": lambda: followup.again(uow, p, over.id, now=NIGHT),
            "set_content": lambda: manage.set_content(uow, p, draft.id, "Baru"),
        }
        if role in ("hr", "superadmin"):
            await calls[action]()
        else:
            with pytest.raises(Forbidden):
                await calls[action]()
            nb = (await uow.session.execute(select(OutboxMessage.not_before)
                                            .where(OutboxMessage.broadcast_id == held.id))).scalars().all()
            assert set(nb) == {MORNING}  # still held


# --- who sends it -------------------------------------------------------------------------------

@pytest.mark.parametrize(("agency", "instance", "expected"), [
    ("BKPSDM", "Pemerintah Kota Banjarbaru", "BKPSDM Kota Banjarbaru"),
    ("BKPSDM Kota Banjarbaru", "Pemerintah Kota Banjarbaru", "BKPSDM Kota Banjarbaru"),
    ("Dinas Kesehatan", "Pemerintah Kabupaten Batanghari", "Dinas Kesehatan Kabupaten Batanghari"),
    (None, "Pemerintah Kota Binjai", "Pemerintah Kota Binjai"),
    ("  ", " Pemerintah  Kota Binjai ", "Pemerintah Kota Binjai"),
])
def test_the_sender_is_the_agency_with_the_instance_region(agency, instance, expected):
    assert sender_name(agency, instance) == expected


def test_staff_of_no_agency_send_as_the_hr_agency():
    assert sender_name(None, "Pemerintah Kota Banjarbaru", "BKPSDM") == "BKPSDM Kota Banjarbaru"
    assert sender_name(None, "Pemerintah Kabupaten Batanghari", "BKD") == "BKD Kabupaten Batanghari"
    assert sender_name("Dinas Kesehatan", "Pemerintah Kota Binjai", "BKPSDM") == "Dinas Kesehatan Kota Binjai"


@pytest.fixture
async def hr_of_bkpsdm(app):
    """The demo's HR officer, working for BKPSDM (short name as agencies import it)."""
    async with app.db.uow() as uow:
        agency = (await uow.session.execute(select(Agency).where(Agency.code == "BKPSDM"))).scalar_one()
        agency.short_name = "BKPSDM"
        await uow.session.execute(update(User).where(User.external_id == HR).values(agency_id=agency.id))
        await uow.commit()


async def test_each_copy_says_who_sends_it_as_the_preview_does(app, person, channel, clock, audience, hr_of_bkpsdm):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    preview, _ = await hr.say("Apel <pagi> & *wajib*")
    assert preview.text == HEAD + "Apel &lt;pagi&gt; &amp; <b>wajib</b>"
    await hr.press("Kirim")
    async with app.db.uow() as uow:  # an English reader gets the same sender in their words
        await uow.session.execute(update(User).where(User.id == audience[0]).values(locale="en"))
        await uow.commit()
    await sender(app, channel, clock).drain_once()
    assert [m.text for m in channel.to(720_002)] == [preview.text]
    [english] = channel.to(720_001)
    assert english.text.startswith("📣 <b>Announcement from BKPSDM Kota Banjarbaru</b>\n\nApel")
    async with app.db.uow() as uow:
        params = (await uow.session.execute(select(OutboxMessage.params).limit(1))).scalar()
    assert params["sender"] == "BKPSDM Kota Banjarbaru" and params["body"] == ""  # the text itself is not copied


async def test_a_text_near_the_limit_is_split_with_the_sender_line_counted(app, person, channel, clock, audience,
                                                                         hr_of_bkpsdm):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    typed = " ".join(["Pengumuman"] * 400)[:4090].strip()  # fits alone; with the sender line it does not
    assert units(typed) <= TEXT_LIMIT
    preview, _ = await hr.say(typed)
    parts = [p.text for p in expand(preview)]
    assert len(parts) == 2 and all(units(p) <= TEXT_LIMIT for p in parts)
    assert parts[0].startswith(HEAD) and "📣" not in parts[1]  # the line opens the first part only
    assert (parts[0].removeprefix(HEAD) + " " + parts[1]).split() == typed.split()  # nothing lost or doubled
    assert [m.text for m in hr.messages()[-3:-1]] == parts  # the preview went out in these parts
    await hr.press("Kirim")
    await sender(app, channel, clock).drain_once()
    assert [m.text for m in channel.to(720_005)] == parts


async def test_a_caption_near_the_limit_keeps_the_file_and_the_sender_line(app, person, channel, clock, audience,
                                                                          hr_of_bkpsdm):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    caption = " ".join(["Jadwal"] * 200)[:1010].strip()  # fits a caption alone, not with the sender line
    preview, _ = await hr.send_photo(b"\xff\xd8img", caption=caption)
    parts = expand(preview)
    assert len(parts) == 2 and all(units(p.text) <= CAPTION_LIMIT for p in parts)
    assert parts[0].attachment is not None and parts[1].attachment is None
    assert parts[0].text.startswith(HEAD)
    assert (parts[0].text.removeprefix(HEAD) + " " + parts[1].text).split() == caption.split()
    await hr.press("Kirim")
    await sender(app, channel, clock).drain_once()
    got = channel.to(720_006)
    assert [(m.text, m.reply.attachment is not None) for m in got] == [(p.text, p.attachment is not None)
                                                                       for p in parts]


async def test_a_broadcast_caught_running_by_quiet_hours_offers_the_same_choices(app, person, channel, clock,
                                                                                  audience):
    clock.now = datetime(2026, 11, 23, 12, 55, tzinfo=UTC)  # 20:55 WITA
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Panjang sekali")
    await hr.press("Kirim")
    progress_id = hr.messages()[-1].message_id
    async with app.db.uow() as uow:  # three went out before 21:00
        ids = (await uow.session.execute(select(OutboxMessage.id).order_by(OutboxMessage.id).limit(3))).scalars().all()
        for i in ids:
            await uow.outbox.finish(i, "sent", clock())
        await uow.commit()
    clock.now = datetime(2026, 11, 23, 13, 5, tzinfo=UTC)  # 21:05 WITA: the rest waits
    assert await editor(app, channel, clock).tick() == 1
    shown = next(m for m in hr.messages() if m.message_id == progress_id)
    assert "Jam tenang" in shown.text and "Sisa: 9" in shown.text
    assert shown.labels() == ["⚡ Kirim mendesak sekarang", "🕒 Jadwalkan", "⏹ Hentikan"]
    assert await sender(app, channel, clock).drain_once() == 0
    await hr.press("Kirim mendesak sekarang")
    assert await sender(app, channel, clock).drain_once() == 9
    b = await only_broadcast(app)
    assert await rows_of(app, b.id) == {"sent": 12} and b.urgent
    await editor(app, channel, clock).tick()
    assert "selesai" in next(m for m in hr.messages() if m.message_id == progress_id).text
