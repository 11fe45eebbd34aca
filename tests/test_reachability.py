"""People Telegram would not let us reach: one more chance for what still matters, and the staff
welcome that says what waits at their desk."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from bot.delivery import Pause
from bot.outbox import OutboxSender
from db.models import Complaint, OutboxMessage
from handlers.channel import Unreachable
from handlers.notices import render_notice
from services.announcements import Announcement
from services.clock import utc_now
from services.complaints.notices import still_relevant
from services.notice import notice_types
from services.reachability import REQUEUE_DAYS
from tests.harness import FakeChannel
from tests.test_complaints_flows import assert_valid_html, file_report

HR, OFFICER = 700003, 700004  # demo personas, granted by the seed: neither has ever written
CANT_INITIATE = Unreachable("Forbidden: bot can't initiate conversation with a user")


@pytest.mark.parametrize(("template", "params", "report", "expected"), [
    ("cx.new", {"id": 1}, ("diterima", None), True),
    ("cx.new", {"id": 1}, ("diproses", None), True),
    ("cx.answer", {"id": 1}, ("dijawab", None), True),  # still open: the citizen may reply or reopen
    ("cx.new", {"id": 1}, ("ditutup", None), False),
    ("cx.new", {"id": 1}, ("ditolak", None), False),
    ("cx.reply", {"id": 1}, ("digabung", None), False),
    ("cx.new", {"id": 1}, None, False),  # the report is gone
    ("cx.rate", {"id": 1}, ("ditutup", None), True),  # the rating request lives while unrated
    ("cx.rate", {"id": 1}, ("ditutup", 4), False),
])
def test_the_rule_for_a_missed_notice(template, params, report, expected):
    kind = notice_types()[template]
    assert callable(kind.missed)  # the complaints' check, asked with the report as it is now
    assert still_relevant(kind.from_params({**params, "number": "BJB-1", "status": "diproses", "note": "?"}),
                          report) is expected


def test_a_notice_not_about_a_report_is_sent_again_while_young():
    assert Announcement.missed is True  # only the age decides


def _sender(app, channel: FakeChannel) -> OutboxSender:
    # Rows are queued "now" by the database's default clock: the sender looks at the real time too.
    return OutboxSender(app.db, channel, render_notice, rate=10_000.0, in_flight=2, pause=Pause(), clock=utc_now)


async def _outbox(app, user_external: int) -> list[OutboxMessage]:
    async with app.db.uow() as uow:
        user = await uow.users.by_external("telegram", user_external)
        return list((await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.user_id == user.id).order_by(OutboxMessage.id))).scalars())


async def test_a_staff_member_granted_before_writing_gets_the_missed_notice_once_they_do(person, app, channel):
    rina, budi = person(1001, "Rina"), person(OFFICER, "Budi")
    number = await file_report(rina)
    channel.failures[OFFICER] = CANT_INITIATE
    await _sender(app, channel).drain_once()
    assert [r.status for r in await _outbox(app, OFFICER)] == ["unreachable"]
    assert budi.messages() == []

    del channel.failures[OFFICER]
    await budi.say("/start")
    welcome = budi.last_text()
    assert "Laporan menunggu Anda" in welcome and "baru: 1" in welcome and "lewat batas: 0" in welcome
    rows = await _outbox(app, OFFICER)
    assert [(r.status, r.requeued) for r in rows] == [("pending", True)]
    assert await _sender(app, channel).drain_once() == 1
    assert number in budi.last_text()
    await budi.say("/start")  # writing again re-queues nothing more
    assert [(r.status, r.requeued) for r in await _outbox(app, OFFICER)] == [("sent", True)]
    assert_valid_html(channel)


async def test_what_is_no_longer_relevant_stays_missed_and_a_second_refusal_is_final(person, app, channel, clock):
    rina, budi = person(1001, "Rina"), person(OFFICER, "Budi")
    await file_report(rina)
    await file_report(rina, "Drainase tersumbat di Jalan Karang Anyar, air meluap ke rumah warga")
    channel.failures[OFFICER] = CANT_INITIATE
    await _sender(app, channel).drain_once()
    first, second = await _outbox(app, OFFICER)
    async with app.db.uow() as uow:
        reports = list((await uow.session.execute(select(Complaint).order_by(Complaint.id))).scalars())
        reports[0].status = "ditolak"  # settled meanwhile: the notice has nothing left to say
        user = await uow.users.by_external("telegram", OFFICER)
        uow.session.add(OutboxMessage(user_id=user.id, template="announcement", params={"text": "lama"},
                                      status="unreachable", created_at=clock() - timedelta(days=REQUEUE_DAYS + 1)))
        await uow.commit()

    await budi.say("/bantuan")  # any message counts, not only /start
    rows = {r.id: r for r in await _outbox(app, OFFICER)}
    assert rows[first.id].status == "unreachable" and not rows[first.id].requeued
    assert rows[second.id].status == "pending" and rows[second.id].requeued
    assert [r.status for r in rows.values() if r.template == "announcement"] == ["unreachable"]  # too old

    await _sender(app, channel).drain_once()  # still refused (they blocked the bot again)
    assert (await _outbox(app, OFFICER))[1].status == "unreachable"
    del channel.failures[OFFICER]
    await budi.say("/bantuan")
    assert all(r.status == "unreachable" for r in await _outbox(app, OFFICER))  # once means once


async def test_only_people_flagged_unreachable_pay_for_the_re_queue(person, app):
    seen: list[str] = []

    def note(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        seen.append(statement)

    rina = person(1001, "Rina")
    await rina.say("/bantuan")
    event.listen(app.db.engine.sync_engine, "before_cursor_execute", note)
    try:
        await rina.say("/bantuan")
        assert seen and not [s for s in seen if "outbox" in s]
        async with app.db.uow() as uow:
            await uow.users.mark_unreachable((await uow.users.by_external("telegram", 1001)).id)
            await uow.commit()
        seen.clear()
        await rina.say("/bantuan")
        assert [s for s in seen if "FROM outbox" in s]
    finally:
        event.remove(app.db.engine.sync_engine, "before_cursor_execute", note)


async def test_staff_welcome_counts_new_due_and_overdue_work(person, app, clock):
    rina, budi, ahmad = person(1001, "Rina"), person(OFFICER, "Budi"), person(HR, "Ahmad")
    await file_report(rina)  # Monday; first response due Thursday 23:59 WITA
    await rina.say("/start")
    assert "Laporan menunggu" not in rina.last_text() and "Tidak ada laporan" not in rina.last_text()
    await ahmad.say("/start")
    assert "Tidak ada laporan yang menunggu Anda" in ahmad.last_text()  # it went straight to PUPR
    await budi.say("/start")
    assert "baru: 1" in budi.last_text() and "berikutnya: 0" in budi.last_text()
    clock.advance(days=2)  # Wednesday: due by the end of the next working day
    await budi.say("/start")
    assert "berikutnya: 1" in budi.last_text() and "lewat batas: 0" in budi.last_text()
    clock.advance(days=2)  # Friday: past Thursday's deadline
    await budi.say("/start")
    assert "berikutnya: 0" in budi.last_text() and "lewat batas: 1" in budi.last_text()
    async with app.db.uow() as uow:
        await uow.session.execute(update(Complaint).values(status="dijawab"))
        await uow.commit()
    await budi.say("/start")  # answered: it waits for the citizen, not for the officer
    assert "Tidak ada laporan yang menunggu Anda" in budi.last_text()
