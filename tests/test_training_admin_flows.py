"""HR's /kelolapelatihan as HR meets it: create, edit one field, close, attendance, export, with
bad input at every step and the wrong roles pressing the buttons."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import load_workbook
from sqlalchemy import select

from db.models import AuditLog, OutboxMessage
from db.models.training import Enrolment, Training
from tests.test_complaints_flows import assert_valid_html, deliver
from tests.training_helpers import BUDI, SITI, by_code, linked, statuses, training

HR_TG, ADMIN_TG, OFFICER_TG, SITI_TG, CITIZEN_TG = 700003, 900001, 700004, 700002, 1001
FORBIDDEN = "tidak memiliki akses"


async def trainings(app) -> list[Training]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(Training).order_by(Training.id))).scalars())


async def audit(app, action: str) -> list[AuditLog]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(AuditLog).where(AuditLog.action == action))).scalars())


async def walk_new(hr, code: str = "PK-2027-01") -> None:
    """The whole form by the happy path (one answer per step)."""
    await hr.say("/kelolapelatihan")
    await hr.press("Pelatihan baru")
    for answer in (code, "Penulisan Kebijakan <b>&</b> Praktik", "kebijakan, naskah", "BKPSDM Kota Banjarbaru",
                   "14/12/2026 08.00", "15/12/2026 16.00", "Aula BKPSDM"):
        await hr.say(answer)
    await hr.press("Tanpa tautan")
    for answer in ("16", "25", "10/12/2026"):
        await hr.say(answer)
    await hr.say("III/a")
    await hr.press("Tanpa batas atas")
    await hr.press("JF Ahli Pertama")
    await hr.press("JF Ahli Muda")
    await hr.press("Selesai")
    await hr.say("dinkes, PUPR")
    await hr.press("PNS dan PPPK")


async def test_hr_creates_a_training_step_by_step_and_it_is_audited(app, person, channel):
    hr = person(HR_TG, "Ahmad")
    before = len(await trainings(app))
    await walk_new(hr)
    summary = hr.last_text()
    assert "Periksa pelatihan baru" in summary
    assert "Penulisan Kebijakan &lt;b&gt;&amp;&lt;/b&gt; Praktik" in summary
    assert "14 Des 2026, 08.00 WITA" in summary and "III/a" in summary
    assert len(await trainings(app)) == before  # nothing saved before "Simpan"
    await hr.press("Simpan")
    assert "PK-2027-01 disimpan" in hr.last_text()
    async with app.db.uow() as uow:
        t = await by_code(uow, "PK-2027-01")
        agencies = await uow.trainings.agency_ids_by_code()
    assert t.title == "Penulisan Kebijakan <b>&</b> Praktik" and t.jp == 16 and t.quota == 25
    assert t.starts_at.isoformat() == "2026-12-14T00:00:00+00:00"  # 08.00 WITA
    assert t.registration_closes_at.isoformat() == "2026-12-10T15:59:00+00:00"  # a day alone: 23.59
    assert t.place == "Aula BKPSDM" and t.online_url is None
    assert (t.min_golongan, t.max_golongan, t.employment) == ("III/a", None, None)
    assert t.jabatan_kinds == ["jf_ahli_pertama", "jf_ahli_muda"]
    assert t.agency_ids == [agencies["DINKES"], agencies["PUPR"]]
    [row] = await audit(app, "training.create")
    assert row.actor_label.startswith("user:") and row.details["before"] is None
    assert row.details["after"]["code"] == "PK-2027-01"
    assert_valid_html(channel)


async def test_back_and_cancel_keep_or_drop_what_was_typed(app, person):
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan")
    await hr.press("Pelatihan baru")
    await hr.say("BK-1")
    await hr.say("Judul pertama")
    await hr.press("Kembali")  # from the topic to the title, what was typed shown
    assert "Ketik <b>judul</b>" in hr.last_text() and "Sekarang: Judul pertama" in hr.last_text()
    await hr.press("Kembali")
    assert "Ketik <b>kode</b>" in hr.last_text() and "Sekarang: BK-1" in hr.last_text()
    await hr.say("BK-2")
    assert "Sekarang: Judul pertama" in hr.last_text()  # the title typed before is kept
    await hr.press("Batal")
    assert "BK-2" not in [t.code for t in await trainings(app)]
    await hr.say("Judul lain")  # the flow is over: free text no longer lands in a form
    assert "judul" not in hr.last_text().lower()


async def test_every_bad_answer_is_refused_with_a_reason_and_the_step_stays(app, person, channel):
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan")
    await hr.press("Pelatihan baru")
    for bad in ("a", "<b>&", "🎓🎓", "X" * 40, "AB\x00CD!"):
        await hr.say(bad)
        assert "Kode harus 2–32" in hr.last_text(), bad
    await hr.say("SKP-2026-01")
    assert "sudah dipakai" in hr.last_text()
    await hr.say("ok-2027")
    assert "Ketik <b>judul</b>" in hr.last_text()
    for bad, why in (("🎓🎓🎓", "Terlalu pendek"), ("x" * 5000, "paling banyak 200 karakter (Anda mengetik 5000)"),
                     ("\u200b\u200b", "wajib diisi")):
        await hr.say(bad)
        assert why in hr.last_text(), bad
    await hr.say("Judul \x00dengan NUL")
    await hr.press("Tanpa topik")
    await hr.say("BKPSDM")
    for bad, why in (("besok pagi", "tidak dikenali"), ("31/02/2026 08.00", "tidak dikenali"),
                     ("2026-11-20 08:00", "sudah lewat"), ("01/01/2035", "terlalu jauh"), ("😀", "tidak dikenali")):
        await hr.say(bad)
        assert why in hr.last_text(), bad
    await hr.say("2026-12-14 08:00")
    await hr.say("2026-12-13 16:00")
    assert "harus setelah waktu mulai" in hr.last_text()
    await hr.say("2026-12-14 16:00")
    await hr.press("Daring saja")
    await hr.press("Tanpa tautan")
    assert "tempat atau tautan daring" in hr.last_text()
    await hr.say("zoom dot us")
    assert "http://" in hr.last_text()
    await hr.say("https://zoom.us/j/1")
    for bad in ("0", "nol", "201", "-3", "8.5x", "🎓"):
        await hr.say(bad)
        assert "JP harus bilangan bulat 1–200" in hr.last_text(), bad
    await hr.say("8")
    for bad in ("0", "1000000000", "10^9", "<b>&"):
        await hr.say(bad)
        assert "Kuota harus bilangan bulat 1–10000" in hr.last_text(), bad
    await hr.say("30")
    await hr.say("2026-12-15 08:00")
    assert "tidak boleh setelah waktu mulai" in hr.last_text()
    await hr.say("2026-12-12")
    for bad in ("V/z", "III/x", "golongan tiga"):
        await hr.say(bad)
        assert "tidak dikenal" in hr.last_text(), bad
    await hr.say("III/c")
    await hr.say("III/a")
    assert "tidak boleh di atas" in hr.last_text()
    await hr.say("IV/b")
    await hr.say("PNS saja")  # the jabatan step takes buttons
    assert "Gunakan tombol" in hr.last_text()
    await hr.press("Selesai")
    await hr.say("DINKES, XYZ")
    assert "XYZ" in hr.last_text() and "tidak dikenal" in hr.last_text()
    await hr.press("Semua OPD")
    await hr.press("PNS")
    await hr.press("Simpan")
    async with app.db.uow() as uow:
        t = await by_code(uow, "OK-2027")
    assert t.title == "Judul dengan NUL" and t.online_url == "https://zoom.us/j/1" and t.place is None
    assert (t.min_golongan, t.max_golongan, t.employment, t.jp, t.quota) == ("III/c", "IV/b", "PNS", 8, 30)
    assert_valid_html(channel)


async def test_editing_the_place_tells_everyone_signed_up_and_is_audited(app, person, channel):
    hr = person(HR_TG, "Ahmad")
    async with app.db.uow() as uow:
        await linked(uow, SITI, SITI_TG)
        await linked(uow, BUDI, OFFICER_TG, role="officer")
        pp = await by_code(uow, "PP-2026-01")  # Ahmad and Budi hold the two seats, Nur waits
        await uow.commit()
    await hr.say("/kelolapelatihan PP-2026-01")
    assert "Pelayanan Prima" in hr.last_text()
    await hr.press("Ubah")
    await hr.press("Tempat")
    assert "Sekarang: Ruang Rapat Balai Kota" in hr.last_text()
    await hr.say("Aula Gawi Sabarataan <lt. 2>")
    assert "✏️ <b>Tempat</b>: <s>Ruang Rapat Balai Kota</s> → Aula Gawi Sabarataan &lt;lt. 2&gt;" in hr.last_text()
    await hr.press("Simpan")
    assert "Perubahan disimpan. 1 peserta diberi tahu" in hr.last_text()  # Budi: Ahmad/Nur have no account here
    sent = await deliver(app, channel)
    assert sent == [(OFFICER_TG, "tr.changed")]
    budi = person(OFFICER_TG, "Budi")
    assert "Aula Gawi Sabarataan &lt;lt. 2&gt;" in budi.last_text() and "Yang berubah: Tempat" in budi.last_text()
    [row] = await audit(app, "training.update")
    assert row.details["before"] == {"place": "Ruang Rapat Balai Kota"}
    assert row.details["after"] == {"place": "Aula Gawi Sabarataan <lt. 2>"}
    # the same field again, unchanged: nothing saved, nobody told again
    await hr.press("Ubah")
    await hr.press("Tempat")
    await hr.say("Aula Gawi Sabarataan <lt. 2>")
    await hr.press("Simpan")
    assert "Tidak ada yang berubah" in hr.last_text()
    assert len(await audit(app, "training.update")) == 1
    assert pp.id


async def test_a_quota_below_the_seats_is_refused_and_a_raised_one_promotes(app, person, channel):
    hr = person(HR_TG, "Ahmad")
    async with app.db.uow() as uow:
        pp = await by_code(uow, "PP-2026-01")
        before = await statuses(uow, pp.id)
    await hr.say("/kelolapelatihan PP-2026-01")
    await hr.press("Ubah")
    await hr.press("Kuota")
    await hr.say("1")
    await hr.press("Simpan")
    assert "lebih kecil dari 2 kursi" in hr.last_text() and "Periksa perubahan" in hr.last_text()
    async with app.db.uow() as uow:
        assert (await by_code(uow, "PP-2026-01")).quota == 2 and await statuses(uow, pp.id) == before
    await hr.press("Kuota")
    await hr.say("3")
    await hr.press("Simpan")
    assert "1 naik dari daftar tunggu" in hr.last_text()
    async with app.db.uow() as uow:
        assert sorted((await statuses(uow, pp.id)).values()) == ["seat", "seat", "seat"]


async def test_moving_the_start_after_the_end_is_refused_at_its_step(app, person):
    hr = person(HR_TG, "Ahmad")
    async with app.db.uow() as uow:
        starts = (await by_code(uow, "PP-2026-01")).starts_at
    await hr.say("/kelolapelatihan PP-2026-01")
    await hr.press("Ubah")
    await hr.press("Mulai")
    await hr.say("2027-01-20 08:00")
    assert "harus setelah waktu mulai" in hr.last_text() or "tidak boleh setelah" in hr.last_text()
    await hr.press("Kembali")  # an edit's back goes to the summary
    assert "Periksa perubahan" in hr.last_text()
    await hr.press("Batal")
    async with app.db.uow() as uow:
        assert (await by_code(uow, "PP-2026-01")).starts_at == starts


async def test_closing_registration_asks_first_and_then_refuses_sign_ups(app, person):
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan DIG-2026-01")
    await hr.press("Tutup pendaftaran")
    assert "Tutup pendaftaran <b>Digitalisasi Pelayanan Publik</b> sekarang?" in hr.last_text()
    async with app.db.uow() as uow:
        assert (await by_code(uow, "DIG-2026-01")).registration_closes_at > app.clock()
    await hr.press("Ya, tutup")
    assert "Pendaftaran ditutup." in hr.last_text()
    async with app.db.uow() as uow:
        t = await by_code(uow, "DIG-2026-01")
    assert t.registration_closes_at == app.clock()
    [row] = await audit(app, "training.close")
    assert row.details["after"]["registration_closes_at"] == app.clock().isoformat()
    await hr.press_data(f"tra:cl:{t.id}:1")  # pressed again: already closed, nothing changes
    assert "sudah ditutup" in hr.last_text()
    assert len(await audit(app, "training.close")) == 1


async def test_attendance_credits_jp_and_the_export_lists_everyone_typed(app, person, channel):
    hr = person(HR_TG, "Ahmad")
    async with app.db.uow() as uow:
        t = await training(uow, app.clock(), "RUN-1", days=-1, hours=30, quota=5,
                           closes_in=timedelta(days=-2), title="Pelatihan Berjalan")
        siti = await linked(uow, SITI, SITI_TG)
        for i, nip in enumerate((SITI, BUDI)):
            emp = await uow.employees.by_nip(nip)
            uow.trainings.add_enrolment(Enrolment(training_id=t.id, employee_id=emp.id, status="seat",
                                                  queued_at=app.clock() - timedelta(days=5 - i)))
        await uow.commit()
    await hr.say("/kelolapelatihan RUN-1")
    await hr.press("Kehadiran")
    assert "0 hadir dari 2 kursi" in hr.last_text()
    await hr.press("Siti")
    assert "Ditandai hadir" in hr.last_text() and "1 hadir dari 2 kursi" in hr.last_text()
    await hr.press("Siti")  # twice: the undo's question, nothing changed yet
    assert "Batalkan kehadiran" in hr.last_text()
    await hr.press("Kembali")
    assert "1 hadir dari 2 kursi" in hr.last_text()
    await hr.press_data(f"tra:mk:{t.id}:{siti.employee_id}")  # an old mark button: nothing more
    assert "sudah ditandai hadir" in hr.last_text()
    await hr.press("Semua yang terdaftar hadir")
    await hr.press("Ya, tandai hadir")
    assert "1 peserta ditandai hadir" in hr.last_text()
    async with app.db.uow() as uow:
        assert set((await statuses(uow, t.id)).values()) == {"attended"}
    await hr.press("Kembali")
    await hr.press("Unduh peserta")
    doc = hr.messages()[-1].reply.attachment
    assert doc is not None and doc.kind == "document" and doc.filename == "peserta-RUN-1-20261123.xlsx"
    ws = load_workbook(io.BytesIO(doc.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("No", "NIP", "Nama", "OPD", "Golongan", "Jabatan", "PNS/PPPK", "Status", "Posisi tunggu",
                       "Mendaftar (WITA)", "JP")
    assert rows[1][:8] == (1, SITI, "Siti Rahmawati, S.Kep.", "Dinas Kesehatan", "III/b", "Perawat Ahli Pertama",
                           "PNS", "hadir")
    assert rows[1][1] == SITI and isinstance(rows[1][1], str)  # the NIP stays text: 18 digits intact
    assert rows[1][9].isoformat() == "2026-11-18T10:00:00" and rows[1][10] == 8  # local time, typed
    assert rows[2][1] == BUDI and len(rows) == 3
    assert siti.employee_id
    assert_valid_html(channel)


async def test_wrong_roles_are_not_allowed_anything(app, person):
    async with app.db.uow() as uow:
        await linked(uow, SITI, SITI_TG)
        pp = await by_code(uow, "PP-2026-01")
        await uow.commit()
    before = [(t.id, t.quota, t.place, t.registration_closes_at) for t in await trainings(app)]
    for uid in (CITIZEN_TG, SITI_TG, OFFICER_TG):
        p = person(uid, "Bukan HR")
        await p.say("/start")
        assert "Kelola Pelatihan" not in " ".join(p.last_labels())
        await p.say("/kelolapelatihan")
        assert FORBIDDEN in p.last_text()
        for data in (f"tra:o:{pp.id}", f"tra:cl:{pp.id}:1", f"tra:ef:{pp.id}:quota", f"tra:x:{pp.id}",
                     f"tra:ma:{pp.id}:1", f"tra:mk:{pp.id}:1", "tra:new", "tra:l", f"tra:ch:{pp.id}"):
            await p.press_data(data)
            assert FORBIDDEN in p.last_text(), (uid, data)
            assert p.messages()[-1].reply.attachment is None
        for data in ("tra:sv", "tra:sk:topic", "tra:bk", "tra:jk:jpt_utama", "tra:ed:title", "tra:em:PNS"):
            await p.press_data(data)  # form buttons from the wrong role: refused before they are read
            assert FORBIDDEN in p.last_text(), (uid, data)
    assert [(t.id, t.quota, t.place, t.registration_closes_at) for t in await trainings(app)] == before
    async with app.db.uow() as uow:
        assert not (await uow.session.execute(select(OutboxMessage))).first()
    assert not await audit(app, "training.export")


async def test_superadmin_may_do_what_hr_does(app, person):
    admin = person(ADMIN_TG, "Super")
    await admin.say("/start")
    assert "Kelola Pelatihan" in " ".join(admin.last_labels())
    await admin.say("/kelolapelatihan DIG-2026-01")
    await admin.press("Tutup pendaftaran")
    await admin.press("Ya, tutup")
    assert "Pendaftaran ditutup." in admin.last_text()


async def test_forged_form_buttons_at_the_wrong_step_are_stale(app, person):
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan")
    await hr.press("Pelatihan baru")
    for data in ("tra:sk:title", "tra:jk:jpt_utama", "tra:jd", "tra:em:PNS", "tra:sv", "tra:ed:code", "tra:jk:x:y",
                 "tra:ef:1:bogus", "tra:mk:abc", "tra:o:99999999999999999999"):
        assert "tidak berlaku" in await hr.press_stale(data), data
    await hr.press_data("tra:o:987654")
    assert "tidak ditemukan" in hr.last_text().lower() or "not" in hr.last_text().lower()


async def test_an_unknown_code_after_the_command_says_so_and_shows_the_list(app, person):
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan <b>&")
    assert "Tidak ada pelatihan berkode «&lt;B&gt;&amp;»" in hr.last_text() and "Kelola pelatihan" in hr.last_text()


async def test_moving_there_back_and_there_again_tells_each_time(app, person, channel, clock):
    hr = person(HR_TG, "Ahmad")
    async with app.db.uow() as uow:
        await linked(uow, BUDI, OFFICER_TG, role="officer")
        await uow.commit()
    for place in ("Aula A", "Aula B", "Aula A"):
        await hr.say("/kelolapelatihan PP-2026-01")
        await hr.press("Ubah")
        await hr.press("Tempat")
        await hr.say(place)
        await hr.press("Simpan")
        assert "1 peserta diberi tahu" in hr.last_text(), place
        clock.advance(minutes=5)
    assert await deliver(app, channel) == [(OFFICER_TG, "tr.changed")] * 3


async def test_hr_reads_it_in_english_too(app, person, channel):
    hr = person(HR_TG, "Ahmad", language_code="en")
    await hr.say("/kelolapelatihan PP-2026-01")
    assert "seats taken" in hr.last_text() and "Registration closes" in hr.last_text()
    await hr.press("Edit")
    await hr.press("Quota")
    assert "What is the <b>quota</b>?" in hr.last_text() and "Now: 2" in hr.last_text()
    await hr.say("0")
    assert "The quota must be a whole number 1–10000" in hr.last_text()
    await hr.say("4")
    assert "Check the changes" in hr.last_text() and "<s>2</s> → 4" in hr.last_text()
    await hr.press("Save")
    assert "Changes saved. 0 participants told; 1 moved up" in hr.last_text()
    assert_valid_html(channel)
