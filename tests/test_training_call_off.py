"""HR calls a training off in /kelolapelatihan, as HR presses and types it: a reason, a confirmation,
then everyone with a seat or waiting is told (escaped, in their language), the reminders still
waiting are cancelled, it is audited. Bad reasons, a started training, stale and forged buttons,
someone else first, and the wrong roles change nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.models import OutboxMessage
from db.models.training import Enrolment, Training
from handlers.notices import render_notice
from services.staff.audit import DENIED
from tests.harness import conversation_state
from tests.test_complaints_flows import assert_valid_html, deliver
from tests.training_helpers import AHMAD, BUDI, SITI, audit_rows, linked, training

HR_TG, ADMIN_TG, OFFICER_TG, SITI_TG, CITIZEN_TG = 700003, 900001, 700004, 700002, 1001
FORBIDDEN = "tidak memiliki akses"
STALE = "tidak berlaku"
REASON = "Narasumber <b>berhalangan</b> & dijadwalkan ulang 🙏"


async def _world(app, *, days: int = 5) -> dict:  # noqa: ANN001
    """A training in `days` days: Siti holds a seat, Budi waits, Ahmad cancelled his."""
    now = app.clock()
    async with app.db.uow() as uow:
        siti = await linked(uow, SITI, SITI_TG)
        budi = await linked(uow, BUDI, OFFICER_TG, role="officer")
        t = await training(uow, now, "OFF-1", days=days, quota=1, title="Bimtek <Arsip> & Data",
                           closes_in=timedelta(days=min(days, 1)))
        ids = {k: (await uow.employees.by_nip(nip)).id for k, nip in (("siti", SITI), ("budi", BUDI), ("ahmad", AHMAD))}
        for name, status in (("siti", "seat"), ("budi", "waiting"), ("ahmad", "cancelled")):
            uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=ids[name], status=status,
                                                  queued_at=now, created_at=now, updated_at=now))
        await uow.commit()
    return {"t": t.id, "siti_user": siti.id, "budi_user": budi.id, **ids}


async def _status(app, tid: int) -> str:  # noqa: ANN001
    async with app.db.uow() as uow:
        return (await uow.session.get(Training, tid)).status


async def _notices(app) -> list[OutboxMessage]:  # noqa: ANN001
    async with app.db.uow() as uow:
        stmt = select(OutboxMessage).where(OutboxMessage.template == "tr.called_off").order_by(OutboxMessage.id)
        return list((await uow.session.execute(stmt)).scalars())


async def test_hr_calls_a_training_off_with_a_reason_and_seat_holders_and_the_waiting_are_told(
        app, person, channel):  # noqa: ANN001
    w = await _world(app)
    hr, siti = person(HR_TG, "Ahmad"), person(SITI_TG, "Siti")
    await hr.say("/kelolapelatihan OFF-1")
    assert "🚫 Batalkan pelatihan" in hr.last_labels()
    await hr.press("Batalkan pelatihan")
    ask = hr.last_text()
    assert "Batalkan Bimtek &lt;Arsip&gt; &amp; Data" in ask and "1 kursi terisi dan 1 orang di daftar tunggu" in ask
    assert (await conversation_state(app, hr.user_id))[0] == "tra.co.reason"

    for bad in (" ", "🙂🙂🙂", "\x00\x01\x02", "x" * 400, "ab"):
        await hr.say(bad)
        assert "Alasan harus 3–300 karakter" in hr.last_text(), bad
    await hr.send_photo()
    assert "Batalkan Bimtek" in hr.last_text()  # a photo is not a reason: asked again
    assert await _status(app, w["t"]) == "open" and await _notices(app) == []

    await hr.say(REASON)
    confirm = hr.last_text()
    assert "Alasan: Narasumber &lt;b&gt;berhalangan&lt;/b&gt; &amp; dijadwalkan ulang 🙏" in confirm
    await hr.say("ya")  # typed at the confirmation: the buttons are the answer
    assert "tombol" in hr.last_text() and await _status(app, w["t"]) == "open"
    await hr.press("Ya, batalkan pelatihan")
    assert "Pelatihan dibatalkan; 2 orang diberi tahu" in hr.last_text()
    assert "Batalkan pelatihan" not in " ".join(hr.last_labels())  # the card of a called-off training
    assert await _status(app, w["t"]) == "cancelled"
    assert (await conversation_state(app, hr.user_id))[0] is None

    [row] = await audit_rows(app, "training.cancel")
    assert row.target == f"training:{w['t']}" and row.details["reason"] == REASON
    assert (row.details["before"], row.details["after"], row.details["notified"]) == (
        {"status": "open"}, {"status": "cancelled"}, 2)
    notices = await _notices(app)
    assert sorted(n.user_id for n in notices) == sorted([w["siti_user"], w["budi_user"]])  # not Ahmad: he left
    await deliver(app, channel)
    told = siti.last_text()
    assert "Pelatihan dibatalkan" in told and "Bimtek &lt;Arsip&gt; &amp; Data" in told
    assert "Alasan: Narasumber &lt;b&gt;berhalangan&lt;/b&gt;" in told
    assert_valid_html(channel)  # every message HR and the people got: HTML Telegram accepts, buttons ≤ 64 bytes
    await siti.say("/pelatihanku")
    assert "Bimtek &lt;Arsip&gt; &amp; Data" in siti.last_text() and "Dibatalkan penyelenggara" in siti.last_text()

    assert STALE in await hr.press_stale(f"tra:cy:{w['t']}")  # the confirmation again (a double tap, a replay)
    await hr.press_data(f"tra:co:{w['t']}")  # and calling it off again
    assert "dibatalkan" in hr.last_text() and len(await _notices(app)) == 2


async def test_a_started_training_cannot_be_called_off_and_forged_presses_change_nothing(app, person):  # noqa: ANN001
    w = await _world(app, days=-1)
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan OFF-1")
    assert "Batalkan pelatihan" not in " ".join(hr.last_labels())  # attendance instead
    await hr.press_data(f"tra:co:{w['t']}")
    assert "sudah dimulai" in hr.last_text()
    assert (await conversation_state(app, hr.user_id))[0] is None
    assert STALE in await hr.press_stale(f"tra:cy:{w['t']}")  # a confirmation with no question open
    for data in ("tra:co:987654", "tra:co:abc", "tra:co:", f"tra:cy:{w['t']}:9", "tra:co:" + "9" * 60):
        await hr.press_data(data)
        assert "Traceback" not in hr.last_text() and hr.last_text(), data
    assert await _status(app, w["t"]) == "open" and await audit_rows(app, "training.cancel") == []


async def test_another_hr_calling_it_off_first_closes_the_question_and_nobody_hears_twice(app, person):  # noqa: ANN001
    w = await _world(app)
    hr, admin = person(HR_TG, "Ahmad"), person(ADMIN_TG, "Super")
    await hr.say("/kelolapelatihan OFF-1")
    await hr.press("Batalkan pelatihan")
    await hr.say("Gedung dipakai acara lain")  # HR's confirmation is on screen…
    await admin.press_data(f"tra:co:{w['t']}")  # …while a superadmin calls it off first
    await admin.say("Anggaran dialihkan")
    await admin.press("Ya, batalkan pelatihan")
    await hr.press("Ya, batalkan pelatihan")
    assert "dibatalkan" in hr.last_text() and "Pelatihan dibatalkan; 2 orang" not in hr.last_text()
    await hr.say("teks bebas")  # the question closed: not taken as anything
    assert len(await audit_rows(app, "training.cancel")) == 1 and len(await _notices(app)) == 2


async def test_other_roles_are_refused_every_call_off_button_and_it_is_audited(app, person):  # noqa: ANN001
    w = await _world(app)
    for uid in (CITIZEN_TG, SITI_TG, OFFICER_TG):
        p = person(uid, "Bukan HR")
        for data in (f"tra:co:{w['t']}", f"tra:cy:{w['t']}"):
            await p.press_data(data)
            assert FORBIDDEN in p.last_text(), (uid, data)
    denied = {(d.actor_user_id, d.target) for d in await audit_rows(app, DENIED)}
    assert {t for _, t in denied} == {"btn:tra:co", "btn:tra:cy"} and len(denied) == 6
    assert await _status(app, w["t"]) == "open" and await _notices(app) == []


def test_the_notice_reads_in_both_languages_with_and_without_a_reason() -> None:
    params = {"training_id": 1, "title": "Bimtek <Arsip>", "starts_at": "2026-11-22T00:00:00+00:00",
              "ends_at": "2026-11-23T06:00:00+00:00", "reason": "Kata <HR> & 🙏", "tz": "Asia/Makassar"}
    id_text = render_notice("tr.called_off", params, "id").text
    assert "BKPSDM membatalkan <b>Bimtek &lt;Arsip&gt;</b>" in id_text and "Alasan: Kata &lt;HR&gt; &amp; 🙏" in id_text
    en = render_notice("tr.called_off", params, "en")
    assert "called off" in en.text and "Reason: Kata &lt;HR&gt;" in en.text
    assert "Alasan" not in render_notice("tr.called_off", {**params, "reason": ""}, "id").text  # by an import
