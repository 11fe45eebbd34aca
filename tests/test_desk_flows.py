"""The desk through the router: the queue (urgency, filters, pages), claiming, asking the reporter,
forwarding, merging, rejecting with a reason; bad input and forged buttons on every step."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditLog, Complaint, ComplaintFollower
from services.staff.grant import grant_role
from tests.harness import conversation_state
from tests.test_complaints_flows import (  # noqa: F401 - the fixture checks every message's HTML
    HR,
    OFFICER,
    complaints_in,
    deliver,
    every_message_is_valid_telegram_html,
    file_report,
)

COLLEAGUE, NURSE = 700030, 700040  # a second PUPR officer; an officer of Dinas Kesehatan
DINKES = "Dinas Kesehatan"
NOT_ALLOWED = "tidak memiliki akses"
HOSTILE = ["", "   ", "\x00\x01", "x" * 5000, "<b>&</b> <script>", "🙏🏽🚧" * 50, "\u200b\u200b"]


async def staff(app, *people: tuple[int, str, str]) -> None:
    async with app.db.uow() as uow:
        for uid, agency, _ in people:
            await grant_role(uow, actor="test", external_id=uid, role="officer", agency_code=agency, now=app.clock())
        await uow.commit()


async def one(app) -> Complaint:
    [c] = await complaints_in(app)
    return c


async def test_the_queue_shows_urgency_filters_and_pages(person, app, clock):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina, "Trotoar rusak di Jalan Panglima Batur sejak lama")
    clock.advance(days=4)  # Friday: the first is past its Thursday response date
    await file_report(rina, "Kapan jadwal pengaspalan Jalan Kemuning tahun ini?", kind="Permintaan informasi")
    for i in range(8):  # eight neighbours (one person may file only a few an hour)
        await file_report(person(2000 + i, f"Warga {i}"), f"Lampu jalan mati nomor {i} di Jalan Kenanga sejak minggu lalu")
    await officer.say("/laporanmasuk")
    text = officer.last_text()
    assert "Halaman 1/2 · 10 laporan" in text
    assert text.index("Trotoar rusak") < text.index("Jalan Kenanga")  # the overdue one first
    assert "⏰ <b>Lewat batas tanggapan</b> (Kamis, 26 November 2026) · terlambat 1 hari kerja" in text
    assert "⏳ Sisa 3 hari kerja untuk tanggapan" in text  # Friday → Wednesday
    assert officer.last_labels()[0].startswith("⏰ BJB-2026-000001")
    await officer.press("Berikutnya")
    assert "Halaman 2/2" in officer.last_text()
    await officer.press("Saring")
    assert "Saring laporan masuk" in officer.last_text() and "✓ Semua jenis" in officer.last_labels()
    await officer.press("Permintaan informasi")
    text = officer.last_text()
    assert "Saringan: <b>ℹ️ Permintaan informasi</b>" in text and "1 laporan" in text and "Kemuning" in text
    await officer.press("Saring")
    assert "✓ ℹ️ Permintaan informasi" in officer.last_labels()
    await officer.press("Diproses")  # the kind is kept, the status added: nothing matches
    assert "Tidak ada laporan dengan saringan ini." in officer.last_text()
    await officer.press("Hapus saringan")
    assert "10 laporan" in officer.last_text()
    # Forged or stale filter buttons: a clear answer, never a crash or another agency's reports.
    for data in ("cxo:q:1:ditolak", "cxo:q:abc", "cxo:q:1::<b>", "cxo:qf:x", "cxo:q:99", "cxo:q:1:diterima:x:y",
                 "cxo:q:-1", "cxo:q:\x00"):
        await officer.press_data(data)
        assert officer.last_text()
    await officer.press_data("cxo:q:99")  # past the end: the last page
    assert "Halaman 2/2" in officer.last_text()


async def test_claiming_shows_the_claimant_to_colleagues_and_taking_over_asks_first(person, app):
    await staff(app, (COLLEAGUE, "PUPR", "Dedi"))
    rina, budi, dedi = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)"), person(COLLEAGUE, "Dedi (PUPR)")
    await file_report(rina)
    c = await one(app)
    await budi.say("/laporanmasuk")
    await budi.press("BJB-2026-000001")
    await budi.press("Ambil laporan ini")
    assert "Anda tangani" in budi.all_text() and "Ditangani: <b>Anda</b>" in budi.last_text()
    await budi.press_data(f"cxo:cl:{c.id}")  # pressed twice: nothing changes
    await dedi.say("/laporanmasuk")
    assert "👤 Ditangani: Budi (Dinas PUPR)" in dedi.last_text()
    await dedi.press("BJB-2026-000001")
    assert "👤 Ditangani: Budi (Dinas PUPR)" in dedi.last_text() and "Ambil alih" in " ".join(dedi.last_labels())
    await dedi.press_data(f"cxo:rl:{c.id}")  # not his to let go
    assert "Hanya Budi (Dinas PUPR)" in dedi.last_text()
    await dedi.press("Ambil alih")
    assert "sedang ditangani Budi (Dinas PUPR). Ambil alih?" in dedi.last_text()
    await dedi.press("Ambil alih")
    assert "Anda ambil alih dari Budi (Dinas PUPR)" in dedi.all_text()
    await dedi.press("Lepaskan")
    assert "dilepas" in dedi.all_text() and (await one(app)).claimed_by_id is None
    async with app.db.uow() as uow:
        actions = [a.action for a in (await uow.session.execute(select(AuditLog).order_by(AuditLog.id))).scalars()]
    assert "denied" in actions  # Dedi's "let go" of Budi's report was refused, and that is audited too
    assert [a for a in actions if a != "denied"][-3:] == ["complaint.claim", "complaint.claim", "complaint.release"]
    # Rina's own card never says who took it.
    await rina.press_data(f"cx:v:{c.id}")
    assert "Budi" not in rina.last_text() and "Dedi" not in rina.last_text()


async def test_asking_the_reporter_previews_then_their_answer_comes_back(person, app, channel):
    rina, budi = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina, privacy="Anonim")
    c = await one(app)
    await budi.say("/laporanmasuk")
    await budi.press("BJB-2026-000001")
    await budi.press("Minta info")
    assert "identitas pelapor tetap tidak terlihat" in budi.last_text()
    for bad in HOSTILE[:4] + HOSTILE[6:]:
        await budi.say(bad)
        assert any(w in budi.last_text() for w in ("kosong", "Terlalu panjang", "Pratinjau")), repr(bad)
        if "Pratinjau" in budi.last_text():
            await budi.press("Ubah")
    assert (await conversation_state(app, OFFICER))[0] == "cxo.note"
    await budi.send_photo()
    assert "bentuk teks" in budi.last_text()
    await budi.say("Lubangnya di sisi kiri atau kanan? <b>&</b> 🙏")
    assert "Pratinjau — belum terkirim" in budi.last_text()
    assert "Lubangnya di sisi kiri atau kanan? &lt;b&gt;&amp;&lt;/b&gt; 🙏" in budi.last_text()
    assert [r for r in await deliver(app, channel) if r[1] == "cx.ask"] == []  # nothing went yet
    await budi.press("Kirim ke pelapor")
    assert "Pertanyaan terkirim" in budi.all_text() and "Menunggu informasi dari pelapor" in budi.last_text()
    await budi.press_data(f"cxo:snd:{c.id}")  # the send button again: stale, nothing twice
    assert [t for _, t in await deliver(app, channel)] == ["cx.ask"]
    assert "meminta informasi tambahan" in rina.last_text()
    await rina.press("Jawab pertanyaan")
    await rina.say("Sisi kiri dari arah Banjarbaru")
    await deliver(app, channel)
    assert "Pelapor menjawab permintaan informasi" in budi.last_text() and "Sisi kiri" in budi.last_text()
    await budi.press("Buka")
    card = budi.last_text()
    assert "Sisi kiri dari arah Banjarbaru" in card and "Menunggu informasi" not in card
    assert "identitas disembunyikan" in card


async def test_the_question_preview_can_be_cancelled_and_nothing_is_sent(person, app, channel):
    rina, budi = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina)
    c = await one(app)
    await budi.press_data(f"cxo:ask:{c.id}")
    await budi.say("Mohon kirim foto tambahan")
    await budi.press("Batal")
    assert "Pertanyaan dibatalkan" in budi.last_text()
    assert all(t != "cx.ask" for _, t in await deliver(app, channel))
    assert (await one(app)).info_requested_at is None


async def test_forwarding_to_another_agency(person, app, channel):
    await staff(app, (NURSE, "DINKES", "Nurse"))
    rina, budi, nurse = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)"), person(NURSE, "Ners (Dinkes)")
    await file_report(rina, "Antrian puskesmas Guntung Manggis sangat panjang sejak pagi hari")
    c = await one(app)
    await budi.say("/laporanmasuk")
    await budi.press("BJB-2026-000001")
    await budi.press("Teruskan ke instansi lain")
    assert "Teruskan <b>BJB-2026-000001</b>" in budi.last_text()
    assert not any("Pekerjaan Umum" in label for label in budi.last_labels())  # not where it is already
    pupr = c.agency_id
    await budi.press_data(f"cxo:fwt:{c.id}:{pupr}")
    assert "sudah di instansi itu" in budi.last_text()
    await budi.press_data(f"cxo:fwt:{c.id}:999999")
    assert "Instansi" in budi.last_text() or "instansi" in budi.last_text()
    await budi.press(DINKES)
    assert f"Diteruskan ke <b>{DINKES}</b>" in budi.last_text()
    assert ((await one(app)).status, (await one(app)).agency_id != pupr) == ("didisposisikan", True)
    await rina.press_data(f"cx:v:{c.id}")  # the citizen's history: verified, then forwarded
    assert "Diverifikasi" in rina.last_text() and f"Diteruskan ke {DINKES}" in rina.last_text()
    await budi.press_data(f"cxo:fwt:{c.id}:{pupr}")  # no longer his: refused as not found
    assert "bukan wewenang instansi Anda" in budi.last_text()
    await deliver(app, channel)
    assert "Antrian puskesmas" in nurse.last_text()
    await nurse.say("/laporanmasuk")
    assert "BJB-2026-000001" in nurse.last_text()


async def test_merging_moves_followers_and_refuses_bad_numbers(person, app):
    rina, budi, sari = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)"), person(1003, "Sari")
    await file_report(rina, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya")
    await file_report(person(1002, "Budi warga"), "Lubang besar di jalan depan SDN 1 Guntung Manggis, tolong")
    await file_report(rina, "Antrian puskesmas sangat panjang", agency="Dinas Kesehatan")
    original, dup, other = await complaints_in(app)
    await sari.press_data(f"cx:fw:{dup.id}")
    await budi.press_data(f"cxo:a:{dup.id}:merge")
    for bad in ("", "garbage", "<b>&", "🙏", "\x00", "9" * 5000, dup.number, other.number, "BJB-2026-999999"):
        await budi.say(bad)
        assert budi.last_text() and "Digabung" not in budi.last_text(), bad
    assert (await conversation_state(app, OFFICER))[0] == "cxo.merge"  # still waiting for a number
    await budi.say(original.number.lower())
    assert f"Digabung ke <b>{original.number}</b>" in budi.last_text()
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(select(ComplaintFollower.complaint_id, ComplaintFollower.user_id))).all()
    assert {cid for cid, _ in rows} == {original.id} and len(rows) == 2  # the duplicate's reporter and Sari


async def test_reject_with_a_typed_reason_or_the_not_our_authority_button(person, app, channel):
    rina, budi = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina)
    await file_report(rina, "Pohon tumbang menutup Jalan Kenanga sejak pagi ini")
    first, second = await complaints_in(app)
    await budi.press_data(f"cxo:a:{first.id}:reject")
    await budi.say("   ")
    assert "wajib" in budi.last_text() and (await one_of(app, first.id)).status == "diterima"
    await budi.say("Ini jalan provinsi <b>&</b> bukan kota")
    assert "Ditolak" in budi.all_text()
    await deliver(app, channel)
    assert "Ini jalan provinsi &lt;b&gt;&amp;&lt;/b&gt; bukan kota" in rina.all_text()
    await budi.press_data(f"cxo:a:{second.id}:reject")
    await budi.press("Bukan wewenang")
    assert (await one_of(app, second.id)).status == "ditolak"
    assert "tidak berlaku" in await budi.press_stale(f"cxo:rj:{second.id}")  # again: stale


async def one_of(app, cid: int) -> Complaint:
    return next(c for c in await complaints_in(app) if c.id == cid)


@pytest.mark.parametrize("who", [1002, "asn"])
async def test_citizens_and_civil_servants_are_not_allowed_any_staff_command_or_button(person, app, who):
    rina = person(1001, "Rina")
    await file_report(rina)
    c = await one(app)
    uid = 700002 if who == "asn" else who  # the demo's ASN persona
    p = person(uid, "Siti (ASN)" if who == "asn" else "Budi")
    await p.say("/start")
    for text in ("/laporanmasuk", "/inbox", "/desk"):
        await p.say(text)
        assert NOT_ALLOWED in p.last_text()
    for data in ("cxo:q:1", "cxo:qf", f"cxo:o:{c.id}", f"cxo:cl:{c.id}", f"cxo:cl:{c.id}:y", f"cxo:rl:{c.id}",
                 f"cxo:ask:{c.id}", f"cxo:fw:{c.id}", f"cxo:fwt:{c.id}:1", f"cxo:a:{c.id}:reject",
                 f"cxo:r:{c.id}", f"cxo:to:{c.id}:1"):
        await p.press_data(data)
        assert NOT_ALLOWED in p.last_text(), data
        assert "Jalan berlubang" not in p.last_text()
    after = await one(app)
    assert (after.status, after.claimed_by_id, after.agency_id, after.info_requested_at) == (
        c.status, None, c.agency_id, None)


async def test_an_officer_of_another_agency_is_refused_every_new_button(person, app):
    await staff(app, (NURSE, "DINKES", "Nurse"))
    await file_report(person(1001, "Rina"), privacy="Anonim")
    c = await one(app)
    nurse = person(NURSE, "Ners (Dinkes)")
    for data in (f"cxo:cl:{c.id}", f"cxo:cl:{c.id}:y", f"cxo:rl:{c.id}", f"cxo:ask:{c.id}", f"cxo:fw:{c.id}",
                 f"cxo:fwt:{c.id}:1", f"cxo:snd:{c.id}"):
        await nurse.press_data(data)
        assert nurse.last_text() and "Jalan berlubang" not in nurse.last_text() and c.number not in nurse.last_text()
    after = await one(app)
    assert (after.status, after.claimed_by_id, after.agency_id) == (c.status, None, c.agency_id)
