"""Queued training reminders follow the training, on a fake clock: HR calls it off (an import),
moves it (another day: the old day's rows go; the same day: they say the new time and place),
closes registration early; a person gives up their seat; and a job half-way through its
batches when any of that happens writes nothing more for it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from db.models import AuditLog, Enrolment, OutboxMessage
from handlers.notices import render_notice
from services.reminders import core
from services.training import reminders as rt
from services.training import signup
from services.training.reminders import training_reminders
from tests.reminder_helpers import marks, rows
from tests.test_complaints_flows import deliver
from tests.training_helpers import BUDI, SITI, linked, training

HR_TG, SITI_TG, BUDI_TG = 700003, 700002, 700004
START = datetime(2026, 11, 25, 0, 0, tzinfo=UTC)  # Wednesday 08:00 WITA
NIGHT_H1 = datetime(2026, 11, 24, 14, 0, tzinfo=UTC)  # Tuesday 22:00 WITA: quiet, held until 06:00
MORNING = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)  # Wednesday 06:00 WITA: H-0


def night(app):  # noqa: ANN001, ANN201
    """H-1 at 22:00: its rows wait in the outbox until the morning, so there is time to change things."""
    return app.settings.model_copy(update={"reminder_hour": 22})


async def _world(app, *, closes: datetime = START, seated: tuple[str, ...] = ("siti", "budi")) -> tuple[int, dict]:  # noqa: ANN001
    """Siti and Budi linked to chat accounts; a training on Wednesday whose registration stays open
    until its start (so a seat can still be given up after the H-1 went out), with their seats."""
    async with app.db.uow() as uow:
        people = {"siti": await linked(uow, SITI, SITI_TG), "budi": await linked(uow, BUDI, BUDI_TG, role="officer")}
        t = await training(uow, app.clock(), "RM-F", title="Pelatihan Ikuti <Jadwal>")
        t.starts_at, t.ends_at, t.registration_closes_at = START, START + timedelta(hours=8), closes
        for name in seated:
            uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=people[name].employee_id,
                                                  status="seat", queued_at=app.clock()))
        await uow.commit()
        return t.id, people


def _by_user(got: list[OutboxMessage]) -> dict[int, tuple[str, str | None]]:
    return {r.user_id: (r.status, r.last_error) for r in got}


async def audit(app, action: str) -> list[AuditLog]:  # noqa: ANN001
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(AuditLog).where(AuditLog.action == action))).scalars())


async def test_hr_calling_a_training_off_cancels_its_queued_reminders_and_no_new_ones_come(
        app, person, channel) -> None:  # noqa: ANN001
    tid, people = await _world(app)
    await training_reminders(app.db, night(app), NIGHT_H1)
    held = await rows(app.db, f"rm:tr:h1:{tid}:")
    assert len(held) == 2 and {r.status for r in held} == {"pending"}
    hr = person(HR_TG, "Ahmad")
    csv = ("code,title,organiser,starts_at,ends_at,jp,quota,registration_closes_at,place,status\n"
           "RM-F,Pelatihan Ikuti <Jadwal>,BKPSDM,2026-11-25 08:00,2026-11-25 16:00,8,10,2026-11-25 08:00,Aula,"
           "cancelled\n")
    await hr.send_document("batal.csv", csv.encode())
    assert "Diubah: <b>1</b>" in hr.last_text()
    assert {r.status for r in await rows(app.db, f"rm:tr:h1:{tid}:")} == {"pending"}  # a dry run changes nothing
    await hr.press("✅ Impor")
    assert "Impor pelatihan selesai" in hr.last_text()
    assert _by_user(await rows(app.db, f"rm:tr:h1:{tid}:")) == {
        people["siti"].id: ("cancelled", "training called off"), people["budi"].id: ("cancelled", "training called off")}
    [row] = await audit(app, "training.cancel")
    assert row.target == f"training:{tid}" and row.actor_label.startswith("user:")
    assert (row.details["before"], row.details["after"]) == ({"status": "open"}, {"status": "cancelled"})
    assert row.details["reminders_cancelled"] == 2
    await training_reminders(app.db, night(app), MORNING)  # H-0 of a training called off: none, no mark
    assert await rows(app.db, f"rm:tr:h0:{tid}:") == [] and await marks(app.db, f"tr:h0:{tid}") == {}
    sent = await deliver(app, channel)
    assert [t for _, t in sent if t.startswith("rm.")] == []
    assert sorted(c for c, t in sent if t == "tr.called_off") == [SITI_TG, BUDI_TG]  # told, as from the chat
    assert row.details["notified"] == 2 and row.details["reason"] is None


async def test_giving_up_a_seat_cancels_that_persons_queued_reminders_only(app, person, channel) -> None:  # noqa: ANN001
    tid, people = await _world(app)
    await training_reminders(app.db, night(app), NIGHT_H1)
    siti = person(SITI_TG, "Siti")
    await siti.press_data(f"tr:x:{tid}:1")
    assert "dibatalkan" in siti.last_text()
    assert _by_user(await rows(app.db, f"rm:tr:h1:{tid}:")) == {
        people["siti"].id: ("cancelled", "seat given up"), people["budi"].id: ("pending", None)}
    await training_reminders(app.db, night(app), MORNING)
    assert [r.user_id for r in await rows(app.db, f"rm:tr:h0:{tid}:")] == [people["budi"].id]
    sent = await deliver(app, channel)
    assert [t for u, t in sent if u == SITI_TG and t.startswith("rm.")] == []
    assert sorted(t for u, t in sent if u == BUDI_TG) == ["rm.tr.h0", "rm.tr.h1"]


async def test_a_move_within_the_day_rewrites_queued_rows_and_to_another_day_cancels_them(
        app, person, channel) -> None:  # noqa: ANN001
    tid, people = await _world(app)
    await training_reminders(app.db, night(app), NIGHT_H1)
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan RM-F")
    await hr.press("Ubah")
    await hr.press("Tempat")
    await hr.say("Aula Baru <lt. 2> & ruang 3")
    await hr.press("Mulai")
    await hr.say("25/11/2026 10.00")  # later the same day
    await hr.press("Simpan")
    assert "Perubahan disimpan" in hr.last_text()
    held = await rows(app.db, f"rm:tr:h1:{tid}:")
    assert {r.status for r in held} == {"pending"} and len(held) == 2
    text = render_notice("rm.tr.h1", held[0].params, "id").text
    assert "10.00 WITA" in text and "Aula Baru &lt;lt. 2&gt; &amp; ruang 3" in text
    assert "Ikuti &lt;Jadwal&gt;" in text
    [row] = await audit(app, "training.update")
    assert (row.details["reminders_cancelled"], row.details["reminders_rewritten"]) == (0, 2)
    # To Friday: Wednesday's reminders would say "tomorrow" on the wrong day. The end moves first.
    await hr.say("/kelolapelatihan RM-F")
    await hr.press("Ubah")
    await hr.press("Selesai")
    await hr.say("27/11/2026 16.00")
    await hr.press("Mulai")
    await hr.say("27/11/2026 08.00")
    await hr.press("Simpan")
    assert "Perubahan disimpan" in hr.last_text()
    assert {r.status: r.last_error for r in await rows(app.db, f"rm:tr:h1:{tid}:")} == {"cancelled": "training moved"}
    assert (await audit(app, "training.update"))[-1].details["reminders_cancelled"] == 2
    await training_reminders(app.db, night(app), MORNING)  # Wednesday morning: nothing for Friday yet
    assert await rows(app.db, f"rm:tr:h0:{tid}:") == []
    thursday = datetime(2026, 11, 26, 14, 0, tzinfo=UTC)  # 22:00 WITA, the new day's H-1
    await training_reminders(app.db, night(app), thursday)
    new = [r for r in await rows(app.db, f"rm:tr:h1:{tid}:2026-11-27:")]
    assert sorted(r.user_id for r in new) == sorted(p.id for p in people.values())
    sent = await deliver(app, channel)
    assert sorted(t for u, t in sent if u == SITI_TG and t.startswith("rm.")) == ["rm.tr.h1"]  # only Friday's
    friday = next(s.text for s in channel.to(SITI_TG) if "Besok" in s.text)
    assert "Jumat" in friday and "08.00 WITA" in friday, friday


async def test_a_queued_row_that_would_arrive_after_the_new_start_is_cancelled(app, person) -> None:  # noqa: ANN001
    """Held until 06:00 by quiet hours, for a training HR moves to 05:30 the same day: too late to go."""
    tid, _ = await _world(app)
    await training_reminders(app.db, night(app), NIGHT_H1)
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan RM-F")
    await hr.press("Ubah")
    await hr.press("Batas pendaftaran")
    await hr.say("24/11/2026 20.00")
    await hr.press("Mulai")
    await hr.say("25/11/2026 05.30")
    await hr.press("Simpan")
    assert "Perubahan disimpan" in hr.last_text()
    assert {(r.status, r.last_error) for r in await rows(app.db, f"rm:tr:h1:{tid}:")} == {
        ("cancelled", "training moved")}


async def test_closing_registration_early_cancels_the_closing_soon_reminders(app, person) -> None:  # noqa: ANN001
    closes = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)  # Thursday 23:00 WITA; 48 h before is quiet: held
    tid, people = await _world(app, closes=closes, seated=())
    async with app.db.uow() as uow:
        (await uow.trainings.get(tid)).starts_at = datetime(2026, 12, 7, tzinfo=UTC)
        (await uow.trainings.get(tid)).ends_at = datetime(2026, 12, 7, 8, tzinfo=UTC)
        await uow.commit()
    await training_reminders(app.db, app.settings, closes - timedelta(hours=48))
    queued = await rows(app.db, f"rm:tr:close:{tid}:")
    assert {people["siti"].id, people["budi"].id} <= {r.user_id for r in queued}
    assert {r.status for r in queued} == {"pending"}
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan RM-F")
    await hr.press("Tutup pendaftaran")
    await hr.press("Ya, tutup")
    assert "Pendaftaran ditutup." in hr.last_text()
    assert {(r.status, r.last_error) for r in await rows(app.db, f"rm:tr:close:{tid}:")} == {
        ("cancelled", "registration closed")}
    [row] = await audit(app, "training.close")
    assert row.details["reminders_cancelled"] == len(queued)


async def _halfway(app, monkeypatch, change) -> None:  # noqa: ANN001
    """Run the H-1 job one row per batch, doing `change` (in its own transaction) after the first batch."""
    calls = []

    async def between(_seconds: float) -> None:
        if not calls:
            calls.append(1)
            async with app.db.uow() as uow:
                await change(uow)
                await uow.commit()

    monkeypatch.setattr(core.asyncio, "sleep", between)
    s = app.settings.model_copy(update={"reminder_batch": 1})
    await training_reminders(app.db, s, datetime(2026, 11, 24, 8, 0, tzinfo=UTC))  # Tuesday 16:00 WITA


async def test_a_job_half_way_writes_nothing_more_for_a_training_called_off_meanwhile(app, monkeypatch) -> None:  # noqa: ANN001
    tid, people = await _world(app)

    async def call_off(uow) -> None:  # noqa: ANN001
        (await uow.trainings.get(tid, lock=True)).status = "cancelled"
        await rt.called_off(uow, tid)

    await _halfway(app, monkeypatch, call_off)
    [first] = await rows(app.db, f"rm:tr:h1:{tid}:")  # the second batch was never written
    assert (first.status, first.last_error) == ("cancelled", "training called off")
    assert (await marks(app.db, f"tr:h1:{tid}")) == {f"tr:h1:{tid}:2026-11-25": "dropped: training called off or moved"}


async def test_a_job_half_way_skips_a_seat_given_up_meanwhile(app, monkeypatch) -> None:  # noqa: ANN001
    tid, people = await _world(app)
    first: list[int] = []

    async def give_up(uow) -> None:  # noqa: ANN001
        written = (await uow.session.execute(select(OutboxMessage.user_id).where(
            OutboxMessage.dedupe_key.like(f"rm:tr:h1:{tid}:%")))).scalars().all()
        first.extend(written)
        other = next(p for p in people.values() if p.id not in written)
        await signup.cancel(uow, other, tid, datetime(2026, 11, 24, 8, 0, tzinfo=UTC), tz="Asia/Makassar")

    await _halfway(app, monkeypatch, give_up)
    got = await rows(app.db, f"rm:tr:h1:{tid}:")
    assert [r.user_id for r in got] == first and len(first) == 1  # the one who gave up got no row
    assert (await marks(app.db, f"tr:h1:{tid}"))[f"tr:h1:{tid}:2026-11-25"] == "queued 2"
