"""A WhatsApp citizen end to end: the real `sapa run` process with both channels, the Bot API
emulator for the PUPR officer on Telegram, the Cloud API emulator for the citizen."""

from __future__ import annotations

import asyncio
import contextlib
import re
import socket
from pathlib import Path

import aiohttp
import pytest

from bot.channels.whatsapp.templates import known
from bot.sandbox.emulator import Emulator
from bot.sandbox.wa_emulator import Citizens, WaEmulator
from tests.e2e import User, live_sapa, wait_until

pytestmark = [pytest.mark.e2e]
OFFICER, WATI = 700004, 6281355501234
TOKEN, PHONE_ID, SECRET, VERIFY = "EAAG-e2e", "106540352242922", "e2e-app-secret", "e2e-verify"
JPEG = b"\xff\xd8\xff\xe0" + b"\x00\x10JFIF" + b"\x00" * 200 + b"\xff\xd9"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_a_whatsapp_citizen_files_the_officer_answers_inside_and_outside_the_window(tmp_path: Path) -> None:
    wa = WaEmulator(token=TOKEN, phone_number_id=PHONE_ID, app_secret=SECRET, templates=known())
    api_url = await wa.start()
    listen = f"127.0.0.1:{free_port()}"
    wa.hook_url = f"http://{listen}/wa/hook"
    env = {"SAPA_ENGINE": "aiogram", "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_INSTANCE_CODE": "BJB",
           "SAPA_WHATSAPP_TOKEN": TOKEN, "SAPA_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
           "SAPA_WHATSAPP_APP_SECRET": SECRET, "SAPA_WHATSAPP_VERIFY_TOKEN": VERIFY,
           "SAPA_WHATSAPP_API_URL": api_url, "SAPA_WEBHOOK_LISTEN": listen}
    try:
        async with live_sapa(tmp_path, env, emulator=Emulator(rate_limit=30)) as emu:
            async with aiohttp.ClientSession() as http:  # Meta's verification, as the operator sets it up
                params = {"hub.mode": "subscribe", "hub.verify_token": VERIFY, "hub.challenge": "4242"}
                for _ in range(600):  # the hook listens once polling is set up, just after "ready"
                    try:
                        async with http.get(wa.hook_url, params=params) as res:
                            answer = (res.status, await res.text())
                            break
                    except aiohttp.ClientConnectionError:
                        await asyncio.sleep(0.05)
                assert answer == (200, "4242")
            wati, budi = Citizens(wa), User(emu, OFFICER, first_name="Budi")
            await budi.say("/start")

            assert (await wati.say(WATI, "lapor"))[0] == 200
            await wati.press(WATI, "Pengaduan")
            await wati.say(WATI, "Jalan berlubang di depan SDN 1 <bahaya> & licin 🚧")
            await wati.send_photo(WATI, JPEG)
            await wati.press(WATI, "Lanjut")
            await wati.send_location(WATI, -3.4424, 114.8301)
            await wati.press(WATI, "Dinas Pekerjaan Umum")
            await wati.press(WATI, "Anonim")
            await wati.press(WATI, "Kirim laporan")
            number = re.search(r"BJB-\d{4}-\d{6}", "\n".join(wati.texts(WATI)[-3:]))
            assert number, wati.texts(WATI)[-3:]
            # A replayed delivery changes nothing.
            before = len(wati.messages(WATI))
            assert await wati.replay() == 200
            assert len(wati.messages(WATI)) == before

            await wait_until(lambda: any(number.group(0) in t for t in budi.texts()), 30, "the officer's notice")
            assert all(str(WATI)[-8:] not in (m.get("text") or m.get("caption") or "") for m in emu.sent(OFFICER))
            await budi.press("Buka")
            assert any("WhatsApp" in t for t in budi.texts()[-3:])  # the channel's mark on the card
            await wait_until(lambda: any(m.get("photo") for m in emu.sent(OFFICER)), 30, "the WhatsApp photo")
            await budi.press("Ambil laporan ini")

            wa.close_window(WATI)  # days later the officer asks: only a template reaches her now
            await budi.press("Minta info")
            await budi.say("Di sisi jalan yang mana?")
            await budi.press("Kirim ke pelapor")
            await wait_until(lambda: any(m.kind == "template" for m in wati.messages(WATI)), 30, "the template")
            [tpl] = [m for m in wati.messages(WATI) if m.kind == "template"]
            assert tpl.message["template"]["name"] == "sapa_laporan_pertanyaan"
            assert number.group(0) in tpl.text and "Di sisi jalan yang mana?" in tpl.text

            # She answers (the window opens again), and the officer's answer arrives as text.
            await wati.say(WATI, f"status {number.group(0)}")
            await wati.press(WATI, "Balas")
            await wati.say(WATI, "Sisi kiri, dekat gerbang sekolah")
            await wait_until(lambda: any("Sisi kiri" in t for t in budi.texts()), 30, "the reply at the desk")
            await budi.say("/laporanmasuk")
            await budi.press(number.group(0))
            await budi.press("Jawab")
            await budi.say("Sudah ditambal <hari ini> & aman")
            await budi.press("Kirim ke pelapor")
            await wait_until(lambda: any("ditambal <hari ini> & aman" in t for t in wati.texts(WATI)), 30,
                             "the answer inside the window")
            status, _ = await wati.say(WATI, f"status {number.group(0)}")
            assert status == 200 and number.group(0) in wati.last_text(WATI)
            assert [e.code for _, e in wa.state.errors if e.code != 131047] == []
    finally:
        await wa.stop()


async def test_kill_between_filing_and_receipt_on_whatsapp_the_receipt_arrives_once(tmp_path: Path) -> None:
    """kill -9 after the filing committed and before its reply left: Meta delivers the press again
    (it got no 200), which is a replay; the held receipt reaches her through the WhatsApp outbox."""
    import signal

    from sqlalchemy import func, select

    from db.models import Complaint
    from tests.e2e import sapa_process, seeded_sqlite
    from tests.test_e2e_crash import scalar

    wa = WaEmulator(token=TOKEN, phone_number_id=PHONE_ID, app_secret=SECRET, templates=known())
    api_url = await wa.start()
    emu = Emulator(rate_limit=0)
    await emu.start()
    listen = f"127.0.0.1:{free_port()}"
    wa.hook_url = f"http://{listen}/wa/hook"
    url = await seeded_sqlite(tmp_path / "sapa.db")
    env = {"SAPA_BOT_TOKEN": "123456:E2E", "SAPA_BOT_API_URL": emu.url, "SAPA_DATABASE_URL": url,
           "SAPA_CONFIRM_GRACE": "2", "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_INSTANCE_CODE": "BJB",
           "SAPA_WHATSAPP_TOKEN": TOKEN, "SAPA_WHATSAPP_PHONE_NUMBER_ID": PHONE_ID,
           "SAPA_WHATSAPP_APP_SECRET": SECRET, "SAPA_WHATSAPP_VERIFY_TOKEN": VERIFY,
           "SAPA_WHATSAPP_API_URL": api_url, "SAPA_WEBHOOK_LISTEN": listen}
    wati = Citizens(wa)

    async def hook_up(proc: asyncio.subprocess.Process) -> None:
        async with aiohttp.ClientSession() as http:
            for _ in range(2400):
                assert proc.returncode is None, (tmp_path / "sapa.log").read_text()
                try:
                    async with http.get(wa.hook_url) as res:
                        if res.status == 403:  # listening (no verify token given)
                            return
                except aiohttp.ClientConnectionError:
                    await asyncio.sleep(0.05)
        raise TimeoutError("the WhatsApp hook never listened")

    def receipts() -> list[str]:
        return [t for t in wati.texts(WATI) if "Laporan diterima" in t]

    try:
        async with sapa_process(["run"], env, tmp_path / "first.log") as proc:
            await hook_up(proc)
            await wati.say(WATI, "lapor")
            await wati.press(WATI, "Pengaduan")
            await wati.say(WATI, "Lampu jalan mati di Jl. <Ahmad Yani> & gelap 🌑")
            await wati.press(WATI, "Lewati")
            await wati.press(WATI, "Lewati")
            await wati.press(WATI, "tidak yakin")
            await wati.press(WATI, "Biasa")
            held = wa.hold(WATI)
            press = asyncio.create_task(wati.press(WATI, "Kirim laporan"))
            await asyncio.wait_for(held.reached.wait(), 30)  # committed; its reply in flight
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
            held.release()
            with contextlib.suppress(aiohttp.ClientError):
                await press
        assert await scalar(url, select(func.count()).select_from(Complaint)) == 1
        assert receipts() == []

        async with sapa_process(["run"], env, tmp_path / "second.log") as proc:
            await hook_up(proc)
            assert await wati.replay() == 200  # Meta delivers the unanswered press again: a replay
            await wait_until(lambda: bool(receipts()), 30, "the held receipt after the restart")
            await asyncio.sleep(3)  # past another grace period: nothing more comes
            assert len(receipts()) == 1 and re.search(r"BJB-\d{4}-\d{6}", receipts()[0])
        assert await scalar(url, select(func.count()).select_from(Complaint)) == 1
        assert "Traceback" not in (tmp_path / "second.log").read_text()
    finally:
        await emu.stop()
        await wa.stop()
