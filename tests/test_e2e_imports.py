"""An employee spreadsheet through the real `sapa run` and the emulator: the file is downloaded
with getFile after the update's commit, the dry run shown, the import confirmed; a 50 MB file is
refused from its declared size, a citizen is not allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import live_sapa, wait_until
from tests.imports_helpers import employees_xlsx

pytestmark = pytest.mark.e2e
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HR, CITIZEN = 700003, 5001


async def test_hr_imports_an_xlsx_through_the_real_bot(tmp_path: Path) -> None:
    async with live_sapa(tmp_path, {"SAPA_ENGINE": "aiogram"}) as emu:
        def has(chat: int, needle: str) -> bool:
            return any(needle in t for t in emu.texts(chat))

        await emu.send_document(HR, "pegawai.xlsx", employees_xlsx(300), XLSX)
        await wait_until(lambda: has(HR, "Uji coba impor data pegawai"), 60, "the dry run")
        assert has(HR, "Baru: <b>300</b>")
        await emu.press(HR, "✅ Impor")
        await wait_until(lambda: has(HR, "Impor data pegawai selesai"), 60, "the import")
        await emu.send_document(HR, "pegawai.xlsx", employees_xlsx(300), XLSX)
        await wait_until(lambda: has(HR, "Tetap: <b>300</b>"), 60, "the second dry run")
        await emu.send_document(HR, "besar.xlsx", b"x", XLSX, declared_size=50 * 1024 * 1024)
        await wait_until(lambda: has(HR, "lebih dari 20 MB"), 30, "the refusal")
        await emu.send_document(CITIZEN, "pegawai.xlsx", employees_xlsx(3), XLSX)
        await wait_until(lambda: has(CITIZEN, "tidak memiliki akses"), 30, "not allowed")
