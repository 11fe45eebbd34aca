"""End to end on SQLite: a real `sapa run` against the emulator queues the H-1 reminder at start-up
(the run missed while it was down), the person receives it once, in their language, and
`/pengingat` shows the next one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.database import open_database
from bot.sandbox.emulator import Emulator
from db.models import Enrolment, Training
from tests.e2e import User, live_sapa, seeded_sqlite, wait_until
from tests.training_helpers import SITI, linked

pytestmark = pytest.mark.e2e
TZ = ZoneInfo("Asia/Makassar")
SITI_TG = 700002


async def _training_tomorrow(url: str) -> None:
    db = open_database(url)
    try:
        async with db.uow() as uow:
            siti = await linked(uow, SITI, SITI_TG)
            now = datetime.now(UTC)
            starts = datetime.combine(now.astimezone(TZ).date() + timedelta(days=1), time(12), tzinfo=TZ)
            t = Training(code="E2E-RM", title="Etika <Pelayanan>", organiser="BKPSDM", starts_at=starts,
                         ends_at=starts + timedelta(hours=3), place="Aula Gawi Sabarataan", jp=3, quota=10,
                         registration_closes_at=now - timedelta(hours=1), status="open", jabatan_kinds=[],
                         agency_ids=[])
            uow.session.add(t)
            await uow.flush()
            uow.session.add(Enrolment(training_id=t.id, employee_id=siti.employee_id, status="seat"))
            await uow.commit()
    finally:
        await db.dispose()


async def test_the_h1_reminder_arrives_once_and_pengingat_shows_the_next(tmp_path: Path) -> None:
    url = await seeded_sqlite(tmp_path / "sapa.db")
    await _training_tomorrow(url)
    emu = Emulator(rate_limit=0)
    emu.store.touch_user(SITI_TG, first_name="Siti")  # she opened the bot once, long ago
    env = {"SAPA_DATABASE_URL": url, "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_QUIET_HOURS": "off",
           "SAPA_REMINDER_HOUR": "0", "SAPA_REMINDER_MORNING_HOUR": "6"}
    async with live_sapa(tmp_path, env, emulator=emu):
        def reminders() -> list[str]:
            return [m.get("text") or "" for m in emu.sent(SITI_TG) if "Etika" in (m.get("text") or "")]
        await wait_until(lambda: len(reminders()) >= 1, 60, "the H-1 reminder")
        await asyncio.sleep(2.0)  # a second job run or a retry would show up here
        assert len(reminders()) == 1
        assert "Besok" in reminders()[0] and "Etika &lt;Pelayanan&gt;" in reminders()[0]  # escaped HTML
        assert "12.00 WITA" in reminders()[0] and "Aula Gawi Sabarataan" in reminders()[0]
        siti = User(emu, SITI_TG, "Siti")
        text = await siti.say("/pengingat")
        assert "Pengingat Anda" in text and "Etika" in text and "06.00 WITA" in text
        text = await siti.press("Matikan: Pelatihan")
        assert "dimatikan" in text
