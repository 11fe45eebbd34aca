"""/skp and /langganan as a person uses them: through the router, the unit of work and the catalogs."""

from __future__ import annotations

from sqlalchemy import select

from bot.sandbox.html_check import check_html
from db.models import Appraisal, Subscription
from handlers.appraisal.callbacks import SkpPeriod
from services.demo import PERSONAS

SITI_ID = next(p.telegram_id for p in PERSONAS if p.key == "asn")
HR_ID = next(p.telegram_id for p in PERSONAS if p.key == "hr")
SITI_NIP, AHMAD_NIP = "199001052015032002", "198503122010011001"


async def link(p, nip: str, phone: str) -> None:  # noqa: ANN001
    await p.say("/tautkan")
    await p.say(nip)
    await p.share_contact(phone)
    assert "berhasil" in p.all_text().lower() or "tertaut" in p.all_text().lower(), p.last_text()


def _valid(text: str) -> None:
    check_html(text)  # raises on anything Telegram would refuse


async def test_siti_sees_her_period_what_is_missing_and_the_deadline(person) -> None:  # noqa: ANN001
    siti = person(SITI_ID, "Siti")
    await link(siti, SITI_NIP, "6281234500002")
    await siti.say("/skp")
    text = siti.last_text()
    _valid(text)
    assert "Periode berjalan: Tahun 2026" in text
    assert "Tahap 2 dari 4: <b>Pelaksanaan, pemantauan, pembinaan</b>" in text
    assert "✅ Perencanaan" in text and "▶️ Pelaksanaan" in text and "▫️ Penilaian" in text
    assert "bukti dukung kinerja triwulan IV belum diunggah" in text
    # The harness clock is Monday 23 Nov 2026: three working days ahead is Thursday, in WITA.
    assert "Kamis, 26 November 2026, 23.59 WITA (3 hari kerja lagi)" in text
    assert "Tahun 2025: <b>Sangat Baik</b> — hasil kerja di atas ekspektasi, perilaku kerja di atas ekspektasi" in text
    assert "Tahun 2024: <b>Butuh Perbaikan</b>" in text and "Tahun 2023: <b>Baik</b>" in text
    assert "Angka kredit (JF): 150% dari koefisien tahunan" in text
    assert SITI_NIP not in text
    await siti.press("Tahun 2024")
    detail = siti.last_text()
    _valid(detail)
    assert "Hasil kerja: di bawah ekspektasi" in detail and "Angka kredit (JF): 75%" in detail
    assert siti.messages()[-1].edited
    await siti.press("Kinerja")
    assert "Periode berjalan" in siti.last_text()


async def test_english_and_the_menu_button(person) -> None:  # noqa: ANN001
    siti = person(SITI_ID, "Siti", language_code="en")
    await link_en(siti)
    await siti.say("/start")
    await siti.press("Performance")
    text = siti.last_text()
    assert "Current period: Year 2026" in text and "Thursday, 26 November 2026, 23.59 WITA (3 working day(s) left)" in text
    assert "Year 2025: <b>Very good (Sangat Baik)</b> — results above expectation" in text


async def link_en(p) -> None:  # noqa: ANN001
    await p.say("/tautkan")
    await p.say(SITI_NIP)
    await p.share_contact("6281234500002")


async def test_before_linking_the_answer_offers_linking(person) -> None:  # noqa: ANN001
    rina = person(1001, "Rina")
    for command in ("/skp", "/langganan"):
        await rina.say(command)
        assert "ditautkan" in rina.last_text()
        assert any("Tautkan" in label for label in rina.last_labels())
    await rina.press("Tautkan akun ASN")
    assert "NIP" in rina.last_text()
    # HR's persona is an employee too, but not linked until they say so.
    ahmad = person(HR_ID, "Ahmad")
    await ahmad.say("/skp")
    assert "ditautkan" in ahmad.last_text()


async def test_forged_and_stale_buttons(person, app) -> None:  # noqa: ANN001
    siti = person(SITI_ID, "Siti")
    ahmad = person(HR_ID, "Ahmad")
    await link(siti, SITI_NIP, "6281234500002")
    await link(ahmad, AHMAD_NIP, "6281234500001")
    async with app.db.uow() as uow:
        siti_row = (await uow.session.execute(select(Appraisal).limit(1))).scalar_one()
    # Ahmad (HR, linked) presses a button carrying Siti's period: refused, nothing of hers shown.
    await ahmad.press_data(SkpPeriod(siti_row.id).pack())
    text = ahmad.last_text()
    assert "tidak ditemukan" in text and "Siti" not in text and "Sangat" not in text
    for data in ("skp:p", "skp:p:abc", "skp:p:-1:2", "skp:p:99999999999999999999", "skp:x", "skp:p:\x00",
                 "skp:p:<b>&", "skp:p:🙂"):
        await siti.press_data(data)
        assert siti.last_text(), data
        _valid(siti.last_text())
    await siti.press_data("skp:p:" + "9" * 18)
    assert "tidak ditemukan" in siti.last_text()


async def test_free_text_and_garbage_around_skp(person) -> None:  # noqa: ANN001
    siti = person(SITI_ID, "Siti")
    await link(siti, SITI_NIP, "6281234500002")
    await siti.say("cek nilai skp")
    assert "Periode berjalan" in siti.last_text()
    await siti.say("/skp <b>&" + "x" * 5000)  # arguments are ignored
    assert "Periode berjalan" in siti.last_text()


async def test_subscriptions_defaults_and_toggles(person, app) -> None:  # noqa: ANN001
    siti = person(SITI_ID, "Siti")
    await link(siti, SITI_NIP, "6281234500002")
    await siti.say("/langganan")
    text = siti.last_text()
    _valid(text)
    assert "Lowongan jabatan: <b>hanya yang syaratnya saya penuhi (bawaan)</b>" in text
    assert "Pengumuman pelatihan: <b>berlangganan (bawaan)</b>" in text
    assert "✅ Sesuai syarat" in siti.last_labels() and "✅ Pelatihan: nyala" in siti.last_labels()
    await siti.press("Semua")
    assert "Lowongan jabatan: <b>semua lowongan</b>" in siti.last_text()
    assert "✅ Semua" in siti.last_labels()
    await siti.press("Pelatihan: mati")
    assert "Pengumuman pelatihan: <b>tidak berlangganan</b>" in siti.last_text()
    await siti.press("Pelatihan: mati")  # the same press twice: still one row
    async with app.db.uow() as uow:
        rows = {(s.topic, s.choice) for s in (await uow.session.execute(select(Subscription))).scalars()}
    assert rows == {("vacancy", "all"), ("training", "off")}
    # A forged pair (vacancies have no "on", training no "all") changes nothing.
    await siti.press_data("sub:s:training:all")
    assert "tidak tersedia" in siti.last_text()
    for data in ("sub:s:vacancy", "sub:s:news:on", "sub:s:vacancy:<b>", "sub:s:vacancy:all:1", "sub:s:🙂:on"):
        await siti.press_data(data)
        assert siti.last_text()
    async with app.db.uow() as uow:
        after = {(s.topic, s.choice) for s in (await uow.session.execute(select(Subscription))).scalars()}
    assert after == rows


async def test_a_citizen_pressing_a_subscription_button_stores_nothing(person, app) -> None:  # noqa: ANN001
    rina = person(1001, "Rina")
    await rina.say("/start")
    await rina.press_data("sub:s:vacancy:all")
    assert "ditautkan" in rina.last_text()
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(Subscription))).first() is None
