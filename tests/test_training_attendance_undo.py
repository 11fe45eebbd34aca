"""HR undoes a mistaken attendance in /kelolapelatihan → Kehadiran, as HR presses and types it: the
enrolment goes back to what it was, the JP leave /pelatihanku and the statistics at once, the
audit log keeps before, after and the reason, the person is told in their language. Bad reasons,
stale and forged buttons, a training called off, and the wrong roles change nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from db.models import OutboxMessage
from db.models.training import Enrolment, Training
from handlers.notices import render_notice
from services import civil_service as cs
from services.staff.audit import DENIED
from tests.test_complaints_flows import assert_valid_html, deliver
from tests.training_helpers import AHMAD, BUDI, NUR, SITI, audit_rows, linked, training

HR_TG, ADMIN_TG, OFFICER_TG, SITI_TG, CITIZEN_TG = 700003, 900001, 700004, 700002, 1001
FORBIDDEN = "tidak memiliki akses"
STALE = "tidak berlaku"


async def _world(app) -> dict:  # noqa: ANN001
    """A training that started yesterday (12 JP): Siti holds a seat (she has 8 JP this year: this one
    brings her to the 20-JP target), Budi waits, Ahmad cancelled; Nur never signed up (a walk-in)."""
    now = app.clock()
    async with app.db.uow() as uow:
        siti = await linked(uow, SITI, SITI_TG)
        budi = await linked(uow, BUDI, OFFICER_TG, role="officer")
        t = await training(uow, now, "RUN-U", days=-1, hours=30, quota=5, closes_in=timedelta(days=-2),
                           title="Bimtek <Arsip> & Data", jp=12)
        ids = {k: (await uow.employees.by_nip(nip)).id for k, nip in
               (("siti", SITI), ("budi", BUDI), ("ahmad", AHMAD), ("nur", NUR))}
        for name, status, days in (("siti", "seat", 5), ("budi", "waiting", 4), ("ahmad", "cancelled", 3)):
            at = now - timedelta(days=days)
            uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=ids[name], status=status,
                                                  queued_at=at, created_at=at, updated_at=at))
        await uow.commit()
    return {"t": t.id, "siti_user": siti.id, "budi_user": budi.id, **ids}


async def _enrolments(app, tid: int) -> dict[int, tuple[str, str | None]]:  # noqa: ANN001
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(select(Enrolment).where(Enrolment.training_id == tid))).scalars()
        return {e.employee_id: (e.status, e.attended_from) for e in rows}


async def _notices(app) -> list[OutboxMessage]:  # noqa: ANN001
    async with app.db.uow() as uow:
        stmt = select(OutboxMessage).where(OutboxMessage.template == "tr.unattended").order_by(OutboxMessage.id)
        return list((await uow.session.execute(stmt)).scalars())


async def _covered(app, agency_id: int | None) -> int:  # noqa: ANN001
    """Civil servants of the agency at their JP target this year: the statistics' JP coverage."""
    targets = {e.value: cs.jp_target(e.value).target for e in cs.Employment}
    async with app.db.uow() as uow:
        rows = await uow.trainings.jp_coverage(datetime(2026, 1, 1, tzinfo=UTC), datetime(2027, 1, 1, tzinfo=UTC),
                                                agency_id, targets, cs.jp_target(cs.Employment.PNS).target)
    return sum(k for _, _, k in rows)


async def _open_attendance(hr) -> None:  # noqa: ANN001
    await hr.say("/kelolapelatihan RUN-U")
    await hr.press("Kehadiran")


async def test_hr_undoes_a_mistaken_attendance_with_a_typed_reason_and_the_person_is_told(app, person, channel):
    w = await _world(app)
    async with app.db.uow() as uow:
        agency = (await uow.employees.get(w["siti"])).agency_id
    hr, siti = person(HR_TG, "Ahmad"), person(SITI_TG, "Siti")
    await siti.say("/pelatihanku")
    assert "JP tahun ini: <b>8</b> dari target 20 JP" in siti.last_text()
    covered = await _covered(app, agency)
    await _open_attendance(hr)
    await hr.press("Siti")
    assert "1 hadir dari 1 kursi" in hr.last_text()
    await siti.say("/pelatihanku")
    assert "JP tahun ini: <b>20</b>" in siti.last_text()
    assert await _covered(app, agency) == covered + 1
    await hr.press("✅ Siti")  # the same button again: the undo, which asks first
    ask = hr.last_text()
    assert "Batalkan kehadiran</b> Siti Rahmawati, S.Kep. di <b>Bimtek &lt;Arsip&gt; &amp; Data</b>" in ask
    assert "12 JP" in ask and "kembali terdaftar dengan kursinya" in ask
    assert await _enrolments(app, w["t"]) == {w["siti"]: ("attended", "seat"), w["budi"]: ("waiting", None),
                                              w["ahmad"]: ("cancelled", None)}  # nothing yet
    await hr.say("Salah <b>tekan</b> & 🙈 di\x00daftar")
    confirm = hr.last_text()
    assert "Alasan: Salah &lt;b&gt;tekan&lt;/b&gt; &amp; 🙈 di daftar" in confirm and "JP ditarik: 12" in confirm
    assert await _notices(app) == []
    await hr.press("Ya, batalkan kehadiran")
    done = hr.last_text()
    assert "Kehadiran Siti Rahmawati, S.Kep. dibatalkan; 12 JP ditarik. Ia diberi tahu." in done
    assert "0 hadir dari 1 kursi" in done and "⬜ Siti" in " ".join(hr.last_labels())
    assert (await _enrolments(app, w["t"]))[w["siti"]] == ("seat", None)  # her seat, as before the mark
    [row] = await audit_rows(app, "training.unattended")
    assert row.target == f"training:{w['t']}" and row.actor_label.startswith("user:")
    assert row.details["before"] == {"status": "attended", "attended_from": "seat"}
    assert row.details["after"] == {"status": "seat"}
    assert row.details["reason"] == "Salah <b>tekan</b> & 🙈 di daftar" and row.details["reason_code"] is None
    assert (row.details["employee_id"], row.details["jp"], row.details["told"]) == (w["siti"], 12, True)
    [notice] = await _notices(app)
    assert notice.user_id == w["siti_user"] and notice.status == "pending"
    assert await deliver(app, channel) == [(SITI_TG, "tr.unattended")]
    told = channel.to(SITI_TG)[-1].text
    assert "Kehadiran dibatalkan" in told and "<b>Bimtek &lt;Arsip&gt; &amp; Data</b>" in told
    assert "12 JP" in told and "Alasan: Salah &lt;b&gt;tekan&lt;/b&gt; &amp; 🙈 di daftar" in told
    await siti.say("/pelatihanku")
    assert "JP tahun ini: <b>8</b> dari target 20 JP" in siti.last_text()
    assert "Bimtek &lt;Arsip&gt; &amp; Data" in siti.last_text()  # running, her seat again: upcoming
    assert await _covered(app, agency) == covered
    await hr.say("salah lagi")  # the question is over: free text is not a reason any more
    assert len(await audit_rows(app, "training.unattended")) == 1
    assert_valid_html(channel)


async def test_a_waiting_person_goes_back_in_line_a_walk_in_leaves_and_the_cancelled_stay_cancelled(
        app, person, channel):
    w = await _world(app)
    admin = person(ADMIN_TG, "Super", language_code="en")  # a superadmin, reading English
    await admin.say("/kelolapelatihan RUN-U")
    await admin.press("Attendance")
    await admin.press("⏳ Budi")
    await admin.press_data(f"tra:mk:{w['t']}:{w['nur']}")  # Nur came without signing up
    await admin.press_data(f"tra:mk:{w['t']}:{w['ahmad']}")  # Ahmad cancelled, and came after all
    assert await _enrolments(app, w["t"]) == {
        w["siti"]: ("seat", None), w["budi"]: ("attended", "waiting"), w["ahmad"]: ("attended", "cancelled"),
        w["nur"]: ("attended", "walk_in")}
    # Budi: a one-press reason; he reads the notice in English, the reason in his language.
    await admin.press("✅ Budi")
    assert "they are back on the waiting list" in admin.last_text()
    await admin.press("Did not attend after all")
    assert "Reason: Did not attend after all" in admin.last_text()
    await admin.press("Yes, undo the attendance")
    assert "Attendance of Budi" in admin.last_text() and "They were told." in admin.last_text()
    assert (await _enrolments(app, w["t"]))[w["budi"]] == ("waiting", None)
    budi = person(OFFICER_TG, "Budi", language_code="en")
    await budi.say("/pelatihanku")  # his Telegram speaks English: so does the notice
    assert "Bimtek &lt;Arsip&gt; &amp; Data" in budi.last_text() and "waiting" in budi.last_text().lower()
    await deliver(app, channel)
    told = channel.to(OFFICER_TG)[-1].text
    assert "Attendance withdrawn" in told and "according to the organisers' records, you did not attend" in told
    # Nur, the walk-in: her row goes; nobody to tell (her record has no chat account).
    await admin.press("✅ Nur")
    assert "they leave the participant list (they came without signing up)" in admin.last_text()
    await admin.press("Marked by mistake")
    await admin.press("Yes, undo the attendance")
    assert "not linked to a SAPA account, so nobody was told" in admin.last_text()
    assert w["nur"] not in await _enrolments(app, w["t"])
    nur = (await audit_rows(app, "training.unattended"))[-1]
    assert nur.details["after"] is None and nur.details["reason_code"] == "mistake" and nur.details["told"] is False
    # Ahmad: his sign-up was cancelled before; so it is again.
    await admin.press("✅ Ahmad")
    assert "their sign-up is cancelled again" in admin.last_text()
    await admin.press("Marked by mistake")
    await admin.press("Another reason")  # from the confirmation back to the question: typed this time
    assert "Pick a reason, or type your own" in admin.last_text()
    await admin.say("Datang hanya 1 jam dari 30")
    assert "Reason: Datang hanya 1 jam dari 30" in admin.last_text()
    await admin.press("Yes, undo the attendance")
    assert (await _enrolments(app, w["t"]))[w["ahmad"]] == ("cancelled", None)
    assert len(await audit_rows(app, "training.unattended")) == 3
    # Marking Nur again makes a fresh walk-in, which can be undone again (a new notice key each time).
    await admin.press_data(f"tra:mk:{w['t']}:{w['nur']}")
    assert (await _enrolments(app, w["t"]))[w["nur"]] == ("attended", "walk_in")
    assert_valid_html(channel)


async def test_bad_reasons_are_refused_and_the_question_stays(app, person):
    w = await _world(app)
    hr = person(HR_TG, "Ahmad")
    await _open_attendance(hr)
    await hr.press("Siti")
    await hr.press("✅ Siti")
    for bad, why in (("a", "Anda mengetik 1"), ("🙈🙈🙈", "Anda mengetik 3"), ("x" * 301, "Anda mengetik 301"),
                     ("\x00\x01\u200b", "Anda mengetik 0"), ("<>", "Anda mengetik 2")):
        await hr.say(bad)
        assert "Alasan harus 3–300 karakter" in hr.last_text() and why in hr.last_text(), bad
        assert "Batalkan kehadiran" in hr.last_text()  # the question, again
    await hr.send_photo()
    assert "ketik jawabannya sebagai teks" in hr.last_text()
    await hr.say("x" * 300)  # exactly the limit
    assert "JP ditarik: 12" in hr.last_text()
    await hr.say("ketik di konfirmasi")
    assert "Gunakan tombol di bawah" in hr.last_text() and "JP ditarik" in hr.last_text()
    assert (await _enrolments(app, w["t"]))[w["siti"]] == ("attended", "seat")
    assert await audit_rows(app, "training.unattended") == [] and await _notices(app) == []


async def test_stale_forged_and_pointless_presses_change_nothing(app, person):
    w = await _world(app)
    hr = person(HR_TG, "Ahmad")
    tid, siti = w["t"], w["siti"]
    await hr.press_data(f"tra:un:{tid}:{siti}")  # she holds a seat: nothing to undo
    assert "tidak tercatat hadir di <b>Bimtek &lt;Arsip&gt; &amp; Data</b>" in hr.last_text()
    await hr.press_data(f"tra:un:987654:{siti}")
    assert "tidak ditemukan" in hr.last_text()
    for data in ("tra:un:abc", "tra:un", f"tra:un:{tid}", f"tra:uy:{tid}:{siti}", "tra:uw:mistake", "tra:uw:bogus",
                 f"tra:uy:{tid}:{siti}:9:9", "tra:uw:" + "x" * 50):
        assert STALE in await hr.press_stale(data), data
    await _open_attendance(hr)
    await hr.press("Siti")
    await hr.press("✅ Siti")
    await hr.press("Salah tandai")
    assert STALE in await hr.press_stale(f"tra:uy:{tid}:{w['budi']}")  # a confirmation for someone else than the question's
    [done] = await hr.press("Ya, batalkan kehadiran")  # the question's own button still works
    assert "dibatalkan; 12 JP ditarik" in done.text and done.edit
    assert STALE in await hr.press_stale(f"tra:uy:{tid}:{siti}")  # the same confirmation again (a double tap, a replay)
    await hr.press_data(f"tra:un:{tid}:{siti}")  # and the undo again: she is no longer recorded
    assert "tidak tercatat hadir" in hr.last_text()
    assert len(await audit_rows(app, "training.unattended")) == 1 and len(await _notices(app)) == 1
    assert (await _enrolments(app, tid))[siti] == ("seat", None)


async def test_undone_meanwhile_or_called_off_says_so_and_closes_the_question(app, person):
    w = await _world(app)
    hr, admin = person(HR_TG, "Ahmad"), person(ADMIN_TG, "Super")
    await _open_attendance(hr)
    await hr.press("Siti")
    await hr.press("✅ Siti")
    await hr.press("Salah tandai")  # HR's confirmation is on screen…
    await admin.press_data(f"tra:un:{w['t']}:{w['siti']}")  # …while a superadmin undoes it first
    await admin.press("Salah tandai")
    await admin.press("Ya, batalkan kehadiran")
    await hr.press("Ya, batalkan kehadiran")
    assert "tidak tercatat hadir" in hr.last_text()
    await hr.say("alasan yang terlambat")  # the question closed: not taken as a reason
    assert len(await audit_rows(app, "training.unattended")) == 1
    # Called off after the marking: the undo is refused with the reason, like marking is.
    await hr.press_data(f"tra:mk:{w['t']}:{w['budi']}")
    async with app.db.uow() as uow:
        (await uow.trainings.get(w["t"])).status = "cancelled"
        await uow.commit()
    await hr.press_data(f"tra:un:{w['t']}:{w['budi']}")
    assert "dibatalkan oleh penyelenggara; tidak ada yang diubah" in hr.last_text()
    async with app.db.uow() as uow:
        (await uow.trainings.get(w["t"])).status = "open"
        await uow.commit()
    await hr.press_data(f"tra:un:{w['t']}:{w['budi']}")
    await hr.say("Ia hanya mengantar berkas")
    async with app.db.uow() as uow:  # called off while HR was on the confirmation
        (await uow.trainings.get(w["t"])).status = "cancelled"
        await uow.commit()
    await hr.press("Ya, batalkan kehadiran")
    assert "dibatalkan oleh penyelenggara" in hr.last_text()
    assert (await _enrolments(app, w["t"]))[w["budi"]] == ("attended", "waiting")
    await hr.say("teks bebas")
    assert len(await audit_rows(app, "training.unattended")) == 1


async def test_other_roles_are_refused_every_undo_button_and_it_is_audited(app, person):
    w = await _world(app)
    hr = person(HR_TG, "Ahmad")
    await _open_attendance(hr)
    await hr.press("Siti")
    for uid in (CITIZEN_TG, SITI_TG, OFFICER_TG):
        p = person(uid, "Bukan HR")
        for data in (f"tra:un:{w['t']}:{w['siti']}", "tra:uw:mistake", f"tra:uy:{w['t']}:{w['siti']}",
                     f"tra:un:{w['t']}:{w['siti']}:2"):
            await p.press_data(data)
            assert FORBIDDEN in p.last_text(), (uid, data)
    denied = {(d.actor_user_id, d.target) for d in await audit_rows(app, DENIED)}
    assert {t for _, t in denied} == {"btn:tra:un", "btn:tra:uw", "btn:tra:uy"}
    assert len(denied) == 9  # each of the three people, each button (a repeat within a minute is not noted again)
    assert (await _enrolments(app, w["t"]))[w["siti"]] == ("attended", "seat")
    assert await audit_rows(app, "training.unattended") == [] and await _notices(app) == []


def test_the_notice_reads_in_both_languages_and_an_unknown_code_falls_back_to_the_words() -> None:
    params = {"training_id": 1, "title": "Bimtek <Arsip>", "starts_at": "2026-11-22T00:00:00+00:00",
              "ends_at": "2026-11-23T06:00:00+00:00", "jp": 12, "reason_code": "mistake", "reason": "",
              "tz": "Asia/Makassar"}
    assert "karena salah tandai" in render_notice("tr.unattended", params, "id").text
    assert "recorded by mistake" in render_notice("tr.unattended", params, "en").text
    later = {**params, "reason_code": "a-code-from-a-later-version", "reason": "Kata <HR>"}
    assert "Alasan: Kata &lt;HR&gt;" in render_notice("tr.unattended", later, "id").text
    assert Training  # the model the notice speaks of
