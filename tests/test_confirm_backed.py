"""A filing's receipt survives a crash between commit and reply; pressing "send" again gives the number."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery import Pause
from bot.outbox import OutboxSender
from db.models import OutboxMessage
from handlers.channel import Rejected
from handlers.kit import Reply
from handlers.notices import render_notice
from tests.harness import FakeChannel
from tests.test_complaints_flows import NUMBER, POTHOLE, PUPR, complaints_in, file_report

RECEIPT = "Laporan diterima"


class Killed(BaseException):
    """kill -9 in the middle of a send: nothing after it in the process runs."""


@dataclass
class DyingChannel(FakeChannel):
    die_on: str | None = None  # the process dies on the first reply containing this text

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        if self.die_on and self.die_on in reply.text:
            self.die_on = None
            raise Killed
        return await super().send(chat_id, reply, edit_message_id=edit_message_id)


@pytest.fixture
def channel() -> DyingChannel:
    return DyingChannel()


async def outbox(app, template: str = "cx.receipt") -> list[OutboxMessage]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(
            select(OutboxMessage).where(OutboxMessage.template == template).order_by(OutboxMessage.id))).scalars())


def sender(app, channel, clock) -> OutboxSender:
    return OutboxSender(app.db, channel, render_notice, rate=math.inf, in_flight=4, pause=Pause(), clock=clock)


async def to_summary(p, text: str = POTHOLE) -> None:
    await p.say("/lapor")
    await p.press("Pengaduan")
    await p.say(text)
    await p.press("Lewati")
    await p.press("Lewati")
    if PUPR not in p.last_labels():
        await p.press("Semua instansi")
    await p.press(PUPR)
    await p.press("Biasa")
    assert "Ringkasan laporan" in p.last_text()


def receipts(p) -> list[str]:
    return [s.text for s in p.messages() if RECEIPT in s.text or "Report received" in s.text]


async def test_a_delivered_receipt_cancels_its_held_copy_and_ordinary_replies_queue_nothing(person, app, clock):
    rina = person(1001, "Rina")
    await rina.say("/start")
    assert await outbox(app, "announcement") == [] and await outbox(app) == []
    number = await file_report(rina)
    assert len(receipts(rina)) == 1 and number in receipts(rina)[0]
    assert await outbox(app) == []  # the reply arrived: nothing held back any more
    clock.advance(minutes=5)
    await sender(app, rina.channel, clock).drain_once()
    assert len(receipts(rina)) == 1


async def test_receipt_lost_in_a_crash_reaches_the_person_from_the_outbox(person, app, channel, clock, settings):
    rina = person(1001, "Rina")
    await to_summary(rina)
    channel.die_on = RECEIPT
    with pytest.raises(Killed):
        await rina.press("Kirim laporan")
    [report] = await complaints_in(app)  # committed before the reply
    assert receipts(rina) == []
    [held] = await outbox(app)
    assert held.status == "pending" and held.dedupe_key == f"held:cx.receipt:{report.id}"
    assert held.not_before == clock() + timedelta(seconds=settings.confirm_grace)

    out = sender(app, channel, clock)
    await out.drain_once()
    assert receipts(rina) == []  # still within the grace period: the direct reply may yet come
    await rina.say("/bahasa en")  # rendered at send time, in the language the person has now
    clock.advance(seconds=settings.confirm_grace + 1)
    await out.drain_once()
    await out.drain_once()
    [pushed] = receipts(rina)
    assert report.number in pushed and "Report received" in pushed
    assert [b.data for row in rina.messages()[-1].reply.buttons for b in row][0] == f"cx:v:{report.id}"
    assert [r.status for r in await outbox(app)] == ["sent"]


async def test_pressing_send_again_after_a_lost_receipt_answers_with_the_number_once(person, app, channel, clock,
                                                                                     settings):
    rina = person(1001, "Rina")
    await to_summary(rina)
    channel.die_on = RECEIPT
    with pytest.raises(Killed):
        await rina.press("Kirim laporan")
    await rina.press("Kirim laporan")  # the old summary's button, after the restart
    [report] = await complaints_in(app)
    [again] = receipts(rina)
    assert "sudah terkirim" in again and report.number in again
    assert await outbox(app) == []  # that answer was the receipt: the held copy is cancelled
    await rina.press("Kirim laporan")  # and again: still the same report, still no second one
    assert len(await complaints_in(app)) == 1 and report.number in rina.last_text()
    clock.advance(seconds=settings.confirm_grace + 1)
    await sender(app, channel, clock).drain_once()
    assert len(receipts(rina)) == 2  # the two presses' answers; nothing more from the outbox


async def test_send_anyway_pressed_again_answers_with_that_report(person, app, channel):
    rina = person(1001, "Rina")
    first = await file_report(rina)
    await to_summary(rina)
    await rina.press("Kirim laporan")
    assert any("Tetap kirim" in label for label in rina.last_labels())  # a similar report exists
    channel.die_on = RECEIPT
    with pytest.raises(Killed):
        await rina.press("Tetap kirim")
    await rina.press("Tetap kirim")
    second = NUMBER.search(rina.last_text())
    assert second and second.group(0) != first and "sudah terkirim" in rina.last_text()
    assert len(await complaints_in(app)) == 2


async def test_a_refused_receipt_stays_held_for_the_outbox(person, app, channel):
    rina = person(1001, "Rina")
    await to_summary(rina)
    channel.failures[1001] = Rejected("sendMessage: Bad Request: something")
    await rina.press("Kirim laporan")
    assert [r.status for r in await outbox(app)] == ["pending"]


async def test_forged_and_foreign_send_buttons_stay_stale(person, app):
    rina, budi = person(1001, "Rina"), person(1002, "Budi")
    await file_report(rina)
    token = next(b.data for s in rina.messages() for row in s.reply.buttons for b in row
                 if b.data and b.data.startswith("cx:send:")).split(":")[2]
    for junk in ("cx:send:ffffff", "cx:send:", "cx:send", "cx:force:<b>&", "cx:send:" + "9" * 60,
                 "cx:send:\x00", "cx:force:🚧"):
        assert "sudah tidak berlaku" in await rina.press_stale(junk), junk
    assert "sudah tidak berlaku" in await budi.press_stale(f"cx:send:{token}")  # someone else's old button: not their report
    assert len(await complaints_in(app)) == 1
    assert await outbox(app) == []


def test_the_held_receipt_renders_without_a_live_chat(app):
    reply = render_notice("cx.receipt", {
        "id": 7, "number": "BJB-2026-000007", "kind": "aspirasi", "privacy": "rahasia", "agency": "Dinas <b>&",
        "response_days": 3, "response_due_at": "2026-11-26T15:59:00+00:00", "resolve_days": 14,
        "resolve_due_at": "2026-12-11T15:59:00+00:00", "tz": "Asia/Makassar"}, "id")
    assert "BJB-2026-000007" in reply.text and "Dinas &lt;b&gt;&amp;" in reply.text
    assert "Kamis, 26 November 2026" in reply.text
