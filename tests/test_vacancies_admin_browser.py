"""HR's selection desk in the sandbox's web chat, in a real Chromium at a 400 px phone width."""

from __future__ import annotations

import re
from pathlib import Path

import aiohttp

from tests.test_sandbox_browser import WAIT, pytestmark, web_chat  # noqa: F401 - the same marks and skips

PHONE_400 = {"width": 400, "height": 820}


async def test_hr_desk_at_phone_width(tmp_path: Path) -> None:
    async with web_chat(tmp_path, PHONE_400) as chat:
        page = chat.page
        await chat.open("hr")
        await chat.say("/kelolaseleksi")
        await chat.bot("Kelola seleksi terbuka")
        await chat.press("Kepala Bidang Pengembangan")
        await chat.bot("hanya terlihat oleh HR")
        await chat.press("Ubah draf")
        await chat.bot("Periksa draf lowongan")
        assert await chat.no_sideways_scroll()
        await chat.shot("hr-draft-summary-400")
        await chat.press("Usia")
        await chat.bot("usia maksimal")
        await chat.say("56")
        await chat.bot("Periksa draf lowongan")
        await chat.press("Simpan draf")
        await chat.bot("Draf tersimpan")
        await chat.press("Terbitkan")
        await chat.bot("penjadwal")
        assert await chat.in_view(page.locator(".msg.bot .kb button", has_text="Ya, terbitkan").last)
        assert await chat.no_sideways_scroll()
        await chat.shot("hr-publish-confirm-400")
        await chat.press("Ya, terbitkan")
        await chat.bot("Lowongan diterbitkan")

        await chat.press("Daftar lowongan")
        await chat.bot("3 lowongan")
        await chat.press("Kepala Dinas Kesehatan")
        await chat.bot("Status: 📢 diterbitkan")
        await chat.press(re.compile(r"^\W*Pelamar$"))
        await chat.bot("dokumen 5/5")
        await chat.press("Budi Santoso")
        await chat.bot("NIP 197804172005011003")
        assert await chat.no_sideways_scroll()
        await chat.shot("hr-applicant-400")
        await chat.press("Surat lamaran")  # the demo file, sent back by its file id
        link = page.locator(".msg.bot a.doc", has_text="lamaran-budi.pdf").last
        await link.wait_for(timeout=WAIT)
        async with aiohttp.ClientSession() as http, http.get(await link.evaluate("a => a.href")) as resp:
            assert resp.status == 200 and (await resp.read()).startswith(b"%PDF")
        await chat.press(re.compile(r"^\W*Tolak$"))
        await chat.bot("alasan penolakan")
        await chat.say("Tidak bertanda tangan <b>&</b>")
        await chat.bot("ditolak; pelamar diberi tahu")
        await chat.press("Daftar pelamar")
        await chat.bot("Pelamar Kepala Dinas")
        await chat.press("Kembali ke lowongan")
        await chat.bot("Status: 📢 diterbitkan")
        await chat.press("Tahapan & hasil")
        await chat.bot("Pilih tahap")
        await chat.press("Pengumuman dan pendaftaran")
        await chat.bot("belum punya hasil")
        await chat.press("Budi Santoso")
        await chat.bot("Hasil Budi")
        await chat.press(re.compile(r"^\W*Lulus$"))
        await chat.bot("Ketik nilai")
        await chat.say("1e9")
        await chat.bot("Nilai harus angka 0–100")
        await chat.say("80,5")
        await chat.bot("Hasil dicatat")
        await chat.shot("hr-stage-sheet-400")
        await chat.press("Umumkan hasil tahap ini")
        await chat.bot("Umumkan hasil")
        await chat.press("Ya, umumkan")
        await chat.bot("pemberitahuan dikirim")
        assert await chat.no_sideways_scroll()
        await chat.press("Daftar tahapan")
        await chat.bot("Pilih tahap")
        await chat.press("Kembali ke lowongan")
        await chat.bot("Status: 📢 diterbitkan")
        await chat.press("Unduh XLSX")
        await chat.bot("dalam XLSX")
        await chat.shot("hr-export-400")
        assert await chat.no_sideways_scroll() and await chat.in_view("#send")
