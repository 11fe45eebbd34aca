"""The training life cycle through the real `sapa run` (aiogram) and the emulator: the waiting
list, two cancellations, and the promotion notice pushed by the outbox sender."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import User, live_sapa, wait_until

pytestmark = pytest.mark.e2e


async def _link(user: User, nip: str, phone: str) -> None:
    await user.say("/tautkan")
    await user.say(nip)
    assert "Menu utama" in await user.share_contact(phone)  # the menu after "Akun tertaut"
    assert any("Akun tertaut" in t for t in user.texts())


async def test_a_waiting_civil_servant_is_told_when_a_seat_frees(tmp_path: Path) -> None:
    env = {"SAPA_ENGINE": "aiogram", "SAPA_TIMEZONE": "Asia/Makassar"}
    async with live_sapa(tmp_path, env) as emu:
        siti, ahmad, budi = User(emu, 700002, "Siti"), User(emu, 700003, "Ahmad"), User(emu, 700004, "Budi")
        await _link(siti, "199001052015032002", "+6281234500002")
        await _link(ahmad, "198503122010011001", "+6281234500001")
        await _link(budi, "197804172005011003", "+6281234500003")

        await siti.say("/pelatihan pelayanan prima")
        assert "Penuh" in await siti.press("1. Pelayanan Prima")
        assert "Posisi Anda: 2" in await siti.press("Masuk daftar tunggu")
        assert "posisi 2" in await siti.press("Ya, masuk daftar tunggu")

        for person in (budi, ahmad):  # Nur (no chat account) moves up first, then Siti
            await person.say("/pelatihanku")
            await person.press("Pelayanan Prima")
            assert "diberikan kepada orang berikutnya" in await person.press("Batalkan pendaftaran")
            assert "dibatalkan" in await person.press("Ya, batalkan")

        await wait_until(lambda: any("Ada kursi kosong di <b>Pelayanan Prima</b>" in t for t in siti.texts()),
                         30, "the promotion notice")
        assert "Anda terdaftar" in await siti.press("Lihat pelatihan")
        assert emu.bad_requests == []
