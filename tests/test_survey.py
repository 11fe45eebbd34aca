"""The IKM survey: services on each database, flows through the router, QR codes, the migration."""

from __future__ import annotations

import asyncio
import io
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import qrcode
from babel.messages.pofile import read_po
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M
from sqlalchemy import func, select

from db.models import SurveyResponse
from services.errors import DomainError, Forbidden, InvalidInput, NotFound
from services.survey import qr, reports
from services.survey import responses as survey_responses
from services.survey import units as survey_units
from services.users import Person as PersonDTO
from tests.harness import conversation_state

WITA = ZoneInfo("Asia/Makassar")
KTP = "Loket Pelayanan KTP-el"
HR, OFFICER = 700003, 700004  # demo personas: BKPSDM and Dinas PUPR


async def answer_all(p, values):
    for v in values:
        await p.press(f"{v} · ")


async def responses(app) -> list[SurveyResponse]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(SurveyResponse).order_by(SurveyResponse.id))).scalars())


def sent_data(p) -> list[str]:
    return [b.data for s in p.messages() for row in s.reply.buttons for b in row if b.data]


# --- flows ---------------------------------------------------------------------------------

async def test_full_response_with_buttons_back_and_comment(person, app):
    rina = person(1001, "Rina")
    await rina.say("/start")
    await rina.press("Survei Kepuasan")
    assert "Pilih unit layanan" in rina.last_text()
    await rina.press(KTP)
    text = rina.last_text()
    assert "Pertanyaan 1 dari 9 · Persyaratan" in text and "Dinas Kependudukan" in text
    assert rina.last_labels()[:4] == ["1 · Tidak sesuai", "2 · Kurang sesuai", "3 · Sesuai", "4 · Sangat sesuai"]
    await rina.press("4 · ")
    await rina.press("1 · ")  # U2, a mistake…
    assert "Pertanyaan 3 dari 9" in rina.last_text()
    await rina.press("Sebelumnya")
    assert "Pertanyaan 2 dari 9" in rina.last_text() and "kemudahan prosedur" in rina.last_text()
    await answer_all(rina, [3, 3])
    assert "Biaya/tarif" in rina.last_text() and "4 · Gratis" in rina.last_labels()
    await answer_all(rina, [4, 3, 4, 4, 2, 3])
    assert "Terakhir (opsional)" in rina.last_text()
    assert await responses(app) == []  # nothing stored before the end
    await rina.say("Antrean cepat, petugas ramah 👍")
    assert "Terima kasih" in rina.last_text() and "Loket Pelayanan KTP-el dan Kartu Keluarga" in rina.last_text()
    [row] = await responses(app)
    assert row.answers == (4, 3, 3, 4, 3, 4, 4, 2, 3)
    assert row.comment == "Antrean cepat, petugas ramah 👍"
    assert row.local_date == date(2026, 11, 23)
    assert await conversation_state(app, 1001) == (None, {})


async def test_deep_link_from_a_counter_qr_code_and_skip_comment(person, app):
    budi = person(1002, "Budi")
    await budi.say("/start survei_pkm-lutim")  # any case
    assert "Puskesmas Landasan Ulin Timur" in budi.last_text()
    assert "Pertanyaan 1 dari 9" in budi.last_text()
    await answer_all(budi, [4] * 9)
    await budi.press("Lewati")
    assert "Terima kasih" in budi.last_text()
    [row] = await responses(app)
    assert row.comment is None and row.answers == (4,) * 9


async def test_one_response_per_unit_per_local_day(person, app, clock):
    rina = person()
    await rina.say("/survei DUKCAPIL-01")
    await answer_all(rina, [3] * 9)
    await rina.press("Lewati")
    await rina.say("/start survei_DUKCAPIL-01")
    assert "sudah mengisi survei untuk Loket Pelayanan KTP-el" in rina.last_text()
    assert (await conversation_state(app, 1001))[0] is None
    await rina.say("/survei PKM-LUTIM")  # another unit the same day is fine
    assert "Pertanyaan 1 dari 9" in rina.last_text()
    await rina.say("/batal")
    clock.now = datetime(2026, 11, 23, 15, 59, tzinfo=UTC)  # 23:59 WITA, still the same local day
    await rina.say("/start survei_DUKCAPIL-01")
    assert "sudah mengisi" in rina.last_text()
    clock.now = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # 00:00 WITA on the 24th (UTC: still the 23rd)
    await rina.say("/start survei_DUKCAPIL-01")
    assert "Pertanyaan 1 dari 9" in rina.last_text()
    await answer_all(rina, [2] * 9)
    await rina.press("Lewati")
    assert [r.local_date for r in await responses(app)] == [date(2026, 11, 23), date(2026, 11, 24)]


async def test_unknown_unit_code_is_explained_and_escaped(person):
    rina = person()
    await rina.say("/start survei_NOPE-99")
    assert "kode <code>NOPE-99</code> tidak ditemukan" in rina.last_text()
    assert "📝 Unit lain" in rina.last_labels()
    await rina.say("/survei <script>alert(1)</script>")
    assert "&lt;script&gt;" in rina.last_text() and "<script>" not in rina.last_text()
    await rina.say("/start survei_")
    assert "Pilih unit layanan" in rina.last_text()
    await rina.say("mau isi survei")
    assert "Pilih unit layanan" in rina.last_text()


async def test_comment_with_html_and_emoji_is_stored_raw_and_shown_escaped(person, app):
    rina = person()
    await rina.say("/survei DUKCAPIL-01")
    await answer_all(rina, [4] * 9)
    await rina.say("<b>Mantap</b> & <script>x</script> 🙏🔥")
    assert "Terima kasih" in rina.last_text()
    assert (await responses(app))[0].comment == "<b>Mantap</b> & <script>x</script> 🙏🔥"
    hr = person(HR, "Ahmad")
    await hr.say("/ikm")
    await hr.press("📊 Loket Pelayanan KTP-el dan Kartu Keluarga")
    text = hr.last_text()
    assert "&lt;b&gt;Mantap&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt; 🙏🔥" in text
    assert "• 23 Nov 2026: &lt;b&gt;" in text and "2026-11-23" not in text  # a date as people write it
    assert "<script>" not in text and "Rina" not in text  # anonymous


async def test_long_comment_is_refused_with_the_limit_and_the_flow_stays(person, app):
    rina = person()
    await rina.say("/survei DUKCAPIL-01")
    await answer_all(rina, [3] * 9)
    await rina.say("x" * 5000)
    assert "5000 karakter, paling banyak 1000" in rina.last_text()
    assert "⏭ Lewati" in rina.last_labels()
    state, data = await conversation_state(app, 1001)
    assert state == "survey.comment" and data["sv_ans"] == [3] * 9
    assert await responses(app) == []
    await rina.say("   ")
    assert "Saran Anda kosong" in rina.last_text()
    await rina.send_photo(caption="foto loket")
    assert "hanya bisa berupa teks" in rina.last_text()
    await rina.say("y" * 1000)  # exactly the limit
    assert "Terima kasih" in rina.last_text()
    assert (await responses(app))[0].comment == "y" * 1000


async def test_typing_instead_of_pressing_repeats_the_question(person, app):
    rina = person()
    await rina.say("/survei DUKCAPIL-01")
    await rina.press("4 · ")
    await rina.say("empat")
    assert "menekan salah satu tombol 1–4" in rina.last_text()
    assert "Pertanyaan 2 dari 9" in rina.last_text()
    await rina.send_document("ktp.pdf", b"%PDF", size=30 * 1024 * 1024)
    assert "Pertanyaan 2 dari 9" in rina.last_text()
    assert (await conversation_state(app, 1001))[1]["sv_ans"] == [4]


async def test_stale_and_double_pressed_buttons(person, app, channel):
    rina = person()
    await rina.say("/survei DUKCAPIL-01")
    first_q = [d for d in sent_data(rina) if d.startswith("sva:")]
    await rina.press("4 · ")
    await rina.press_data(first_q[2])  # question 1 again (a double tap): not counted twice
    assert channel.callback_answers[-1][1] == "Pertanyaan itu sudah dijawab"
    assert "Pertanyaan 2 dari 9" in rina.last_text()
    assert (await conversation_state(app, 1001))[1]["sv_ans"] == [4]
    await answer_all(rina, [4] * 8)
    skip = next(d for d in sent_data(rina) if d.startswith("svs:"))
    await rina.press("Lewati")
    # The same survey, already submitted: the pop-up says so, the chat stays as it is.
    assert await rina.press_stale(skip) == "Survei itu sudah selesai atau dibatalkan. Mulai survei baru dengan /survei."
    assert await rina.press_stale(first_q[0]) == "Survei itu sudah selesai atau dibatalkan. Mulai survei baru dengan /survei."
    await rina.say("/survei PKM-LUTIM")
    # A button of the old survey while a new one runs.
    assert await rina.press_stale(first_q[0]) == "Survei itu sudah selesai atau dibatalkan. Mulai survei baru dengan /survei."
    for forged in ("sva:zz", "sva:zz:x:y", "svb", "svs", "svu:abc", "svu:999999", "ikm:u:x"):
        await rina.press_data(forged)
        assert rina.last_text()
    assert len(await responses(app)) == 1


async def test_english_speaker_gets_english_questions(person):
    tom = person(1003, "Tom", language_code="en")
    await tom.say("/survei DUKCAPIL-01")
    assert "Question 1 of 9 · Requirements" in tom.last_text()
    assert "4 · Very suitable" in tom.last_labels()


async def test_hr_sees_ikm_per_unit_with_element_means_and_gets_the_qr(person, app):
    for uid, values in ((1001, [4, 4, 3, 4, 3, 3, 4, 2, 3]), (1002, [3, 3, 3, 4, 3, 3, 3, 3, 3]),
                        (1003, [4, 3, 2, 4, 3, 4, 4, 3, 3]), (1004, [3, 4, 3, 4, 4, 3, 4, 2, 4])):
        p = person(uid, f"Warga {uid}")
        await p.say("/start survei_DUKCAPIL-01")
        await answer_all(p, values)
        await p.press("Lewati")
    hr = person(HR, "Ahmad")
    await hr.say("/start")
    await hr.press("IKM Layanan")
    text = hr.last_text()
    assert "Indeks Kepuasan Masyarakat</b> · tahun 2026" in text
    assert "IKM 82,64 · mutu B (Baik) · 4 responden" in text  # the hand-worked example of test_ikm
    assert "PUPR-PBG" in text and "belum ada responden" in text and "belum disurvei" in text
    assert "◀ 2025" in hr.last_labels()
    assert "📊 Loket Pelayanan KTP-el dan Kartu Keluarga" in hr.last_labels()  # units by name
    assert not any("DUKCAPIL-01" in label for label in hr.last_labels())
    await hr.press("📊 Loket Pelayanan KTP-el dan Kartu Keluarga")
    text = hr.last_text()
    assert "U1 Persyaratan: 3,50" in text and "U3 Waktu penyelesaian: 2,75" in text
    assert "U8 Penanganan pengaduan, saran, dan masukan: 2,50" in text
    assert "IKM 82,64 — mutu B (Baik)</b>, 4 responden" in text
    replies = await hr.press("Kode QR")
    doc = replies[-1].attachment
    assert doc is not None and doc.kind == "document" and doc.filename.startswith("QR-DUKCAPIL-01-")
    assert doc.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert "https://t.me/sapa_bot?start=survei_DUKCAPIL-01" in replies[-1].text
    back = await hr.press("Daftar unit")
    assert "IKM 82,64" in back[-1].text
    older = await hr.press("◀ 2025")
    assert "tahun 2025" in older[-1].text and "82,64" not in older[-1].text
    await hr.say("/ikm 2026-11")
    assert "1 Nov 2026 s.d. 30 Nov 2026" in hr.last_text() and "82,64" in hr.last_text()
    hr_en = person(HR, "Ahmad", language_code="en")
    await hr_en.say("/bahasa en")
    await hr_en.say("/ikm 2026-05")
    assert "1 May 2026" in hr_en.last_text() and "31 May 2026" in hr_en.last_text()
    await hr_en.say("/bahasa id")
    await hr.say("/ikm kemarin")
    assert "Periode tidak dikenali" in hr.last_text()


async def test_ikm_is_refused_to_citizens_and_limited_for_officers(person, app):
    rina = person()
    await rina.say("/ikm")
    assert "tidak memiliki akses" in rina.last_text()
    await rina.press_data("ikm")
    assert "tidak memiliki akses" in rina.last_text()
    await rina.press_data("ikm:qr:1")
    assert "tidak memiliki akses" in rina.last_text()
    await rina.say("/start")
    assert "📝 Survei Kepuasan" in rina.last_labels() and "📈 IKM Layanan" not in rina.last_labels()
    budi = person(OFFICER, "Budi")
    await budi.say("/ikm")
    text = budi.last_text()
    assert "PUPR-PBG" in text and "DUKCAPIL" not in text
    async with app.db.uow() as uow:
        ktp_id = (await uow.survey.unit_by_code("DUKCAPIL-01"))[0].id
    await budi.press_data(f"ikm:u:{ktp_id}:20260101-20261231")
    assert "tidak memiliki akses" in budi.last_text()
    await budi.press_data(f"ikm:qr:{ktp_id}")
    assert "tidak memiliki akses" in budi.last_text()


# --- services ------------------------------------------------------------------------------

async def _person(uow, external_id: int) -> PersonDTO:
    from services.users import identify

    return await identify(uow, channel="telegram", external_id=external_id, chat_id=external_id, name="X",
                          username=None, language_code="id", now=datetime(2026, 11, 23, 2, tzinfo=UTC),
                          admin_ids=[])


async def test_service_submit_is_once_per_local_day_even_without_start(app):
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    async with app.db.uow() as uow:
        rina = await _person(uow, 1001)
        unit = await survey_responses.start(uow, rina, "dukcapil-01", now=now, tz=WITA)
        done = await survey_responses.submit(uow, rina, unit.id, [4] * 9, "  baik  ", now=now, tz=WITA)
        assert done.local_date == date(2026, 11, 23)
        with pytest.raises(InvalidInput) as e:
            await survey_responses.submit(uow, rina, unit.id, [3] * 9, None, now=now, tz=WITA)
        assert e.value.code == "survey.already_today"
        with pytest.raises(InvalidInput):
            await survey_responses.start(uow, rina, "DUKCAPIL-01", now=now, tz=WITA)
        await uow.commit()
    async with app.db.uow() as uow:
        [row] = (await uow.session.execute(select(SurveyResponse))).scalars().all()
        assert row.comment == "baik" and row.created_at == now


async def test_service_refuses_bad_input(app):
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    async with app.db.uow() as uow:
        rina = await _person(uow, 1001)
        with pytest.raises(NotFound) as e:
            await survey_responses.start(uow, rina, "NOPE-1", now=now, tz=WITA)
        assert e.value.code == "survey.unknown_unit" and e.value.params == {"unit_code": "NOPE-1"}
        with pytest.raises(NotFound):
            await survey_responses.start(uow, rina, "../../etc", now=now, tz=WITA)
        unit = await survey_units.unit_by_code(uow, "PKM-LUTIM")
        for bad in ([4] * 8, [5] * 9, [0] * 9):
            with pytest.raises(InvalidInput) as e:
                await survey_responses.submit(uow, rina, unit.id, bad, None, now=now, tz=WITA)
            assert e.value.code == "survey.incomplete"
        with pytest.raises(InvalidInput) as e:
            survey_responses.check_comment("é" * 1001)
        assert e.value.params == {"limit": 1000, "length": 1001}
        assert survey_responses.check_comment(" \n ") is None
        with pytest.raises(NotFound):
            await survey_responses.submit(uow, rina, 999999, [4] * 9, None, now=now, tz=WITA)


async def test_service_ikm_report_roles_and_periods(app):
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    async with app.db.uow() as uow:
        unit = await survey_units.unit_by_code(uow, "DUKCAPIL-01")
        for i, values in enumerate(([4, 4, 3, 4, 3, 3, 4, 2, 3], [3, 3, 3, 4, 3, 3, 3, 3, 3],
                                    [4, 3, 2, 4, 3, 4, 4, 3, 3], [3, 4, 3, 4, 4, 3, 4, 2, 4])):
            p = await _person(uow, 5000 + i)
            await survey_responses.submit(uow, p, unit.id, values, None, now=now, tz=WITA)
        last_year = await _person(uow, 6000)
        await survey_responses.submit(uow, last_year, unit.id, [1] * 9, None, now=datetime(2025, 12, 31, 15, 59, tzinfo=UTC),
                            tz=WITA)  # 23:59 WITA on 31 Dec 2025
        hr = await _person(uow, HR)
        report = {r.unit.code: r for r in await reports.ikm_report(uow, hr, reports.Period.of_year(2026))}
        ktp = report["DUKCAPIL-01"]
        assert ktp.responses == 4 and ktp.result.index == Decimal("82.64") and ktp.result.grade.letter == "B"
        assert report["PUPR-PBG"].result is None and report["PUPR-PBG"].responses == 0
        old = {r.unit.code: r for r in await reports.ikm_report(uow, hr, reports.Period.of_year(2025))}
        assert old["DUKCAPIL-01"].result.index == Decimal("25.00") and old["DUKCAPIL-01"].result.grade.letter == "D"
        officer = await _person(uow, OFFICER)
        assert {r.unit.agency_code for r in await reports.ikm_report(uow, officer, reports.Period.of_year(2026))} == {
            "PUPR"}
        with pytest.raises(Forbidden):
            await reports.unit_detail(uow, officer, unit.id, reports.Period.of_year(2026))
        with pytest.raises(Forbidden):
            await reports.ikm_report(uow, await _person(uow, 1001), reports.Period.of_year(2026))
        detail = await reports.unit_detail(uow, hr, unit.id, reports.Period.of_year(2026))
        assert detail.ikm.result.mean(2) == Decimal("2.75") and detail.comments == []


def test_parse_period():
    today = date(2026, 11, 23)
    P = reports.Period
    assert reports.parse_period("", today) == P.of_year(2026)
    assert reports.parse_period("2025", today) == P(date(2025, 1, 1), date(2025, 12, 31))
    assert reports.parse_period("2024-02", today) == P(date(2024, 2, 1), date(2024, 2, 29))
    assert reports.parse_period("2026-12", today) == P(date(2026, 12, 1), date(2026, 12, 31))
    assert reports.parse_period("2026-01-01 2026-06-30", today) == P(date(2026, 1, 1), date(2026, 6, 30))
    assert reports.parse_period("2026-01-01..2026-06-30", today) == P(date(2026, 1, 1), date(2026, 6, 30))
    for bad in ("kemarin", "2026-13", "2026-06-30 2026-01-01", "1999", "2026-02-30 2026-03-01", "1 2 3"):
        with pytest.raises(InvalidInput):
            reports.parse_period(bad, today)
    p = P(date(2026, 1, 1), date(2026, 6, 30))
    assert P.from_token(p.token) == p and len(f"ikm:u:999999999:{p.token}") <= 64
    with pytest.raises(InvalidInput):
        P.from_token("20260230-20260301")


async def test_units_seeded_and_created_by_hr_only(app):
    async with app.db.uow() as uow:
        codes = [u.code for u in await survey_units.list_units(uow)]
        assert {"DUKCAPIL-01", "PKM-LUTIM", "PUPR-PBG"} <= set(codes)
        await survey_units.seed_units(uow)  # idempotent
        assert len(await survey_units.list_units(uow)) == len(codes)
        hr, rina = await _person(uow, HR), await _person(uow, 1001)
        unit = await survey_units.create_unit(uow, hr, "dlh-tps3r", "  Bank   Sampah  TPS3R ", "DLH")
        assert (unit.code, unit.name, unit.agency_code) == ("DLH-TPS3R", "Bank Sampah TPS3R", "DLH")
        with pytest.raises(Forbidden):
            await survey_units.create_unit(uow, rina, "DLH-2", "Taman Kota", "DLH")
        for code, name, agency, err in (("DLH-TPS3R", "Lagi", "DLH", "survey.unit_exists"),
                                        ("A B", "Nama", "DLH", "survey.bad_unit_code"),
                                        ("X" * 40, "Nama", "DLH", "survey.bad_unit_code"),
                                        ("DLH-3", "ab", "DLH", "survey.bad_unit_name"),
                                        ("DLH-4", "Nama", "NOPE", "survey.unknown_agency")):
            with pytest.raises(DomainError) as e:
                await survey_units.create_unit(uow, hr, code, name, agency)
            assert e.value.code == err


async def test_make_unit_qr_for_the_cli(app):
    async with app.db.uow() as uow:
        name, png = await survey_units.make_unit_qr(uow, "pkm-lutim", "sapa_demo_bot")
        assert name == "Puskesmas-Landasan-Ulin-Timur"
        assert png.startswith(b"\x89PNG")
        with pytest.raises(NotFound):
            await survey_units.make_unit_qr(uow, "NOPE", "sapa_demo_bot")
        with pytest.raises(InvalidInput):
            await survey_units.make_unit_qr(uow, "PKM-LUTIM", "bad name!")


# --- QR codes ------------------------------------------------------------------------------

def _modules(png: bytes, url: str) -> tuple[Image.Image, list[list[bool]], list[list[bool]]]:
    """What the image shows at each module's centre, and what the QR for `url` should show."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=4, box_size=1)
    code.add_data(url)
    code.make(fit=True)
    expected = code.get_matrix()  # includes the quiet zone
    img = Image.open(io.BytesIO(png))
    box = img.width // len(expected)
    gray = img.convert("L")
    seen = [[gray.getpixel((x * box + box // 2, y * box + box // 2)) < 128 for x in range(len(expected))]
            for y in range(len(expected))]
    return img, seen, expected


def test_qr_png_is_a_sensible_png_that_carries_the_link():
    url = qr.survey_link("@sapa_bot", "dukcapil-01")
    assert url == "https://t.me/sapa_bot?start=survei_DUKCAPIL-01"
    png = qr.qr_png(url, "Loket Pelayanan KTP-el dan Kartu Keluarga\nDUKCAPIL-01")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert 2_000 < len(png) < 200_000
    img, seen, expected = _modules(png, url)
    assert img.format == "PNG" and 400 <= img.width <= 1000 and img.height > img.width  # room for the name
    assert seen == expected  # every module where the encoder put it
    caption = img.convert("L").crop((0, img.width, img.width, img.height))
    assert caption.getextrema()[0] < 128  # something dark (the name) is drawn under the code


def test_qr_png_without_a_ttf_font(monkeypatch):
    monkeypatch.setattr(qr, "FONT_CANDIDATES", ("/nonexistent/font.ttf",))
    qr._font.cache_clear()
    try:
        png = qr.qr_png("https://t.me/sapa_bot?start=survei_X1", "Puskesmas " * 30)  # long: wrapped, capped
        img = Image.open(io.BytesIO(png))
        assert img.format == "PNG" and img.height > img.width
    finally:
        qr._font.cache_clear()


@pytest.mark.parametrize(("bot", "payload"), [
    ("sapa_bot", "survei_" + "X" * 58),  # 65 characters
    ("sapa_bot", "survei_A B"),
    ("sapa_bot", "survei_Ä"),
    ("sapa_bot", ""),
    ("sa", "survei_X"),
    ("sapa bot", "survei_X"),
    ("https://evil", "survei_X"),
])
def test_deep_link_validation(bot, payload):
    with pytest.raises(ValueError):
        qr.deep_link(bot, payload)


def test_longest_unit_code_fits_a_deep_link():
    code = "A" + "B" * 31
    assert survey_units.UNIT_CODE.match(code)
    assert qr.survey_link("sapa_bot", code).endswith("survei_" + code)


# --- catalogs and schema -------------------------------------------------------------------

@pytest.mark.parametrize("domain", ["survey", "ikm"])
def test_survey_catalogs_have_the_same_keys_and_placeholders(domain):
    import re

    root = Path(__file__).resolve().parent.parent / "locales"
    cats = {}
    for lang in ("id", "en"):
        with (root / lang / "LC_MESSAGES" / f"{domain}.po").open("rb") as f:
            cats[lang] = {str(m.id): str(m.string) for m in read_po(f) if m.id}
    assert cats["id"].keys() == cats["en"].keys()
    for key, text in cats["id"].items():
        assert text and cats["en"][key], key
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", cats["en"][key])), key


def _migrate_round_trip(url: str) -> list[object]:
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlalchemy.ext.asyncio import create_async_engine

    from db.migrate import downgrade, upgrade
    from db.models import Base

    upgrade(url)
    downgrade(url, "0002")
    upgrade(url)

    async def diff() -> list[object]:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            found = await conn.run_sync(lambda c: compare_metadata(
                MigrationContext.configure(c, opts={"compare_type": True}), Base.metadata))
        await engine.dispose()
        return [d for d in found if "service_units" in repr(d) or "survey_responses" in repr(d)]

    return asyncio.run(diff())


def test_migration_upgrades_downgrades_and_matches_the_models(tmp_path):
    assert _migrate_round_trip(f"sqlite+aiosqlite:///{tmp_path / 'm.db'}") == []


def test_migration_round_trip_on_postgresql(pg_migrated):
    if not pg_migrated:
        pytest.skip("SAPA_TEST_DATABASE_URL not set")
    assert _migrate_round_trip(pg_migrated) == []


async def test_one_per_day_survives_concurrent_submits(app):
    """Two submits racing in separate units of work: the unique key lets one through."""
    now = datetime(2026, 11, 23, 2, tzinfo=UTC)
    async with app.db.uow() as uow:
        rina = await _person(uow, 1001)
        unit = await survey_units.unit_by_code(uow, "DUKCAPIL-01")
        await uow.commit()

    async def attempt() -> bool:
        async with app.db.uow() as uow:
            try:
                await survey_responses.submit(uow, rina, unit.id, [4] * 9, None, now=now, tz=WITA)
            except InvalidInput:
                return False
            await uow.commit()
            return True

    results = await asyncio.gather(attempt(), attempt())
    assert sorted(results) == [False, True]
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(func.count()).select_from(SurveyResponse))).scalar_one() == 1


async def test_ikm_report_pages_many_units_and_skip_after_going_back(person, app, channel):
    async with app.db.uow() as uow:
        hr_dto = await _person(uow, HR)
        for i in range(25):
            await survey_units.create_unit(uow, hr_dto, f"KEC-{i:02d}", f"Kantor Kecamatan {i:02d}", "SATPOLPP")
        await uow.commit()
    hr = person(HR, "Ahmad")
    await hr.say("/ikm")
    labels = hr.last_labels()
    assert "• 1" in labels and "2" in labels and sum(lab.startswith("📊") for lab in labels) == 20
    page2 = await hr.press(data="ikm:20260101-20261231:1")
    assert sum(lab.startswith("📊") for row in page2[-1].buttons for lab in [b.text for b in row]) == 11
    rina = person()
    await rina.say("/survei PKM-LUTIM")
    await answer_all(rina, [4] * 9)
    skip = next(d for d in sent_data(rina) if d.startswith("svs:"))
    await rina.press("Sebelumnya")  # back to question 9 from the comment prompt
    await rina.press_data(skip)
    assert channel.callback_answers[-1][1] == "Pertanyaan itu sudah dijawab"
    assert await responses(app) == []
    await rina.press("1 · ")
    await rina.press("Lewati")
    assert (await responses(app))[0].answers == (4,) * 8 + (1,)


async def test_cancelling_with_answers_given_asks_first(person, app, channel):
    rina = person()
    await rina.say("/survei DUKCAPIL-01")
    await rina.press("Batal")  # nothing answered yet: nothing to lose, no question asked
    assert "Dibatalkan" in rina.all_text() and (await conversation_state(app, 1001))[0] is None
    await rina.say("/survei DUKCAPIL-01")
    await answer_all(rina, [4, 3, 2])
    await rina.press("Batal")
    ask = rina.last_text()
    assert "3 jawaban yang sudah Anda berikan akan dibuang" in ask and "Loket Pelayanan KTP-el" in ask
    assert rina.last_labels() == ["🗑️ Ya, buang 3 jawaban", "▶️ Lanjutkan survei"]
    discard = next(b.data for row in rina.messages()[-1].reply.buttons for b in row if b.data.startswith("svxy:"))
    await rina.press("Lanjutkan survei")
    assert "Pertanyaan 4 dari 9" in rina.last_text()
    assert (await conversation_state(app, 1001))[1]["sv_ans"] == [4, 3, 2]  # nothing lost
    await answer_all(rina, [4] * 6)
    await rina.press("Batal")  # on the comment step: all nine would go
    assert "9 jawaban" in rina.last_text()
    await rina.press("Ya, buang")
    assert "Survei dibatalkan" in rina.last_text() and "Menu utama" in rina.last_text()
    assert (await conversation_state(app, 1001))[0] is None and await responses(app) == []
    assert "sudah selesai atau dibatalkan" in await rina.press_stale(discard)  # the old confirmation again
    for forged in ("svx", "svx:zz", "svxy:", "svk:<b>"):
        assert "sudah selesai atau dibatalkan" in await rina.press_stale(forged)
    tom = person(1003, "Tom", language_code="en")
    await tom.say("/survei DUKCAPIL-01")
    await tom.press("1 · ")
    await tom.press("Cancel")
    assert "Your answers so far (1) will be discarded" in tom.last_text()
    await tom.press("Yes, discard")
    assert "Survey cancelled" in tom.last_text()


# --- the survey and IKM as features ----------------------------------------------------------

def test_survey_and_ikm_are_two_features_with_typed_buttons():
    from handlers.features import bot
    from handlers.survey.steps import Survey

    assembly = bot()
    by_name = {f.name: f for f in assembly.features}
    assert by_name["survey"].flows == (Survey,) and by_name["survey"].repositories["survey"].__name__ == "SurveyRepo"
    assert ("survei", 60) in by_name["survey"].commands and by_name["ikm"].commands == ()
    assert Survey.names() == ["survey.q", "survey.comment"]  # the state names saved in people's chats
    ours = {p: fn for p, fn in assembly.router.callbacks.items() if p.startswith(("sv", "ikm"))}
    assert sorted(ours) == ["ikm", "ikm:qr", "ikm:u", "sva", "svb", "svk", "svs", "svu", "svx", "svxy", "svy"]
    assert all(hasattr(fn, "callback_type") for fn in ours.values())


async def test_buttons_keep_the_encodings_they_always_had(person, app):
    rina = person()
    await rina.say("/survei")
    unit = next(d for d in sent_data(rina) if d.startswith("svu:"))
    assert unit.split(":")[1].isdigit()
    await rina.press_data("svy:0")  # an old "first page" button
    assert "Pilih unit layanan" in rina.last_text()
    await rina.press_data(unit)
    sid = (await conversation_state(app, 1001))[1]["sv_sid"]
    assert [d for d in sent_data(rina) if d.startswith("sva:")][-4:] == [f"sva:{sid}:0:{v}" for v in range(1, 5)]
    await rina.press_data(f"sva:{sid}:0:4")
    assert {f"svb:{sid}:1", f"svx:{sid}"} <= set(sent_data(rina))
    await rina.press_data(f"svx:{sid}")
    assert {f"svxy:{sid}", f"svk:{sid}"} <= set(sent_data(rina))
    await rina.press_data(f"svk:{sid}")
    assert "Pertanyaan 2 dari 9" in rina.last_text()
    await answer_all(rina, [4] * 8)
    assert f"svs:{sid}" in sent_data(rina) and f"svb:{sid}:9" in sent_data(rina)
    hr = person(HR, "Ahmad")
    await hr.say("/ikm")
    token = reports.Period.of_year(2026).token
    assert any(d.startswith("ikm:u:") and d.endswith(f":{token}") for d in sent_data(hr))
    await hr.press_data(f"ikm:{token}:0")  # page 1 as the report's buttons once packed it
    assert "Indeks Kepuasan Masyarakat" in hr.last_text() and "tahun 2026" in hr.last_text()
    await hr.press_data("ikm")  # the menu's button: this year
    assert "tahun 2026" in hr.last_text()


async def test_a_survey_saved_before_continues(person, app):
    """A survey begun before this version (its state as the database holds it) goes on where it was."""
    from sqlalchemy import update

    from db.models import User

    rina = person()
    await rina.say("/start")
    async with app.db.uow() as uow:
        unit_id = (await uow.survey.unit_by_code("DUKCAPIL-01"))[0].id
        await uow.session.execute(update(User).where(User.external_id == 1001).values(
            state="survey.q", state_data={"sv_sid": "a1b2c3", "sv_unit": unit_id, "sv_name": KTP,
                                          "sv_agency": "Dinas Kependudukan", "sv_ans": [4, 3]}))
        await uow.commit()
    await rina.press_data("sva:a1b2c3:2:2")
    assert "Pertanyaan 4 dari 9" in rina.last_text()
    assert (await conversation_state(app, 1001))[1]["sv_ans"] == [4, 3, 2]
    await answer_all(rina, [4] * 6)
    await rina.press("Lewati")
    assert (await responses(app))[0].answers == (4, 3, 2) + (4,) * 6


async def test_malformed_survey_buttons_say_the_survey_is_over_and_keep_the_survey(person, app, channel):
    rina = person()
    await rina.say("/survei DUKCAPIL-01")
    await answer_all(rina, [4, 4])
    before = await conversation_state(app, 1001)
    sid = before[1]["sv_sid"]
    for forged in (f"sva:{sid}:2:4:9", f"sva:{sid}:x:4", f"sva:{sid}:2:" + "9" * 40, f"svb:{sid}",
                   f"svs:{sid}:1", "svx:\x00", "svk"):
        assert await rina.press_stale(forged) == "Survei itu sudah selesai atau dibatalkan. Mulai survei baru dengan /survei."
        assert await conversation_state(app, 1001) == before, forged
    await rina.press("4 · ")  # the question, still the last message, still works
    assert (await conversation_state(app, 1001))[1]["sv_ans"] == [4, 4, 4]
