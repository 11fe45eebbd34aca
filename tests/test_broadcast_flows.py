"""/umumkan through the router as HR types it, the sender delivering, the progress message edited
in place; bad input and the wrong roles get a clear answer and change nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.delivery import Pause, expand
from bot.outbox import OutboxSender
from bot.progress import ProgressEditor
from db.models import AuditLog, Broadcast, OutboxMessage
from handlers.broadcasts.callbacks import Send
from handlers.channel import RetryAfter, Unreachable
from handlers.i18n import t
from handlers.notices import render_notice
from services.broadcasts import demo
from services.broadcasts.compose import MAX_CHARS, to_html

HR, CITIZEN, ASN, OFFICER = 700003, 1002, 1003, 700004
FORBIDDEN = t("id", "error.forbidden")
# The demo's HR has no agency of their own: they send as the HR agency (SAPA_HR_AGENCY, BKPSDM) of
# the region the test settings' SAPA_INSTANCE_NAME ("Pemerintah Kota Banjarbaru") governs.
INSTANCE = "BKPSDM Kota Banjarbaru"


def copy_of(html: str, sender: str = INSTANCE) -> str:
    """What each recipient reads (and the preview shows): who sends it, then the broadcast."""
    return f"📣 <b>Pengumuman {sender}</b>\n\n{html}"


@pytest.fixture
async def audience(app, clock):
    async with app.db.uow() as uow:
        ids = await demo.add_civil_servants(uow, 12, first_id=720_001, now=clock(), agencies=["PUPR", "DINKES"])
        await uow.commit()
    return ids


def sender(app, channel, clock) -> OutboxSender:
    return OutboxSender(app.db, channel, render_notice, rate=10_000.0, in_flight=4, pause=Pause(), clock=clock)


def editor(app, channel, clock) -> ProgressEditor:
    return ProgressEditor(app.db, channel, Pause(), rate=25.0, quiet=app.settings.quiet, tz=app.settings.tz,
                          clock=clock)


async def rows_of(app, broadcast_id: int) -> dict[str, int]:
    async with app.db.uow() as uow:
        return (await uow.broadcasts.counts([broadcast_id]))[broadcast_id]


async def only_broadcast(app) -> Broadcast:
    async with app.db.uow() as uow:
        return (await uow.session.execute(select(Broadcast))).scalar_one()


async def test_hr_composes_previews_sends_and_follows_to_the_report(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    assert "Pengumuman baru" in (await hr.say("/umumkan"))[0].text
    typed = "Rapat <b>&</b> *penting* di [aula](https://bkpsdm.example.go.id/?a=1&b=2) 🎉"
    preview, summary = await hr.say(typed)
    assert preview.text == copy_of(to_html(typed)) and preview.buttons == []  # the recipients' very copy
    assert "&lt;b&gt;&amp;&lt;/b&gt;" in preview.text and "<b>penting</b>" in preview.text
    assert "semua ASN" in summary.text and "12 orang" in summary.text  # the audience's reachable count

    await hr.press("OPD")
    await hr.say("PUPR")
    assert "OPD PUPR" in hr.last_text() and "6 orang" in hr.last_text()
    channel.failures[720_001] = Unreachable("Forbidden: bot was blocked by the user")  # one PUPR recipient blocked
    await hr.press("Kirim")
    b = await only_broadcast(app)
    assert b.status == "queued" and b.total == 6 and "6 orang" in hr.last_text()
    progress_msg = hr.messages()[-1]
    assert b.progress_message_id == progress_msg.message_id

    assert await sender(app, channel, clock).drain_once() == 6
    got = [m.text for m in channel.sent if 720_002 <= m.chat_id <= 720_012]
    assert len(got) == 5 and set(got) == {preview.text}  # exactly as previewed, to PUPR only
    assert await rows_of(app, b.id) == {"sent": 5, "unreachable": 1}

    assert await editor(app, channel, clock).tick() == 1
    final = next(m for m in hr.messages() if m.message_id == progress_msg.message_id)
    assert final.edited and "selesai" in final.text  # edited in place, converged to the rows
    assert "Terkirim: 5" in final.text and "Tak terjangkau: 1" in final.text and "Sisa: 0" in final.text
    report = hr.messages()[-1]
    assert "5 dari 6 terkirim (83%" in report.text and "XLSX" in report.labels()[0]
    assert (await only_broadcast(app)).status == "done"
    assert await editor(app, channel, clock).tick() == 0  # reported once

    await hr.press("XLSX")
    doc = hr.messages()[-1].reply.attachment
    assert doc is not None and doc.filename.endswith(".xlsx")
    sheet = load_workbook(io.BytesIO(doc.content)).active
    row = [c.value for c in sheet[2]]
    assert (row[0], row[3], row[4], row[5]) == ("ASN Demo 1", 720_001, "tidak terjangkau", "memblokir bot")
    async with app.db.uow() as uow:
        actions = (await uow.session.execute(select(AuditLog.action).where(AuditLog.action.like("broadcast.%"))
                                             .order_by(AuditLog.id))).scalars().all()
    assert actions == ["broadcast.create", "broadcast.confirm"]


class FloodOnFirstReport:
    """The channel, but Telegram's flood control refuses the first new message to one chat."""

    def __init__(self, channel, chat_id: int) -> None:
        self.channel, self.chat_id, self.refused = channel, chat_id, 0

    async def send(self, chat_id, reply, *, edit_message_id=None):
        if chat_id == self.chat_id and edit_message_id is None and not self.refused:
            self.refused += 1
            raise RetryAfter("Too Many Requests: retry after 1", 1)
        return await self.channel.send(chat_id, reply, edit_message_id=edit_message_id)


async def test_a_report_refused_by_flood_control_arrives_at_the_next_tick_once(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Apel pagi besok")
    await hr.press("Kirim")
    b = await only_broadcast(app)
    assert await sender(app, channel, clock).drain_once() == 12
    flood = FloodOnFirstReport(channel, HR)
    ed = ProgressEditor(app.db, flood, Pause(), rate=25.0, quiet=app.settings.quiet, tz=app.settings.tz, clock=clock)
    assert await ed.tick() == 1 and flood.refused == 1  # "selesai" shown, the report refused (429)
    assert "selesai" in hr.messages()[-1].text and (await only_broadcast(app)).status == "queued"
    clock.advance(seconds=3)
    await ed.tick()
    reports = [m for m in hr.messages() if "12 dari 12 terkirim" in m.text]
    assert len(reports) == 1 and (await only_broadcast(app)).status == "done"
    assert await ed.tick() == 0 and len([m for m in hr.messages() if "dari 12 terkirim" in m.text]) == 1
    assert b.id == (await only_broadcast(app)).id


async def test_a_long_text_with_markup_arrives_in_the_same_parts_as_previewed(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    typed = ("Info <penting> & 🎉 *tebal* " + "Baris <b>& 🎉 " * 300)[:4000].strip()
    preview, _summary = await hr.say(typed)
    assert preview.text == copy_of(to_html(typed))
    shown = [m.text for m in hr.messages()[-3:-1]]  # the preview went out in two parts
    assert [p.text for p in expand(preview)] == shown and len(shown) == 2
    await hr.press("Kirim")
    await sender(app, channel, clock).drain_once()
    assert [m.text for m in channel.to(720_003)] == shown


async def test_a_photo_with_a_caption_is_broadcast_as_a_photo(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    preview, _ = await hr.send_photo(b"\xff\xd8img", caption="Jadwal *apel*")
    assert preview.attachment is not None and preview.attachment.kind == "photo"
    await hr.press("Kirim")
    await sender(app, channel, clock).drain_once()
    [copy] = channel.to(720_004)
    assert copy.reply.attachment.file_id == preview.attachment.file_id and copy.text == copy_of("Jadwal <b>apel</b>")


async def test_stopping_a_running_broadcast_cancels_the_unsent_rows(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Dibatalkan nanti")
    await hr.press("Kirim")
    b = await only_broadcast(app)
    async with app.db.uow() as uow:  # three went out already
        ids = (await uow.session.execute(select(OutboxMessage.id).where(OutboxMessage.broadcast_id == b.id)
                                         .order_by(OutboxMessage.id).limit(3))).scalars().all()
        for i in ids:
            await uow.outbox.finish(i, "sent", clock())
        await uow.commit()
    assert await editor(app, channel, clock).tick() == 1
    assert "sedang dikirim" in hr.last_text() and "Sisa: 9" in hr.last_text()
    await hr.press("Hentikan")
    assert "9 pesan" in hr.last_text()
    assert await rows_of(app, b.id) == {"sent": 3, "cancelled": 9}
    await editor(app, channel, clock).tick()
    assert "dihentikan" in hr.messages()[-2].text and "Dibatalkan: 9" in hr.messages()[-2].text
    assert "3 dari 12 terkirim" in hr.last_text()
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(AuditLog)
                                          .where(AuditLog.action == "broadcast.cancel"))).scalar() == 1


async def test_scheduling_refuses_bad_times_and_a_scheduled_one_can_be_cancelled(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Terjadwal")
    await hr.press("Jadwalkan")
    for bad in ("kemarin", "31-02-2026 08:00", "<b>&", "🎉", "\x00"):
        await hr.say(bad)
        assert "tidak dikenali" in hr.last_text() and "Kapan dikirim" in hr.last_text(), bad
    await hr.say("14:00")
    assert "dijadwalkan" in hr.last_text()
    b = await only_broadcast(app)
    assert b.status == "queued" and b.starts_at > clock()
    assert await sender(app, channel, clock).drain_once() == 0  # not yet
    await hr.press("Hentikan")
    assert "sebelum dikirim" in hr.last_text() and "12 pesan" in hr.last_text()
    assert await rows_of(app, b.id) == {"cancelled": 12}


async def test_bad_input_is_answered_and_the_step_stays(app, person, channel, clock, audience):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    for bad, answer in (("x" * (MAX_CHARS + 1), "Terlalu panjang"), ("\x00\x01", "tidak boleh kosong")):
        await hr.say(bad)
        assert answer in hr.last_text() and "Pengumuman baru" in hr.last_text()
    await hr.send_location(-3.44, 114.83)
    assert "tidak bisa dipakai" in hr.last_text()
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(Broadcast))).scalar() == 0
    await hr.say("Baik")
    for button, bad, answer in (("OPD", "NOPE, <b>&", "tidak dikenal: NOPE"), ("Golongan", "V/z", "tidak dikenali"),
                                ("Jabatan", "menteri 🎉", "menteri")):
        await hr.press(button)
        await hr.say(bad)
        assert answer in hr.last_text(), (button, hr.last_text())
        await hr.press("Kembali")
    await hr.press("Golongan")
    await hr.say("III/a-III/d")
    assert "golongan III/a–III/d" in hr.last_text()
    await hr.press("Warga")
    assert "0 orang" in hr.last_text()
    await hr.press("Kirim")
    assert "Tidak ada penerima" in hr.last_text()  # nobody opted in: nothing is queued
    b = await only_broadcast(app)
    assert b.status == "draft"
    assert await hr.press_stale(Send(b.id).pack()[:-1] + "x") == t("id", "stale.toast")  # garbled
    await hr.press_data(Send(987654).pack())
    assert t("id", "bc.err.not_found") in hr.last_text()


@pytest.mark.parametrize("uid", [CITIZEN, ASN, OFFICER])
async def test_the_wrong_roles_are_not_allowed_and_forged_buttons_do_nothing(app, person, channel, clock, audience,
                                                                            uid):
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Hanya untuk HR")
    b = await only_broadcast(app)
    who = person(uid, "Orang lain")
    assert FORBIDDEN in (await who.say("/umumkan"))[0].text
    for data in (Send(b.id).pack(), Send(b.id, True).pack(), f"bc:au:{b.id}:cit", f"bc:x:{b.id}", f"bc:xl:{b.id}",
                 f"bc:sc:{b.id}", f"bc:pv:{b.id}", "bc:new"):
        replies = await who.press_data(data)
        assert FORBIDDEN in replies[-1].text, data
    after = await only_broadcast(app)
    assert (after.status, after.audience) == ("draft", b.audience)
    async with app.db.uow() as uow:
        assert (await uow.outbox.counts()).get("pending", 0) == 0


async def test_a_citizen_opts_in_to_news_and_is_then_reachable(app, person, channel, clock):
    rina = person(CITIZEN, "Rina")
    assert "tidak menerima" in (await rina.say("/kabar"))[0].text
    await rina.press("Ya")
    assert "Anda menerima" in rina.last_text()
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Info warga")
    await hr.press("Warga")
    assert "1 orang" in hr.last_text()
    await hr.press("Kirim")
    await sender(app, channel, clock).drain_once()
    assert channel.to(CITIZEN)[-1].text == copy_of("Info warga")
