"""Citizens' paths through the real `sapa run` (aiogram) and the emulator: one bot process, many people."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from bot.sandbox.emulator import Emulator
from tests.e2e import User, live_sapa

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="module")]
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
NUMBER = re.compile(r"BJB-\d{4}-\d{6}")
POTHOLE = "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya untuk anak-anak"


@pytest_asyncio.fixture(loop_scope="module", scope="module")
async def emu(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Emulator]:
    env = {"SAPA_ENGINE": "aiogram", "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_INSTANCE_CODE": "BJB"}
    async with live_sapa(tmp_path_factory.mktemp("citizen"), env) as emulator:
        yield emulator


async def file_report(p: User, text: str = POTHOLE, *, agency: str = PUPR, privacy: str = "Biasa") -> str:
    await p.say("/lapor")
    await p.press("Pengaduan")
    await p.say(text)
    await p.press("Lewati")  # no photos
    await p.press("Lewati")  # no location
    if agency not in p.labels():
        await p.press("Semua instansi")
    await p.press(agency)
    await p.press(privacy)
    receipt = await p.press("Kirim laporan")
    found = NUMBER.search(receipt)
    assert found, receipt
    return found.group(0)


async def test_bad_input_gets_clear_answers_and_the_flow_stays(emu: Emulator) -> None:
    rina = User(emu, 6101, "Rina")
    await rina.say("/lapor")
    await rina.press("Pengaduan")
    kinds_message = next(m for m in reversed(emu.sent(6101)) if m.get("reply_markup"))
    assert "terlalu pendek" in await rina.say("pendek")
    assert "maksimal 4000" in await rina.say("x" * 5000)
    assert "Foto disimpan (1)" in await rina.send_document("foto.jpg", b"\xff\xd8", "image/jpeg")
    assert "terlalu besar (30 MB)" in await rina.send_document(
        "video.mp4", b"x", "video/mp4", declared_size=30 * 1024 * 1024)
    assert "Hanya foto" in await rina.send_document("laporan.pdf", b"%PDF", "application/pdf")
    # A button from a message the flow has moved past.
    await rina._expect_reply(emu.press(6101, data=kinds_message["reply_markup"]["inline_keyboard"][0][0][
        "callback_data"], message_id=kinds_message["message_id"]))
    assert rina.last_text()  # answered, not ignored
    await rina.say("/batal")
    assert emu.bad_requests == []


async def test_html_and_emoji_typed_by_a_citizen_are_shown_as_typed(emu: Emulator) -> None:
    sari = User(emu, 6102, "Sari <b>&")
    await sari.say("/lapor")
    await sari.press("Aspirasi")
    await sari.say("<script>alert(1)</script> taman kota perlu lampu 🙂🔥 & bangku")
    await sari.press("Lewati")  # photos and place: one optional step for an aspiration
    await sari.press("tidak yakin")
    summary = await sari.press("Biasa")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; taman kota perlu lampu 🙂🔥 &amp; bangku" in summary
    assert NUMBER.search(await sari.press("Kirim laporan"))
    assert emu.bad_requests == []


async def test_a_duplicate_is_offered_to_follow(emu: Emulator) -> None:
    ani, bayu = User(emu, 6103, "Ani"), User(emu, 6104, "Bayu")
    number = await file_report(ani, "Lampu lalu lintas mati total di simpang empat Banjarbaru sejak kemarin",
                               agency="Dinas Perhubungan")
    await bayu.say("/lapor")
    await bayu.press("Pengaduan")
    await bayu.say("Lampu lalu lintas di simpang empat Banjarbaru mati total sejak kemarin sore")
    await bayu.press("Lewati")
    await bayu.press("Lewati")
    if "Dinas Perhubungan" not in bayu.labels():
        await bayu.press("Semua instansi")
    await bayu.press("Dinas Perhubungan")
    await bayu.press("Biasa")
    offer = await bayu.press("Kirim laporan")
    assert "laporan serupa" in offer and number in offer
    assert "mengikuti laporan" in await bayu.press(f"Ikuti {number}")


async def test_confidential_report_is_shown_only_to_its_reporter(emu: Emulator) -> None:
    dewi, eko = User(emu, 6105, "Dewi"), User(emu, 6106, "Eko")
    number = await file_report(dewi, "Dugaan pungli di loket pelayanan kelurahan setiap pagi hari kerja",
                               agency="Dinas Kependudukan dan Pencatatan Sipil", privacy="Rahasia")
    seen_by_other = await eko.say(f"/status {number}")
    assert "bersifat rahasia" in seen_by_other and "pungli" not in seen_by_other
    assert "pungli" in await dewi.say(f"/status {number}")
    assert "tidak ditemukan" in await eko.say("/status BJB-2026-999999")


async def test_survey_from_a_counter_qr_code_once_a_day(emu: Emulator) -> None:
    fitri = User(emu, 6107, "Fitri")
    await fitri.say("/start survei_DUKCAPIL-01")
    for _ in range(9):
        await fitri.press("4")
    assert "Terima kasih!" in await fitri.press("Lewati")
    assert "sudah mengisi survei" in await fitri.say("/start survei_DUKCAPIL-01")
    assert emu.bad_requests == []


async def test_a_citizen_erases_their_data(emu: Emulator) -> None:
    gita = User(emu, 6108, "Gita")
    await file_report(gita, "Sampah menumpuk di TPS dekat pasar Martapura, bau sampai ke rumah warga",
                      agency="Dinas Lingkungan Hidup")
    assert "tidak bisa dibatalkan" in await gita.say("/hapusdata")
    assert "sudah dihapus" in await gita.press("Ya, hapus data saya")
