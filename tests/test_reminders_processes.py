"""Two real `sapa webhook` processes on one PostgreSQL: each reminder goes out exactly once, and a
kill -9 of the leader in the middle of a job hands the job to the stand-by, which finishes it
without doubles. Skipped without SAPA_TEST_DATABASE_URL."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text

from bot.database import open_database
from bot.sandbox.emulator import Emulator
from bot.sandbox.run import free_local_port
from db.engine import Database
from db.models import Employee, Enrolment, OutboxMessage, ReminderMark, Training, User
from tests.e2e import fresh_database, sapa_process, wait_until

pytestmark = pytest.mark.e2e
PG = os.environ.get("SAPA_TEST_DATABASE_URL")
TZ = ZoneInfo("Asia/Makassar")
PEOPLE = 1500
IN_FLIGHT = 4
STANDBY = 1.0
TITLE = "Pelatihan Dua Proses"


async def _prepare(url: str) -> int:
    """A clean database: the demo, PEOPLE linked civil servants seated in one training tomorrow."""
    now = datetime.now(UTC)
    await fresh_database(url, now)
    db = open_database(url)
    try:
        async with db.uow() as uow:
            tomorrow = now.astimezone(TZ).date() + timedelta(days=1)
            starts = datetime.combine(tomorrow, time(12), tzinfo=TZ).astimezone(UTC)
            # "cancelled" until both processes run: then opened, and the next minute's run finds it.
            t = Training(code="PROC-1", title=TITLE, organiser="BKPSDM", starts_at=starts,
                         ends_at=starts + timedelta(hours=4), place="Aula", jp=4, quota=PEOPLE,
                         registration_closes_at=now - timedelta(hours=1), status="cancelled", jabatan_kinds=[],
                         agency_ids=[])
            uow.session.add(t)
            emps = [Employee(nip=f"9{i:017d}", name=f"ASN {i}", employment="PNS") for i in range(PEOPLE)]
            uow.session.add_all(emps)
            await uow.flush()
            uow.session.add_all([User(channel="telegram", external_id=6_000_000 + i, chat_id=6_000_000 + i,
                                      name=f"ASN {i}", role="asn", employee_id=e.id, state_data={})
                                 for i, e in enumerate(emps)])
            uow.session.add_all([Enrolment(training_id=t.id, employee_id=e.id, status="seat") for e in emps])
            await uow.commit()
            return t.id
    finally:
        await db.dispose()


async def _open(url: str, tid: int) -> None:
    db = open_database(url)
    try:
        async with db.uow() as uow:
            await uow.session.execute(text("UPDATE trainings SET status = 'open' WHERE id = :id"), {"id": tid})
            await uow.commit()
    finally:
        await db.dispose()


async def _counts(db: Database, tid: int) -> tuple[int, bool, dict[str, int]]:
    async with db.uow() as uow:
        like = OutboxMessage.dedupe_key.like(f"rm:tr:h1:{tid}:%")
        statuses = dict((await uow.session.execute(
            select(OutboxMessage.status, func.count()).where(like).group_by(OutboxMessage.status))).all())
        marked = (await uow.session.execute(select(func.count()).select_from(ReminderMark).where(
            ReminderMark.key.like(f"tr:h1:{tid}:%")))).scalar_one()
        return sum(statuses.values()), bool(marked), statuses


@pytest.mark.skipif(not PG, reason="needs SAPA_TEST_DATABASE_URL (PostgreSQL)")
async def test_two_processes_send_once_and_the_standby_finishes_after_a_kill(tmp_path: Path) -> None:
    assert PG is not None
    emu = Emulator(rate_limit=0)
    await emu.start()
    watch = open_database(PG)
    try:
        env = {"SAPA_BOT_TOKEN": "123456:E2E", "SAPA_BOT_API_URL": emu.url, "SAPA_DATABASE_URL": PG,
               "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_QUIET_HOURS": "off", "SAPA_REMINDER_HOUR": "0",
               "SAPA_REMINDER_BATCH": "10", "SAPA_SCHEDULER_STANDBY": str(STANDBY), "SAPA_SEND_RATE": "1000",
               "SAPA_SEND_RATE_UNLIMITED": "true", "SAPA_SEND_IN_FLIGHT": str(IN_FLIGHT),
               "SAPA_WEBHOOK_SECRET": "e2e-secret"}
        # Both processes stand up before anything is due, so that the leader's run is the one killed.
        logs = [tmp_path / "a.log", tmp_path / "b.log"]
        ports = [free_local_port(), free_local_port()]

        def hook(i: int) -> dict[str, str]:
            return {**env, "SAPA_WEBHOOK_LISTEN": f"127.0.0.1:{ports[i]}",
                    "SAPA_WEBHOOK_URL": f"http://127.0.0.1:{ports[i]}/hook"}

        tid = await _prepare(PG)
        for i in range(PEOPLE):  # they have all opened the bot once: Telegram lets it write to them
            emu.store.touch_user(6_000_000 + i)
        async with sapa_process(["webhook"], hook(0), logs[0]) as a:
            await wait_until(lambda: "scheduler: leading" in logs[0].read_text() or a.returncode is not None,
                             180, "the first process to lead")
            async with sapa_process(["webhook"], hook(1), logs[1]) as b:
                await wait_until(lambda: "standing by" in logs[1].read_text() or b.returncode is not None,
                                 180, "the second process to stand by")
                await _open(PG, tid)
                # The leader's training job finds it within a minute: kill it while rows are being written.
                loop = asyncio.get_running_loop()
                deadline = loop.time() + 90
                while True:
                    n, marked, _ = await _counts(watch, tid)
                    if n > 0 or marked or loop.time() > deadline:
                        break
                    await asyncio.sleep(0.02)
                killed_mid_run = n > 0 and not marked
                a.send_signal(signal.SIGKILL)
                await a.wait()
                await wait_until(lambda: "scheduler: leading" in logs[1].read_text(), STANDBY + 15,
                                 "the stand-by to take over")

                async def finished() -> bool:
                    n, marked, st = await _counts(watch, tid)
                    return marked and n == PEOPLE and st.get("pending", 0) == 0

                for _ in range(600):
                    if await finished():
                        break
                    await asyncio.sleep(0.1)
                assert await finished(), await _counts(watch, tid)
                await asyncio.sleep(1.0)  # the last sends land
        _, _, statuses = await _counts(watch, tid)
    finally:
        await watch.dispose()
        await emu.stop()
    assert killed_mid_run, "the leader finished before it could be killed: make the run longer"
    got = {uid: sum(TITLE in (m.get("text") or "") for m in emu.sent(uid)) for uid in
           range(6_000_000, 6_000_000 + PEOPLE)}
    assert max(got.values()) == 1, "someone heard the reminder twice"
    # Rows the killed sender had claimed stay 'sending' until release_stale takes them back (5 min):
    # at most its in-flight window, and nobody else is missing.
    missing = [u for u, c in got.items() if c == 0]
    assert statuses.get("sending", 0) <= IN_FLIGHT and len(missing) <= statuses.get("sending", 0), statuses
    assert "Traceback" not in logs[1].read_text()
