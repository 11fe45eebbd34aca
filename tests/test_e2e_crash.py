"""kill -9 of a real `sapa run` (each engine) against the emulator: nothing is lost, nothing doubles."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.database import open_database
from bot.sandbox.emulator import Emulator
from db.models import Complaint, ProcessedUpdate, User
from tests.e2e import User as Citizen
from tests.e2e import sapa_process, seeded_sqlite, wait_until

pytestmark = pytest.mark.e2e
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
NUMBER = re.compile(r"BJB-\d{4}-\d{6}")


@contextlib.asynccontextmanager
async def sapa(emu: Emulator, env: dict[str, str], log: Path) -> AsyncIterator[asyncio.subprocess.Process]:
    """One life of the bot process, ready once it has asked for updates."""
    asked = len(emu.offsets)
    full = {"SAPA_BOT_TOKEN": "123456:E2E", "SAPA_BOT_API_URL": emu.url, **env}
    async with sapa_process(["run"], full, log) as proc:
        await wait_until(lambda: len(emu.offsets) > asked or proc.returncode is not None, 60, "sapa to poll")
        assert proc.returncode is None, read(log)
        yield proc
    assert "Traceback" not in read(log), read(log)


def read(path: Path) -> str:
    return path.read_text()


async def kill9(proc: asyncio.subprocess.Process) -> None:
    proc.send_signal(signal.SIGKILL)
    await proc.wait()


async def scalar(url: str, stmt: object) -> int:
    db = open_database(url)
    try:
        async with db.uow() as uow:
            return int((await uow.session.execute(stmt)).scalar() or 0)  # type: ignore[call-overload]
    finally:
        await db.dispose()


@pytest.fixture(params=["aiogram", "ptb"])
def engine(request: pytest.FixtureRequest) -> str:
    return str(request.param)


async def test_updates_in_flight_at_a_kill_are_handled_exactly_once_after_restart(tmp_path: Path, engine: str):
    emu = Emulator(rate_limit=0)
    await emu.start()
    try:
        url = await seeded_sqlite(tmp_path / "sapa.db")
        env = {"SAPA_ENGINE": engine, "SAPA_DATABASE_URL": url, "SAPA_POLLING_CONCURRENCY": "2"}
        a, b, c, d = (Citizen(emu, uid) for uid in (5101, 5102, 5103, 5104))
        async with sapa(emu, env, tmp_path / "first.log") as proc:
            held_a = emu.hold("sendMessage", a.id)
            first = (await emu.say(a.id, "/start"))["update_id"]
            await asyncio.wait_for(held_a.reached.wait(), 20)  # committed; its reply never leaves
            assert "Menu utama" in await b.say("/start")  # the bot goes on while A is stuck
            held_c = emu.hold("sendMessage", c.id)
            await emu.say(c.id, "/start")
            await asyncio.wait_for(held_c.reached.wait(), 20)
            await emu.say(d.id, "/start")  # both slots are taken: D waits, not started
            await asyncio.sleep(1.0)  # several polls while A holds the offset back
            assert emu.sent(d.id) == []
            assert [o for o in emu.offsets if o is not None and o > first] == []
            await kill9(proc)
            held_a.release()
            held_c.release()

        async with sapa(emu, env, tmp_path / "second.log"):
            await wait_until(lambda: len(emu.sent(d.id)) == 1, 20, "D's reply after the restart")
            await wait_until(lambda: emu.offsets[-1] is not None and emu.offsets[-1] > first + 3, 20,
                             "the offset to move past every update")
            await asyncio.sleep(0.5)
        # A, B and C were committed before the kill: given again, they change nothing; D ran once.
        assert len(emu.sent(b.id)) == 1 and len(emu.sent(d.id)) == 1
        assert emu.sent(a.id) == [] and emu.sent(c.id) == []  # plain replies are not backed (see below)
        assert await scalar(url, select(func.count()).select_from(ProcessedUpdate)) == 4
        assert await scalar(url, select(func.count()).select_from(User).where(
            User.external_id.in_([5101, 5102, 5103, 5104]))) == 4
        assert emu.bad_requests == []
    finally:
        await emu.stop()


async def test_kill_between_filing_and_receipt_the_receipt_still_arrives_once(tmp_path: Path, engine: str):
    emu = Emulator(rate_limit=0)
    await emu.start()
    try:
        url = await seeded_sqlite(tmp_path / "sapa.db")
        env = {"SAPA_ENGINE": engine, "SAPA_DATABASE_URL": url, "SAPA_CONFIRM_GRACE": "2",
               "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_INSTANCE_CODE": "BJB"}
        rina = Citizen(emu, 5301, first_name="Rina <b>&")
        async with sapa(emu, env, tmp_path / "first.log") as proc:
            await rina.say("/lapor")
            await rina.press("Pengaduan")
            await rina.say("Lampu jalan mati di Jl. <Ahmad Yani> & gelap 🌑")
            await rina.press("Lewati")
            await rina.press("Lewati")
            await rina.press("Semua instansi")
            await rina.press(PUPR)
            await rina.press("Biasa")
            assert "Ringkasan laporan" in rina.last_text()
            summary = next(m for m in reversed(emu.sent(rina.id)) if "Ringkasan laporan" in (m["text"] or ""))
            send = next(b["callback_data"] for row in summary["reply_markup"]["inline_keyboard"] for b in row
                        if "Kirim laporan" in b["text"])
            held = emu.hold("sendMessage", rina.id)
            await emu.press(rina.id, data=send, message_id=summary["message_id"])
            await asyncio.wait_for(held.reached.wait(), 20)  # the filing is committed, its reply in flight
            await kill9(proc)
            held.release()
        assert await scalar(url, select(func.count()).select_from(Complaint)) == 1
        number = NUMBER.search(rina.last_text() or "")
        assert number is None  # the receipt never came

        async with sapa(emu, env, tmp_path / "second.log"):
            await wait_until(lambda: any("Laporan diterima" in (t or "") for t in rina.texts()), 20,
                             "the held receipt after the restart")
            await asyncio.sleep(3)  # past another grace period: nothing more comes
            receipts = [t for t in rina.texts() if "Laporan diterima" in (t or "")]
            assert len(receipts) == 1
            number = NUMBER.search(receipts[0])
            assert number

            again = await Citizen(emu, rina.id).press("Kirim laporan")  # the old summary's button
            assert "sudah terkirim" in again and number.group(0) in again
            await asyncio.sleep(3)
        assert await scalar(url, select(func.count()).select_from(Complaint)) == 1
        assert len([t for t in rina.texts() if "Laporan diterima" in (t or "")]) == 2  # the push + the answer
        # The replayed press is answered again (its spinner may still turn): Telegram says "too old".
        assert [e["method"] for e in emu.bad_requests] in ([], ["answerCallbackQuery"])
    finally:
        await emu.stop()
