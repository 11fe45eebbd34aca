"""/skp and /langganan through the real `sapa run` (aiogram) and the emulator."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import User, live_sapa

pytestmark = pytest.mark.e2e


async def test_siti_links_reads_her_appraisal_and_subscribes(tmp_path: Path) -> None:
    env = {"SAPA_ENGINE": "aiogram", "SAPA_TIMEZONE": "Asia/Makassar"}
    async with live_sapa(tmp_path, env) as emu:
        siti = User(emu, 700002, first_name="Siti")
        assert "ditautkan" in await siti.say("/skp")  # before linking: told how, with a button
        await siti.press("Tautkan akun ASN")
        await siti.say("199001052015032002")
        await siti.share_contact("+6281234500002")
        await siti.press("Kinerja")
        card = siti.last_text()
        # The process seeds relative to the real clock: no dates asserted, only what they say.
        assert "Periode berjalan" in card and "Pelaksanaan, pemantauan, pembinaan" in card
        assert "bukti dukung kinerja triwulan IV belum diunggah" in card
        assert "3 hari kerja lagi" in card and "WITA" in card
        assert "Sangat Baik" in card and "Butuh Perbaikan" in card and "Angka kredit (JF): 150%" in card
        labels = siti.labels()
        history = next(label for label in labels if "Butuh Perbaikan" in label)
        detail = await siti.press(history)
        assert "Hasil kerja: di bawah ekspektasi" in detail and "75%" in detail
        await siti.say("/langganan")
        assert "(bawaan)" in siti.last_text()
        assert "Pengumuman pelatihan: tidak berlangganan" in await siti.press("Pelatihan: mati")
        assert emu.bad_requests == []
