"""HR's training console through the real `sapa run` process and the emulator, on both engines:
the participant list arrives as a real XLSX document, and moving a training pushes the typed
notice to a participant through the outbox."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.e2e import User, live_sapa, wait_until

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("engine", ["aiogram", "ptb"])
async def test_hr_moves_a_training_and_downloads_its_participants(tmp_path: Path, engine: str) -> None:
    env = {"SAPA_ENGINE": engine, "SAPA_TIMEZONE": "Asia/Makassar"}
    async with live_sapa(tmp_path, env) as emu:
        hr, budi = User(emu, 700003, "Ahmad"), User(emu, 700004, "Budi")
        await budi.say("/tautkan")
        await budi.say("197804172005011003")
        await budi.share_contact("+6281234500003")  # Budi holds a seat in Pelayanan Prima (demo)

        assert "Pelayanan Prima" in await hr.say("/kelolapelatihan PP-2026-01")
        await hr.press("Ubah")
        await hr.press("Tempat")
        assert "→ Aula Gawi Sabarataan &lt;2&gt;" in await hr.say("Aula Gawi Sabarataan <2>")
        assert "Perubahan disimpan" in await hr.press("Simpan")
        await wait_until(lambda: any("berubah" in t and "Aula Gawi Sabarataan &lt;2&gt;" in t for t in budi.texts()),
                         30, "the change notice")

        await hr.press("Unduh peserta")
        docs = [m for m in emu.sent(700003) if m.get("document")]
        assert docs and docs[-1]["document"]["file_name"].startswith("peserta-PP-2026-01-")
        stored = emu.files._files[docs[-1]["document"]["file_id"]]  # what the bot uploaded, byte for byte
        rows = list(load_workbook(io.BytesIO(stored.content)).active.iter_rows(values_only=True))
        assert rows[0][:3] == ("No", "NIP", "Nama")
        assert {r[1] for r in rows[1:]} == {"198503122010011001", "197804172005011003", "199512202023212004"}
        assert [r[7] for r in rows[1:]] == ["terdaftar", "terdaftar", "daftar tunggu"]
        assert emu.bad_requests == []
