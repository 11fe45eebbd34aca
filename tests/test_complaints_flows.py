"""Complaints as citizens and officers meet them, through the real router and unit of work."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.sandbox.html_check import check_html
from db.models import Complaint, ComplaintFollower, OutboxMessage, SurveyResponse, User
from handlers.i18n import catalog, pick_locale
from handlers.notices import render_notice
from tests.harness import FakeChannel, conversation_state

HR, OFFICER = 700003, 700004  # demo personas: BKPSDM and an officer of Dinas PUPR
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
POTHOLE = "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya untuk anak-anak"
NUMBER = re.compile(r"BJB-\d{4}-\d{6}")


# --- helpers shared with the privacy test --------------------------------------------------------

async def deliver(app, channel: FakeChannel) -> list[tuple[int, str]]:
    """What the outbox sender would do: render each pending row in its recipient's language, send it."""
    out = []
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(
            select(OutboxMessage, User).join(User, User.id == OutboxMessage.user_id)
            .where(OutboxMessage.status == "pending").order_by(OutboxMessage.id))).all()
        for row, user in rows:
            reply = render_notice(row.template, row.params,
                                  pick_locale(user.locale, user.language_code, app.settings.default_locale))
            await channel.send(user.chat_id, reply)
            row.status = "sent"
            out.append((user.chat_id, row.template))
        await uow.commit()
    return out


def assert_valid_html(channel: FakeChannel) -> None:
    for s in channel.sent:
        check_html(s.text)  # raises on anything Telegram would refuse
        for row in s.reply.buttons:
            for b in row:
                assert b.data is None or len(b.data.encode()) <= 64


async def complaints_in(app) -> list[Complaint]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(Complaint).order_by(Complaint.id))).scalars())


async def file_report(p, text: str = POTHOLE, *, kind: str = "Pengaduan", agency: str | None = PUPR,
                      privacy: str = "Biasa", photos: int = 0, location: bool = False,
                      address: str | None = None) -> str:
    """The whole filing flow by buttons; returns the tracking number from the receipt."""
    await p.say("/lapor")
    await p.press(kind)
    await p.say(text)
    one_step = kind != "Pengaduan"  # an aspiration or a question: photos and place are one step
    for _ in range(photos):
        await p.send_photo()
    if not one_step:
        await p.press("Lanjut" if photos else "Lewati")
    if location:
        await p.send_location(-3.4424, 114.8301)
    elif address:
        await p.say(address)
    else:
        await p.press("Lanjut" if one_step and photos else "Lewati")
    if agency and agency not in p.last_labels():  # not among the suggestions
        await p.press("Semua instansi")
    await p.press(agency or "tidak yakin")
    await p.press(privacy)
    assert "Ringkasan laporan" in p.last_text()
    await p.press("Kirim laporan")
    if any("Tetap kirim" in label for label in p.last_labels()):  # a similar report exists
        await p.press("Tetap kirim")
    m = NUMBER.search(p.last_text())
    assert m, p.last_text()
    return m.group(0)


@pytest.fixture(autouse=True)
def every_message_is_valid_telegram_html(channel: FakeChannel):
    yield
    assert_valid_html(channel)


# --- filing ---------------------------------------------------------------------------------------

async def test_file_a_complaint_by_buttons_with_suggested_agency(person, app, channel):
    rina = person(1001, "Rina")
    await rina.say("/start")
    await rina.press("Buat laporan")
    assert [lbl for lbl in rina.last_labels()][:3] == ["📢 Pengaduan", "💡 Aspirasi", "ℹ️ Permintaan informasi"]
    await rina.press("Pengaduan")
    await rina.say(POTHOLE + " <b>&")
    await rina.press("Lewati")
    assert rina.messages()[-2].reply.keyboard[0][0].request_location
    await rina.press("Lewati")
    assert rina.messages()[-2].reply.remove_keyboard
    assert rina.last_labels()[0] == PUPR  # the suggestion comes first
    assert "🤷 Lainnya / tidak yakin" in rina.last_labels()
    await rina.press(PUPR)
    assert rina.last_labels()[0] == "✓ 👤 Biasa"  # the default
    await rina.press("Biasa")
    summary = rina.last_text()
    assert "&lt;b&gt;&amp;" in summary and PUPR in summary
    await rina.press("Kirim laporan")
    receipt = rina.last_text()
    assert "BJB-2026-000001" in receipt and PUPR in receipt
    assert "3 hari kerja" in receipt and "Kamis, 26 November 2026" in receipt  # Monday + 3 working days, WITA
    # The draft is gone; only which report it became is remembered (a repeated "send" answers with it).
    state, data = await conversation_state(app, 1001)
    assert state is None and sorted(data) == ["filed_draft", "filed_report"] and data["filed_report"] == 1
    [c] = await complaints_in(app)
    assert (c.kind, c.status, c.privacy, c.photos, c.latitude) == ("pengaduan", "diterima", "normal", [], None)
    assert c.description.endswith("<b>&")  # stored as typed, escaped only when shown
    sent = await deliver(app, channel)
    assert (OFFICER, "cx.new") in sent
    assert_valid_html(channel)


async def test_file_an_aspiration_with_photos_location_and_anonymity(person, app, channel):
    rina = person(1001, "Rina")
    number = await file_report(rina, "Usul taman bermain di lahan kosong RT 05 Loktabat Utara", kind="Aspirasi",
                               agency="Dinas Lingkungan Hidup", privacy="Anonim", photos=2, location=True)
    [c] = await complaints_in(app)
    assert c.number == number and c.kind == "aspirasi" and c.privacy == "anonim"
    assert [p["kind"] for p in c.photos] == ["photo", "photo"]
    assert (c.latitude, c.longitude) == (-3.4424, 114.8301)
    await rina.say("/lapor")  # the choice is remembered
    await rina.press("Pengaduan")
    await rina.say(POTHOLE)
    await rina.press("Lewati")
    await rina.press("Lewati")
    await rina.press(PUPR)
    assert "✓ 🕶️ Anonim" in rina.last_labels()


async def test_information_request_with_typed_address_confidential_and_not_sure(person, app, channel):
    rina = person(1001, "Rina")
    await file_report(rina, "Berapa biaya dan syarat pembuatan akta kelahiran anak?", kind="Permintaan informasi",
                      agency=None, privacy="Rahasia", address="Kelurahan Guntung Paikat")
    [c] = await complaints_in(app)
    assert (c.kind, c.agency_id, c.privacy, c.address) == ("informasi", None, "rahasia", "Kelurahan Guntung Paikat")
    assert "BKPSDM akan memverifikasi" in rina.last_text()
    assert "5 hari kerja" in rina.last_text()
    sent = await deliver(app, channel)
    assert sent == [(HR, "cx.new")]  # HR verifies and routes the unsure ones


async def test_free_text_starts_a_report_with_the_text_kept(person, app):
    rina = person(1001, "Rina")
    await rina.say("jalan rusak di depan sekolah")
    assert "jalan rusak di depan sekolah" in rina.all_text()
    await rina.press("Pengaduan")
    assert "foto" in rina.last_text().lower()  # the description step is skipped: it is already there
    assert (await conversation_state(app, 1001))[1]["description"] == "jalan rusak di depan sekolah"
    bob = person(1002, "Bob")
    await bob.say("mau lapor")
    assert "Pilih jenisnya" in bob.last_text()
    assert (await conversation_state(app, 1002))[1]["description"] == ""


async def test_filing_intent_keeps_the_words_after_mau_lapor_as_the_description(person, app):
    rina = person(1001, "Rina")
    await rina.say("mau lapor pungli di kelurahan")
    assert "Saya catat uraian Anda" in rina.all_text() and "pungli di kelurahan" in rina.all_text()
    st, data = await conversation_state(app, 1001)
    assert st == "cx.kind" and data["description"] == "pungli di kelurahan"
    await rina.press("Pengaduan")
    assert (await conversation_state(app, 1001))[0] == "cx.photos"  # the description is already there
    await rina.say("Setiap pagi di loket KTP diminta uang <50 ribu> & tanpa kuitansi")  # saying more
    st, data = await conversation_state(app, 1001)
    assert st == "cx.photos"
    assert data["description"] == "pungli di kelurahan\nSetiap pagi di loket KTP diminta uang <50 ribu> & tanpa kuitansi"
    assert "Saya tambahkan ke uraian" in rina.last_text() or "Saya tambahkan ke uraian" in rina.all_text()
    assert "&lt;50 ribu&gt; &amp;" in rina.all_text()
    await rina.say("halo")  # too short to be more description: the usual hint
    assert "menunggu foto" in rina.last_text()
    budi = person(1002, "Budi")
    await budi.say("/lapor tolong laporkan lampu jalan mati di gang Melati 3 <b>&")
    assert (await conversation_state(app, 1002))[1]["description"] == "lampu jalan mati di gang Melati 3 <b>&"
    assert "&lt;b&gt;&amp;" in budi.all_text()


async def test_too_short_to_describe_is_said_and_kept_as_the_start(person, app):
    rina = person(1001, "Rina")
    await rina.say("mau lapor pungli")
    assert "<b>pungli</b>" in rina.last_text() or "<b>pungli</b>" in rina.all_text()
    assert "belum cukup sebagai uraian (paling sedikit 10 karakter)" in rina.all_text()
    st, data = await conversation_state(app, 1001)
    assert st == "cx.kind" and data["description"] == "" and data["description_start"] == "pungli"
    await rina.press("Pengaduan")
    ask = rina.last_text()
    assert "sejak kapan" in ask and "Anda sudah menulis: <b>pungli</b>" in ask
    await rina.say("ya")  # "pungli ya": still too short; the start stays
    assert "terlalu pendek" in rina.last_text()
    assert (await conversation_state(app, 1001))[1]["description_start"] == "pungli"
    await rina.say("di loket kelurahan Loktabat setiap pagi")
    st, data = await conversation_state(app, 1001)
    assert st == "cx.photos" and data["description"] == "pungli di loket kelurahan Loktabat setiap pagi"
    assert data["description_start"] == ""
    budi = person(1002, "Budi")
    await budi.say("mau lapor pungli")
    await budi.press("Pengaduan")
    await budi.say("Pungli di loket kelurahan setiap pagi")  # typed again in full: not doubled
    assert (await conversation_state(app, 1002))[1]["description"] == "Pungli di loket kelurahan setiap pagi"
    sari = person(1003, "Sari")
    await sari.say("/lapor <b>&")
    assert "<b>&lt;b&gt;&amp;</b>" in sari.all_text()
    await sari.say("jalan rusak parah depan pasar")  # typed at the kind step: joined and kept
    assert (await conversation_state(app, 1003))[1]["description"] == "<b>& jalan rusak parah depan pasar"


async def test_each_kind_asks_its_own_question(person, app):
    asks = {}
    for uid, kind in ((1001, "Pengaduan"), (1002, "Aspirasi"), (1003, "Permintaan informasi")):
        p = person(uid, "Warga")
        await p.say("/lapor")
        await p.press(kind)
        asks[kind] = p.last_text()
    assert "apa masalahnya, di mana, sejak kapan" in asks["Pengaduan"]
    assert "gagasan atau usulan" in asks["Aspirasi"] and "lebih baik" in asks["Aspirasi"]
    assert "Informasi apa yang Anda perlukan, dan untuk keperluan apa" in asks["Permintaan informasi"]
    assert not any("sejak kapan" in asks[k] for k in ("Aspirasi", "Permintaan informasi"))
    tom = person(1004, "Tom", language_code="en")
    await tom.say("/lapor")
    await tom.press("Suggestion")
    assert "what it would improve" in tom.last_text()


async def test_aspiration_takes_photos_and_place_in_one_optional_step(person, app):
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Aspirasi")
    await rina.say("Usul taman baca di balai RT 05 Loktabat Utara untuk anak-anak")
    ask, inline = rina.messages()[-2], rina.messages()[-1]
    assert "foto atau tempat" in ask.text and ask.reply.keyboard[0][0].request_location
    assert [b.text for row in ask.reply.keyboard for b in row] == ["📍 Kirim lokasi"]
    assert inline.labels() == ["Lewati ➡️", "✖️ Batal"]
    await rina.send_photo()
    assert "Foto diterima (1/" in rina.last_text() and "Lanjut ➡️" in rina.last_labels()
    assert (await conversation_state(app, 1001))[0] == "cx.extras"
    await rina.send_location(-3.4424, 114.8301)
    assert (await conversation_state(app, 1001))[0] == "cx.agency"
    await rina.press("tidak yakin")
    await rina.press("Biasa")
    labels = rina.last_labels()
    assert "📎 Foto/tempat" in labels and "📷 Foto" not in labels and "📍 Lokasi" not in labels
    await rina.press("Foto/tempat")
    assert (await conversation_state(app, 1001))[0] == "cx.extras"
    await rina.say("ab")  # too short for an address: said, the step stays
    assert "Alamat harus 3–300 karakter" in rina.last_text()
    await rina.say("Balai RT 05 <Loktabat> & sekitarnya")
    summary = rina.last_text()
    assert "Ringkasan laporan" in summary and "Balai RT 05 &lt;Loktabat&gt; &amp; sekitarnya" in summary
    await rina.press("Kirim laporan")
    [c] = await complaints_in(app)
    assert (c.kind, len(c.photos), c.latitude, c.address) == ("aspirasi", 1, -3.4424,
                                                              "Balai RT 05 <Loktabat> & sekitarnya")
    budi = person(1002, "Budi")
    await budi.say("/lapor")
    await budi.press("Permintaan informasi")
    await budi.say("Apa syarat membuat akta kelahiran untuk anak yang lahir di rumah?")
    skip = next(d for s in budi.messages() for row in s.reply.buttons for b in row
                if (d := b.data or "").startswith("cx:ex:"))
    await budi.press("Lewati")
    assert "Tanpa foto dan tempat" in budi.all_text() and "instansi" in budi.last_text()
    assert "sudah tidak berlaku" in await budi.press_stale(skip)  # the skip again, from an old message
    assert (await conversation_state(app, 1002))[0] == "cx.agency"
    await budi.press("tidak yakin")
    await budi.press("Biasa")
    await budi.press("Jenis")
    await budi.press("Pengaduan")  # now a complaint: photos and place are separate edits again
    assert "📷 Foto" in budi.last_labels() and "📍 Lokasi" in budi.last_labels()


async def test_citizens_see_the_address_and_a_map_link_never_raw_coordinates(person, app, channel):
    rina = person(1001, "Rina")
    await rina.send_location(-3.4424, 114.8301)  # shared before anything else: a report starts with it
    await rina.press("Pengaduan")
    await rina.say(POTHOLE)
    await rina.press("Lewati")
    await rina.say("Jl. A. Yani km 33 <depan> SDN 1 & pasar")
    await rina.press(PUPR)
    await rina.press("Biasa")
    summary = rina.last_text()
    link = '<a href="https://www.openstreetmap.org/?mlat=-3.442400&amp;mlon=114.830100#map=18/-3.442400/114.830100">'
    assert "Jl. A. Yani km 33 &lt;depan&gt; SDN 1 &amp; pasar · " + link + "📍 lihat di peta</a>" in summary
    await rina.press("Kirim laporan")
    await rina.press("Lihat status")
    card = rina.last_text()
    assert link in card and "Jl. A. Yani km 33 &lt;depan&gt;" in card
    for text in (summary, card):
        assert "titik" not in text and "-3.44240" not in text.replace(link, "")
    tom = person(1002, "Tom", language_code="en")
    await tom.say("/status BJB-2026-000001")
    assert "📍 see on the map</a>" in tom.last_text()


async def test_the_location_step_offers_one_skip(person, app):
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say(POTHOLE)
    await rina.press("Lewati")  # photos
    ask, inline = rina.messages()[-2], rina.messages()[-1]
    keys = [b.text for row in ask.reply.keyboard for b in row]
    assert keys == ["📍 Kirim lokasi"]  # the keyboard only shares a location
    assert [lbl for lbl in keys + inline.labels() if "Lewati" in lbl] == ["Lewati ➡️"]
    await rina.say("lewati")  # typing it still works
    assert (await conversation_state(app, 1001))[0] == "cx.agency"
    assert rina.messages()[-2].reply.remove_keyboard


async def test_bad_input_on_the_description_step_keeps_the_flow(person, app):
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    for text, expected in [("", "belum diisi"), ("   ", "belum diisi"), ("pendek", "terlalu pendek"),
                           ("x" * 5000, "5000 karakter, maksimal 4000")]:
        await rina.say(text)
        assert expected in rina.last_text(), text
        assert (await conversation_state(app, 1001))[0] == "cx.desc"
    await rina.send_photo()
    assert "Foto disimpan (1)" in rina.last_text()
    await rina.send_document("laporan.pdf", b"%PDF", mime="application/pdf")
    assert "Hanya foto atau berkas gambar" in rina.last_text()
    await rina.say("<script>alert(1)</script> lampu jalan mati 🙂🔥 & gelap")
    st, data = await conversation_state(app, 1001)
    assert st == "cx.photos" and data["description"].startswith("<script>") and len(data["photos"]) == 1
    assert "<script>" not in rina.all_text()


async def test_documents_too_big_or_not_images_are_refused_and_the_step_stays(person, app):
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say(POTHOLE)
    await rina.send_document("video.mp4", b"x", size=30 * 1024 * 1024, mime="video/mp4")
    assert "terlalu besar (30 MB); maksimal 20 MB" in rina.last_text()
    await rina.send_document("foto.png", b"x", size=30 * 1024 * 1024, mime="image/png")
    assert "terlalu besar" in rina.last_text()
    await rina.send_document("data.xlsx", b"x", mime="application/vnd.ms-excel")
    assert "Hanya foto" in rina.last_text()
    assert (await conversation_state(app, 1001))[0] == "cx.photos"
    await rina.send_document("foto.png", b"\x89PNG", mime="image/png")
    await rina.say("halo ini bukan foto")
    assert "menunggu foto" in rina.last_text()
    await rina.press("Lanjut")
    assert [k for k, _ in (await conversation_state(app, 1001))[1]["photos"]] == ["document"]
    await rina.say("ab")  # too short for an address
    assert "Alamat harus 3–300 karakter" in rina.last_text()
    await rina.say("Jl. A. Yani km 33, Kelurahan Loktabat Selatan")
    assert (await conversation_state(app, 1001))[0] == "cx.agency"


async def test_typing_at_the_agency_step_searches_and_all_agencies_are_reachable(person, app):
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Aspirasi")
    await rina.say("Mohon ditambah jadwal layanan di malam hari")
    await rina.press("Lewati")  # photos and place: one optional step for an aspiration
    assert "Pilih instansi" in rina.last_text()  # nothing suggested: every agency is offered
    await rina.say("ktp")
    assert rina.last_labels()[0] == "Dinas Kependudukan dan Pencatatan Sipil"
    await rina.press("Semua instansi")
    assert "Satuan Polisi Pamong Praja" in rina.last_labels()


async def test_summary_edit_returns_to_the_summary(person, app):
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say(POTHOLE)
    await rina.press("Lewati")
    await rina.press("Lewati")
    await rina.press(PUPR)
    await rina.press("Biasa")
    await rina.press("Uraian")
    await rina.say("Jembatan kayu di Sungai Besar patah, warga tidak bisa lewat")
    assert "Ringkasan laporan" in rina.last_text() and "Jembatan kayu" in rina.last_text()
    await rina.press("Privasi")
    await rina.press("Rahasia")
    assert "Rahasia" in rina.last_text()
    await rina.press("Jenis")
    await rina.press("Aspirasi")
    assert "Aspirasi" in rina.last_text() and "Ringkasan" in rina.last_text()


async def test_duplicate_offers_to_follow_the_existing_report(person, app, channel):
    rina, budi = person(1001, "Rina"), person(1002, "Budi")
    number = await file_report(rina)
    await budi.say("/lapor")
    await budi.press("Pengaduan")
    await budi.say("Ada jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya sekali")
    await budi.press("Lewati")
    await budi.press("Lewati")
    await budi.press(PUPR)
    await budi.press("Biasa")
    await budi.press("Kirim laporan")
    assert "laporan serupa" in budi.last_text() and number in budi.last_text()
    await budi.press(f"Ikuti {number}")
    assert "mengikuti laporan" in budi.last_text()
    assert len(await complaints_in(app)) == 1
    officer = person(OFFICER, "Budi (Dinas PUPR)")
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Verifikasi")
    await officer.press("Tanpa catatan")
    await deliver(app, channel)
    assert f"Laporan yang Anda ikuti, <b>{number}</b>: status kini <b>Diverifikasi</b>" in budi.last_text()
    await budi.press("Berhenti mengikuti")
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(ComplaintFollower))).first() is None


async def test_duplicate_can_be_sent_anyway(person, app):
    rina, budi = person(1001, "Rina"), person(1002, "Budi")
    await file_report(rina)
    await file_report(budi, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya sekali")
    assert len(await complaints_in(app)) == 2


async def test_status_lookup_by_anyone_and_confidential_only_for_the_reporter(person, app):
    rina, budi = person(1001, "Rina Sekarwati"), person(1002, "Budi")
    public = await file_report(rina)
    secret = await file_report(rina, "Dugaan pungli di loket pelayanan kelurahan setiap pagi", agency=None,
                               privacy="Rahasia")
    await budi.say(f"/status {public.lower()}")
    text = budi.last_text()
    assert public in text and "Diterima" in text and "Riwayat" in text and "Rina" not in text
    assert "🔔 Ikuti" in budi.last_labels() and "💬 Balas" not in budi.last_labels()
    await budi.say(f"/status {secret}")
    assert "bersifat rahasia" in budi.last_text() and "pungli" not in budi.last_text()
    await budi.say("/status BJB-2026-999999")
    assert "tidak ditemukan" in budi.last_text()
    await budi.say("/status nomor saya")
    assert "bukan nomor laporan" in budi.last_text()
    assert (await conversation_state(app, 1002))[0] == "cx.lookup"  # another try is welcome
    await budi.say(public)
    assert "Riwayat" in budi.last_text() and (await conversation_state(app, 1002))[0] is None
    await rina.say(f"/status {secret}")
    assert "pungli" in rina.last_text() and "💬 Balas" in rina.last_labels()
    await budi.press_data("cx:fw:2")  # a forged id: the same answer as for an id that does not exist
    assert "tidak ditemukan" in budi.last_text() and secret not in budi.last_text()


async def test_status_refuses_a_non_number_once_then_free_text_means_what_it_says(person, app):
    rina = person(1001, "Rina")
    number = await file_report(rina)
    budi = person(1002, "Budi")
    await budi.say("/status")
    await budi.say("halo")
    assert "bukan nomor laporan" in budi.last_text()  # said once
    await budi.say("halo")
    assert "Menu utama" in budi.last_text() and "bukan nomor" not in budi.last_text()
    assert (await conversation_state(app, 1002))[0] is None
    await budi.say("/status BJB-2026-999999")
    assert "tidak ditemukan" in budi.last_text()
    await budi.say("bjb-2026-999998")  # still a number: another real try
    assert "tidak ditemukan" in budi.last_text()
    await budi.say("jalan rusak di depan rumah saya")
    assert "bukan nomor" not in budi.all_text().split("999998")[-1]
    st, data = await conversation_state(app, 1002)
    assert st == "cx.kind" and data["description"] == "jalan rusak di depan rumah saya"
    await budi.say("/status <b>&")
    await budi.say(f"nomornya {number} ya")  # not the shape of a number: passed on, never crashes
    assert (await conversation_state(app, 1002))[0] != "cx.lookup"


async def test_my_reports_lists_and_pages(person, app, clock, settings):
    rina = person(1001, "Rina")
    await rina.say("/aduanku")
    assert "belum punya laporan" in rina.last_text()
    for i in range(9):
        await file_report(rina, f"Lampu jalan mati di gang {i} sejak minggu lalu, gelap", agency="Dinas Perhubungan")
        clock.advance(minutes=13)  # stay under five an hour
    await rina.say("/aduanku")
    assert "Halaman 1/2 · 9 laporan" in rina.last_text()
    await rina.press("Berikutnya")
    assert "Halaman 2/2" in rina.last_text() and "BJB-2026-000001" in rina.last_text()
    await rina.press("BJB-2026-000001")
    assert "Riwayat" in rina.last_text()


async def test_reply_reaches_the_agency(person, app, channel):
    rina = person(1001, "Rina")
    await file_report(rina)
    await rina.press("Lihat status")
    await rina.press("Balas")
    await rina.send_photo()
    assert "bentuk teks" in rina.last_text()
    await rina.say("Lubangnya makin besar <setelah> hujan & ada motor jatuh")
    assert "terkirim" in rina.last_text()
    sent = await deliver(app, channel)
    assert (OFFICER, "cx.reply") in sent
    officer = person(OFFICER, "Budi (Dinas PUPR)")
    assert "&lt;setelah&gt; hujan &amp; ada motor" in officer.last_text()
    assert_valid_html(channel)


async def test_answer_then_not_fixed_reopens_and_tells_the_agency_then_rating(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    number = await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    assert number in officer.last_text()
    await officer.press("Verifikasi")
    await officer.say("Laporan lengkap")
    await officer.press("Proses")
    await officer.press("Tanpa catatan")
    await officer.press("Jawab")
    await officer.say("Lubang sudah ditambal tanggal 24 November")
    assert "Pratinjau" in officer.last_text() and "Lubang sudah ditambal" in officer.last_text()
    assert "cx.answer" not in [t for _, t in await deliver(app, channel)]  # nothing before "Kirim"
    await officer.press("Kirim ke pelapor")
    assert "Dijawab" in officer.all_text()
    await deliver(app, channel)
    assert "Lubang sudah ditambal" in rina.last_text()
    await rina.press("Belum beres")  # asks first (the old one tap reopened at once)
    assert "Buka kembali laporan" in rina.last_text() and "Diproses" in rina.last_text()
    assert (await complaints_in(app))[0].status == "dijawab"
    await rina.press("Ya, buka kembali")
    assert "Laporan dibuka kembali" in rina.last_text()
    sent = await deliver(app, channel)
    assert (OFFICER, "cx.reopened") in sent and "belum beres" in officer.last_text()
    await rina.press("Jelaskan")
    await rina.say("Masih ada lubang di sisi kiri jalan")
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Jawab")
    await officer.say("Sisi kiri sudah ditambal juga")
    await officer.press("Kirim ke pelapor")
    await deliver(app, channel)
    await rina.press("Sudah beres")
    assert "Laporan ditutup" in rina.last_text()
    await deliver(app, channel)
    assert "Seberapa puas" in rina.last_text()
    await rina.press("4⭐")
    await rina.say("Cepat ditangani, terima kasih")
    assert "tercatat" in rina.last_text()
    await rina.press_data("cx:rt:1:5")
    assert "sudah Anda nilai" in rina.last_text()
    [c] = await complaints_in(app)
    assert (c.status, c.rating, c.rating_comment) == ("ditutup", 4, "Cepat ditangani, terima kasih")
    assert_valid_html(channel)


async def test_rate_limit_asks_to_wait_and_keeps_the_draft(person, app, clock):
    rina = person(1001, "Rina")
    for i in range(5):
        await file_report(rina, f"Sampah menumpuk di TPS pasar blok {i}, bau sekali", agency="Dinas Lingkungan Hidup")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say("Selokan mampet di Jalan Kenanga, air meluap ke rumah")
    await rina.press("Lewati")
    await rina.press("Lewati")
    await rina.press(PUPR)
    await rina.press("Biasa")
    await rina.press("Kirim laporan")
    assert "tunggu sekitar" in rina.last_text() and "tetap tersimpan" in rina.last_text()
    st, data = await conversation_state(app, 1001)
    assert st == "cx.confirm" and data["description"] == "Selokan mampet di Jalan Kenanga, air meluap ke rumah"
    clock.advance(hours=1)
    await rina.press("Kirim laporan")
    assert "BJB-2026-000006" in rina.last_text()


async def test_stale_buttons_get_a_clear_answer(person, app, channel):
    rina = person(1001, "Rina")
    number = await file_report(rina)
    before = len(await complaints_in(app))
    # "Kirim" on the old summary: the report was sent, so the answer is its number, not "stale".
    await rina.press_data(rina.messages()[-2].reply.buttons[0][0].data or "")
    assert "sudah terkirim" in rina.last_text() and number in rina.last_text()
    await rina.say("/lapor")
    first_kind = rina.last_labels()[0]
    old = rina.messages()[-1].reply.buttons[0][0].data
    await rina.say("/lapor")  # a new draft: the old message's buttons are dead
    assert "sudah tidak berlaku" in await rina.press_stale(old or "")
    assert first_kind == "📢 Pengaduan"
    for junk in ("cx:v:abc", "cx:rt:1", "cxo:o:x", "cx:ag:zz:1", "cx:erase:yes"):
        await rina.press_data(junk)
        assert rina.last_text()
    assert len(await complaints_in(app)) == before


async def test_unknown_kinds_of_messages_on_each_step(person, app):
    from handlers.kit import Kind

    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.send(rina._inc(Kind.OTHER))
    assert "pilih dengan tombol" in rina.last_text() or "pilih dengan tombol" in rina.all_text()
    await rina.say("pengaduan saja")  # the kind typed instead of pressed
    assert (await conversation_state(app, 1001))[0] == "cx.desc"
    await rina.send(rina._inc(Kind.OTHER))
    assert "bentuk teks" in rina.last_text()
    assert (await conversation_state(app, 1001))[0] == "cx.desc"


async def test_officer_returns_a_wrongly_routed_report_and_hr_routes_it(person, app, channel):
    rina, officer, hr = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)"), person(HR, "Ahmad (BKPSDM)")
    await file_report(rina, "Sampah di pinggir jalan raya tidak diangkut seminggu", agency=PUPR)
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Salah disposisi")
    await officer.say("Ini urusan Dinas Lingkungan Hidup")
    assert "dikembalikan ke BKPSDM" in officer.last_text()
    await deliver(app, channel)
    assert "Ini urusan Dinas Lingkungan Hidup" in hr.last_text()
    await hr.press("Disposisikan")
    await hr.press("Dinas Lingkungan Hidup")
    assert "Didisposisikan ke <b>Dinas Lingkungan Hidup</b>" in hr.last_text()
    [c] = await complaints_in(app)
    assert c.status == "didisposisikan"
    notes = await deliver(app, channel)
    assert (1001, "cx.status") in notes
    assert "Ini urusan" not in rina.all_text()  # why it was returned is between staff
    await officer.press_data(f"cxo:o:{c.id}")
    assert "bukan wewenang instansi Anda" in officer.last_text()


async def test_hr_queue_shows_unrouted_reports_and_officer_queue_their_agency(person, app):
    rina, officer, hr = person(1001, "Rina"), person(OFFICER, "Budi"), person(HR, "Ahmad")
    await file_report(rina, agency=None)
    await file_report(rina, "Lampu jalan mati di depan masjid raya, gelap sekali", agency=PUPR)
    await hr.say("/start")
    await hr.press("Laporan masuk")
    assert "1 laporan" in hr.last_text() and "BJB-2026-000001" in hr.last_text()
    await officer.say("/laporanmasuk")
    assert "1 laporan" in officer.last_text() and "BJB-2026-000002" in officer.last_text()
    await rina.say("/laporanmasuk")
    assert "tidak memiliki akses" in rina.last_text()


async def test_officer_sees_photos_as_attachments_and_a_map(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi")
    await file_report(rina, photos=2, location=True)
    await deliver(app, channel)
    await officer.press("Buka")
    photos = [s for s in officer.messages() if s.reply.attachment]
    assert len(photos) == 2 and all(s.reply.attachment.kind == "photo" for s in photos)
    [c] = await complaints_in(app)
    assert [s.reply.attachment.file_id for s in photos] == [p["file_id"] for p in c.photos]
    card = [s for s in officer.messages() if "Riwayat" in s.text][-1]
    assert any(b.url and "openstreetmap" in b.url for row in card.reply.buttons for b in row)


async def test_officer_actions_from_old_buttons_are_refused(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi")
    await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Tolak")
    await officer.press("Bukan wewenang")
    assert "Ditolak" in officer.all_text()
    await officer.press_data("cxo:a:1:verify")
    assert "Tidak bisa dilakukan" in officer.last_text()
    assert "sudah tidak berlaku" in await officer.press_stale("cxo:nn:1:verify")
    await deliver(app, channel)
    assert "Bukan wewenang instansi ini." in rina.last_text()


async def test_erase_my_data(person, app):
    rina = person(1001, "Rina", username="rina_bjb")
    await file_report(rina)
    await rina.say("/start survei_DUKCAPIL-01")
    for _ in range(9):
        await rina.press("4")
    await rina.press("Lewati")
    await rina.say("/hapusdata")
    assert "tidak bisa dibatalkan" in rina.last_text()
    await rina.press("Ya, hapus data saya")
    assert "sudah dihapus" in rina.last_text()
    async with app.db.uow() as uow:
        assert await uow.users.by_external("telegram", 1001) is None
    [c] = await complaints_in(app)
    assert c.reporter_id is None
    async with app.db.uow() as uow:
        [answer] = (await uow.session.execute(select(SurveyResponse))).scalars().all()
        assert answer.user_id is None and answer.q1 == 4  # the index keeps the answer, not the person
    await rina.say("/hapusdata")
    await rina.say("tidak jadi")
    assert "tidak dihapus" in rina.all_text()


async def test_erasing_ones_data_has_a_menu_button_for_the_public_only(person, app):
    rina = person(1001, "Rina")
    await rina.say("/start")
    assert "🗑️ Hapus data saya" in rina.last_labels()
    await rina.press("Hapus data saya")
    assert "tidak bisa dibatalkan" in rina.last_text()
    assert (await conversation_state(app, 1001))[0] == "cx.erase"
    await rina.press("Batal")
    assert "Dibatalkan" in rina.all_text()
    for staff in (HR, OFFICER, 900001):  # BKPSDM, an agency officer, the superadmin
        p = person(staff, "Petugas")
        await p.say("/start")
        assert "🗑️ Hapus data saya" not in p.last_labels(), staff
        await p.press_data("cx:er")  # forged: staff accounts are not erased
        await p.press("Ya, hapus data saya")
        assert "tidak bisa dihapus sendiri" in p.last_text()
    boss = person(900001, "Kepala")
    await boss.say("/start")
    assert "📈 IKM Layanan" in boss.last_labels() and "📥 Laporan masuk" in boss.last_labels()


async def test_english_speaker_gets_english(person, app):
    tom = person(1003, "Tom", language_code="en")
    await tom.say("/lapor")
    assert "Choose its kind" in tom.last_text()
    await tom.press("Complaint")
    await tom.say("The road near the school has a big pothole")
    await tom.press("Skip")
    await tom.press("Skip")
    await tom.press("not sure")
    await tom.press("Normal")
    await tom.press("Send report")
    assert "Report received" in tom.last_text() and "Thursday, 26 November 2026" in tom.last_text()


def test_every_message_key_exists_in_both_languages():
    import handlers.complaints.views as views
    from services.complaints.rules import DESK_ACTIONS, RULES, Actor, Status

    dynamic = ([f"cx.kind.{k}" for k in views.KINDS] + [f"cx.status.{s.value}" for s in Status]
               + [f"cx.privacy.{p}" for p in views.PRIVACY] + [f"cx.btn.privacy.{p}" for p in views.PRIVACY]
               + [f"cx.desk.hidden.{p}" for p in views.PRIVACY] + [f"cx.act.{a}" for a in DESK_ACTIONS]
               + [f"cx.ev.{a}" for a in [*RULES, "file", "reply"]] + [f"cx.actor.{a.value}" for a in Actor]
               + [f"cx.fb.{v}" for v in views.VERDICTS] + [f"cx.btn.fb.{v}" for v in views.VERDICTS])
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    files = [*(root / "handlers" / "complaints").rglob("*.py"), *(root / "services" / "complaints").rglob("*.py")]
    assert len(files) > 10  # the feature's packages, not an empty glob
    source = "".join(p.read_text() for p in files)
    static = set(re.findall(r'"(cx\.[a-z_]+\.[a-z_.]+)"', source)) | {
        "cx.summary", "cx.prefilled", "cx.receipt", "cx.followed_instead", "cx.help"}
    keys = [k for k in static | set(dynamic) if not k.endswith(".")]
    for lang in ("id", "en"):
        missing = [k for k in keys if k not in catalog(lang)]
        assert not missing, (lang, missing)


async def test_a_photo_or_location_out_of_the_blue_starts_a_report(person, app):
    rina = person(1001, "Rina")
    await rina.send_photo(caption="Lampu jalan di gang Mawar mati sudah seminggu")
    assert "Lampu jalan di gang Mawar" in rina.all_text() and "Pilih jenisnya" in rina.last_text()
    await rina.press("Pengaduan")
    st, data = await conversation_state(app, 1001)
    assert st == "cx.photos" and len(data["photos"]) == 1 and data["description"].startswith("Lampu jalan")
    bob = person(1002, "Bob")
    await bob.send_location(-3.45, 114.84)
    assert "Saya simpan kiriman Anda" in bob.all_text()
    assert (await conversation_state(app, 1002))[1]["latitude"] == -3.45


async def test_hr_edits_routing_keywords_and_suggestions_follow(person, app):
    hr, officer = person(HR, "Ahmad"), person(OFFICER, "Budi")
    await hr.say("/opd")
    assert "PUPR" in hr.last_text() and "jalan berlubang" in hr.last_text()
    await hr.say("/opd DISHUB halte rusak, lampu lalu lintas, <parkir>")
    assert "halte rusak, lampu lalu lintas, &lt;parkir&gt;" in hr.last_text()
    check_html(hr.last_text())
    await hr.say("/opd <NOPE> a, b")
    assert "<b>NOPE</b> tidak ada" in hr.last_text()
    await hr.say("/opd DISHUB ,,,")
    assert "dipisah koma" in hr.last_text()
    await officer.say("/opd PUPR jalan")
    assert "tidak memiliki akses" in officer.last_text()
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    await rina.say("Halte rusak di depan terminal, atapnya bocor")
    await rina.press("Lewati")
    await rina.press("Lewati")
    assert rina.last_labels()[0] == "Dinas Perhubungan"


async def test_desk_flags_reports_past_their_first_response_date(person, app, clock):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi")
    await file_report(rina)
    await officer.say("/laporanmasuk")
    assert "Lewat batas" not in officer.last_text()
    clock.advance(days=4)  # Monday → Friday: past Thursday's deadline
    await officer.say("/laporanmasuk")
    assert "⏰ <b>Lewat batas tanggapan</b> (Kamis, 26 November 2026)" in officer.last_text()


async def test_whatever_is_sent_on_a_button_step_is_kept(person, app):
    rina = person(1001, "Rina")
    await rina.say("/lapor")
    await rina.say("Trotoar di Jalan Panglima Batur rusak dan berlubang")  # typed before picking a kind
    assert "Saya catat uraian Anda" in rina.all_text()
    await rina.press("Pengaduan")
    assert (await conversation_state(app, 1001))[0] == "cx.photos"
    await rina.press("Lewati")
    await rina.press("Lewati")
    await rina.send_photo()  # on the agency step
    assert "Foto ditambahkan (1)" in rina.all_text() and "instansi" in rina.last_text()
    await rina.press(PUPR)
    await rina.send_location(-3.44, 114.83)  # on the privacy step
    await rina.press("Biasa")
    summary = rina.last_text()
    assert "Foto: 1" in summary and 'href="https://www.openstreetmap.org/?mlat=-3.440000&amp;mlon=114.830000' in summary


# --- no dead ends ------------------------------------------------------------------------------------

DLH = "Dinas Lingkungan Hidup"  # no officer in the demo data


async def outbox_templates(app) -> list[tuple[int, str]]:
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [(r.user_id, r.template) for r in rows]


async def test_hr_routing_to_an_agency_without_officer_is_warned_and_the_report_stays_in_view(
        person, app, channel):
    rina, hr, officer = person(1001, "Rina"), person(HR, "Ahmad (BKPSDM)"), person(OFFICER, "Budi (Dinas PUPR)")
    number = await file_report(rina, "Sampah menumpuk di TPS pasar <blok A> & bau 🤢", agency=None)
    await deliver(app, channel)
    await hr.press("Buka")
    await hr.press("Disposisikan")
    assert "belum punya petugas" in hr.last_text()  # warned while choosing
    assert f"⚠️ {DLH}" in hr.last_labels() and PUPR in hr.last_labels()
    await hr.press(DLH)
    text = hr.last_text()
    assert f"Didisposisikan ke <b>{DLH}</b>" in text and "tidak ada petugas yang diberi tahu" in text
    assert "petugasnya sudah diberi tahu" not in text  # the old, false claim
    await hr.say("/laporanmasuk")  # still in a queue: HR's, marked
    assert number in hr.last_text() and f"Tanpa petugas</b> di {DLH}" in hr.last_text()
    await hr.press(number)
    assert "Tanpa petugas" in hr.last_text() and "&lt;blok A&gt; &amp; bau 🤢" in hr.last_text()
    await hr.press("Disposisikan")
    await hr.press(PUPR)
    assert "petugasnya sudah diberi tahu" in hr.last_text()
    assert (OFFICER, "cx.new") in await deliver(app, channel)
    await officer.say("/laporanmasuk")
    assert number in officer.last_text()
    await hr.say("/laporanmasuk")
    assert number not in hr.last_text()
    await hr.press_data("cxo:to:1:1")  # a forged re-route now that PUPR's officer holds it
    assert "Tidak bisa dilakukan" in hr.last_text()
    [c] = await complaints_in(app)
    assert c.agency_id is not None and c.status == "didisposisikan"


async def test_a_citizen_choosing_an_agency_without_officer_is_told_and_hr_gets_it(person, app, channel):
    rina, hr = person(1001, "Rina"), person(HR, "Ahmad (BKPSDM)")
    number = await file_report(rina, "Sampah menumpuk di TPS pasar, bau sekali sampai ke rumah", agency=DLH)
    assert f"Diteruskan ke: <b>{DLH}</b>" in rina.last_text() and "BKPSDM menerimanya" in rina.last_text()
    assert (HR, "cx.new") in await deliver(app, channel)
    assert f"<b>{DLH}</b>, yang belum punya petugas" in hr.last_text()
    await hr.say("/laporanmasuk")
    assert number in hr.last_text() and "Tanpa petugas" in hr.last_text()
    await hr.press(number)
    assert any("Disposisikan" in label for label in hr.last_labels())
    # To a staffed agency the receipt says nothing of the kind.
    await file_report(rina, "Jalan berlubang di Jalan Kenanga dekat pasar, bahaya", agency=PUPR)
    assert "BKPSDM menerimanya" not in rina.last_text()


async def test_an_officer_answers_a_new_report_directly_after_a_preview(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    number = await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    assert "Jawab" in " ".join(officer.last_labels())  # no Verifikasi → Tanpa catatan first
    await officer.press("Jawab")
    await officer.say("   ")
    assert "Pesannya kosong" in officer.last_text()
    await officer.say("x" * 4001)
    assert "4001 karakter, maksimal 4000" in officer.last_text()
    assert (await conversation_state(app, OFFICER))[0] == "cxo.note"  # the step stays open
    answer = "Sudah ditambal <b>hari ini</b> & dicek 🚧"
    await officer.say(answer)
    preview = officer.last_text()
    assert "Pratinjau" in preview and "&lt;b&gt;hari ini&lt;/b&gt; &amp; dicek 🚧" in preview
    st, data = await conversation_state(app, OFFICER)
    assert (st, data["text"]) == ("cxo.preview", answer)  # durable between preview and send
    [c] = await complaints_in(app)
    assert c.status == "diterima" and "cx.answer" not in [t for _, t in await outbox_templates(app)]
    await officer.press("Ubah")
    assert "&lt;b&gt;hari ini" in officer.last_text()  # the text to copy from
    await officer.say("Jawaban yang salah")
    await officer.press("Batal")
    assert "tidak ada yang terkirim" in officer.last_text()
    # "Kirim" on the dropped preview
    assert "sudah tidak berlaku" in await officer.press_stale(f"cxo:snd:{c.id}")
    assert "cx.answer" not in [t for _, t in await outbox_templates(app)]
    await officer.press("Buka")
    await officer.press("Jawab")
    await officer.say(answer)
    assert "sudah tidak berlaku" in await officer.press_stale(f"cxo:snd:{c.id + 1}")  # forged: another report's id
    await officer.press("Kirim ke pelapor")
    assert "Dijawab" in officer.all_text()
    assert "sudah tidak berlaku" in await officer.press_stale(f"cxo:snd:{c.id}")  # pressed twice: goes out once
    assert [t for _, t in await outbox_templates(app)].count("cx.answer") == 1
    await deliver(app, channel)
    citizen = rina.last_text()
    assert citizen in preview  # exactly what was previewed
    assert number in citizen
    [c] = await complaints_in(app)
    assert c.status == "dijawab"
    card_text = [s.text for s in officer.messages() if "Riwayat" in s.text][-1]
    assert "Diverifikasi" in card_text  # the implied verification is in the history


async def test_resolve_and_close_say_what_they_do(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    assert "<b>Selesai</b>" not in officer.last_text()  # neither button on the card yet
    await officer.press("Verifikasi")
    await officer.press("Tanpa catatan")
    await officer.press("Proses")
    await officer.press("Tanpa catatan")
    assert "<b>Selesai</b>: masalahnya sudah ditangani" in officer.last_text()
    await officer.press("Selesai")
    assert "dalam 14 hari" in officer.last_text() and "“belum beres”" in officer.last_text()
    await officer.press("Tanpa catatan")
    await officer.press("Tutup")
    assert "diminta menilai layanan" in officer.last_text()
    tom = person(OFFICER, "Budi", language_code="en")
    await tom.say("/bahasa en")
    await tom.press_data("cxo:o:1:np")
    assert "<b>Close</b>: handling ends" in tom.last_text()


async def test_reopening_asks_first_and_repeated_presses_get_the_current_state(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    number = await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Jawab")
    await officer.say("Sudah ditambal")
    await officer.press("Kirim ke pelapor")
    await deliver(app, channel)
    await rina.press("Sudah beres")
    assert "Laporan ditutup" in rina.last_text() and "Sebentar lagi" in rina.last_text()
    await rina.press("Sudah beres")  # twice: the state, and no second promise
    assert f"<b>{number}</b> saat ini berstatus <b>Ditutup</b>" in rina.last_text()
    assert "Sebentar lagi" not in rina.last_text()
    assert [t for u, t in await outbox_templates(app)].count("cx.rate") == 1
    await rina.press("Belum beres")  # a closed report: asked before it reopens
    assert "Buka kembali laporan" in rina.last_text()
    assert (await complaints_in(app))[0].status == "ditutup"
    await rina.press("Tidak, biarkan")
    assert "Ditutup" in rina.last_text() and (await complaints_in(app))[0].status == "ditutup"
    await rina.press("Ya, buka kembali")
    assert "dibuka kembali" in rina.last_text() and (await complaints_in(app))[0].status == "diproses"
    await rina.press("Ya, buka kembali")  # the confirmation twice: reopened once
    assert "saat ini berstatus <b>Diproses</b>" in rina.last_text()
    await rina.press_data("cx:fb:1:maybe:y")  # garbage verdict
    assert (await complaints_in(app))[0].status == "diproses"
    assert [t for u, t in await outbox_templates(app)].count("cx.reopened") == 1
    budi = person(1002, "Budi")
    await budi.press_data("cx:fb:1:not:y")  # not his report
    assert (await complaints_in(app))[0].status == "diproses"
