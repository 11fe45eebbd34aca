"""/pengingat through the router: what a person sees, switching kinds, mandatory SKP, and
garbage, forged callbacks and wrong roles answered cleanly."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from db.models import Appraisal, OutboxMessage, ReminderPref
from services.notice import queue
from services.training.reminder_notices import TrainingTomorrow
from tests.test_training_flows import link

SITI_TG = 700002
CRASH = ("Traceback", "Terjadi kesalahan")


async def _prefs(app) -> dict[str, bool]:  # noqa: ANN001
    async with app.db.uow() as uow:
        return {p.kind: p.enabled for p in (await uow.session.execute(select(ReminderPref))).scalars()}


async def test_a_citizen_is_told_reminders_are_for_linked_civil_servants(app, person) -> None:  # noqa: ANN001
    rina = person(1001, "Rina")
    for step in ("/pengingat", "pengingat", None):
        if step is None:
            await rina.press_data("rm:s:training:off")
        else:
            await rina.say(step)
        assert "terhubung" in rina.last_text(), rina.last_text()
    assert await _prefs(app) == {}


async def test_a_civil_servant_sees_kinds_next_dates_and_switches_one_off(app, person, clock) -> None:  # noqa: ANN001
    siti = person(SITI_TG, "Siti")
    await link(siti)
    async with app.db.uow() as uow:  # an SKP deadline ahead, and a held training reminder queued
        emp = (await uow.employees.by_nip("199001052015032002")).id
        uow.appraisals.add(Appraisal(employee_id=emp, year=2027, period="2027-Q1", stage="pelaksanaan",
                                     deadline=clock() + timedelta(days=20), missing=["Bukti <x>"]))
        me = await uow.users.by_external("telegram", SITI_TG)
        await queue(uow, me.id, TrainingTomorrow(training_id=1, title="T", starts_at=clock().isoformat(),
                                                 place=None, online_url=None, tz="Asia/Makassar"),
                    dedupe_key="rm:test:held", not_before=clock() + timedelta(hours=5))
        await uow.commit()
    await siti.say("/pengingat")
    text = siti.last_text()
    assert "Pengingat Anda" in text and "Tenggat SKP: ✅ aktif" in text
    assert "2027-Q1" in text and "WITA" in text and "/langganan" in text
    await siti.press("Matikan: Pelatihan")
    assert "dimatikan" in siti.last_text() and "Pelatihan yang Anda ikuti (H-1 dan hari H): 🚫 mati" in siti.last_text()
    assert "Nyalakan: Pelatihan" in " ".join(siti.last_labels())
    assert await _prefs(app) == {"training": False}
    async with app.db.uow() as uow:  # the held row is gone at once
        assert (await uow.session.execute(select(OutboxMessage).where(
            OutboxMessage.dedupe_key == "rm:test:held"))).first() is None
    await siti.press("Nyalakan: Pelatihan")
    assert await _prefs(app) == {"training": True}
    async with app.db.uow() as uow:
        await uow.users.update((await uow.users.by_external("telegram", SITI_TG)).id, locale="en")
        await uow.commit()
    await siti.say("/pengingat")
    assert "Your reminders" in siti.last_text() and "Switch off: SKP deadlines" in siti.last_labels()


async def test_mandatory_skp_cannot_be_switched_off_and_the_screen_says_so(app, person) -> None:  # noqa: ANN001
    app.settings = app.settings.model_copy(update={"skp_mandatory": "all"})
    siti = person(SITI_TG, "Siti")
    await link(siti)
    await siti.say("/pengingat")
    assert "wajib" in siti.last_text() and not any("Tenggat SKP" in b for b in siti.last_labels())
    await siti.press_data("rm:s:skp:off")  # forged: the screen offers no such button
    assert "tidak dapat dimatikan" in siti.last_text()
    assert await _prefs(app) == {}


async def test_forged_and_garbage_presses_change_nothing(app, person) -> None:  # noqa: ANN001
    siti = person(SITI_TG, "Siti")
    await link(siti)
    for data in ("rm:s:bogus:off", "rm:s:training:maybe", "rm:s:training", "rm:s:training:off:extra",
                 "rm:s:<b>&:off", "rm:s:\x00:on", "rm:s:" + "x" * 60, "rm:s:🚧:off", "rm:x"):
        replies = await siti.press_data(data)
        assert all(not any(c in r.text for c in CRASH) for r in replies), (data, replies)
    assert await _prefs(app) == {}
    for text in ("", "<b>&</b>", "🚧" * 500, "pengingat\x00", "x" * 5000):
        replies = await siti.say(text) if text else await siti.say(" ")
        assert all("Traceback" not in r.text for r in replies)
    await siti.say("/pengingat")
    assert "Pengingat Anda" in siti.last_text()


async def test_staff_see_the_duty_line(app, person) -> None:  # noqa: ANN001
    budi = person(700004, "Budi")  # the PUPR officer persona
    await link(budi, "197804172005011003", "6281234500003")
    await budi.say("/pengingat")
    assert "tenggat aduan selalu dikirim" in budi.last_text()


async def test_upcoming_training_notices_are_readable_lines_not_a_label_run_into_a_title(app, person) -> None:  # noqa: ANN001
    """Siti holds a seat at K3: its day-before and same-day notices are one line each, under their time."""
    siti = person(SITI_TG, "Siti")
    await link(siti)
    await siti.say("/pengingat")
    upcoming = siti.last_text().split("Pengingat berikutnya", 1)[1]
    assert "(H-1 dan hari H)" not in upcoming  # the settings label stays in the settings
    assert "\n   Besok pelatihan <b>Kesehatan dan Keselamatan Kerja di Puskesmas</b>" in upcoming
    assert "\n   Hari ini pelatihan <b>Kesehatan dan Keselamatan Kerja di Puskesmas</b>" in upcoming
    english = person(SITI_TG, "Siti", language_code="en")
    await english.say("/pengingat")
    assert "Training tomorrow: <b>Kesehatan" in english.last_text()
