"""The README's walk, exactly: an empty database → migrate → import agencies → import employees →
grant staff → start; then a citizen's report reaches the officer, who had never opened the bot.

Runs the real CLI (`bot.cli.main`, in-process as tests/test_cli.py does) and then the real App
with the router, on SQLite and on a fresh PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from bot.cli import main
from bot.core import App
from bot.database import open_database
from bot.delivery import Pause
from bot.outbox import OutboxSender
from db.models import Agency, AuditLog, OutboxMessage
from handlers import build_router
from handlers.channel import Unreachable
from handlers.notices import render_notice
from services.clock import utc_now
from services.settings import load_settings
from tests.conftest import PG_URL
from tests.harness import Clock, FakeChannel, Person
from tests.test_complaints_flows import NUMBER, assert_valid_html, file_report

HR_ID, OFFICER_ID, CITIZEN_ID = 810001, 810002, 810003
PUPR = "Dinas Pekerjaan Umum dan Penataan Ruang"
AGENCIES = """\
code,name,short_name,keywords,parent,head_telegram_id
BKPSDM,Badan Kepegawaian dan Pengembangan SDM,BKPSDM,"kepegawaian, asn, pns",,
PUPR,Dinas Pekerjaan Umum dan Penataan Ruang,Dinas PUPR,"jalan rusak, jalan berlubang, jembatan, drainase",,810002
DINKES,Dinas Kesehatan,Dinkes,"puskesmas, obat, dokter",,
PKM-GM,Puskesmas Guntung Manggis,,"puskesmas guntung manggis",DINKES,
"""
EMPLOYEES = """\
nip,name,phone,agency,golongan,jabatan,employment
198503122010011001,Ahmad Fauzi,081234500001,BKPSDM,III/c,Analis SDM Aparatur,PNS
197804172005011003,Budi Santoso,081234500003,Dinas PUPR,IV/a,Kepala Bidang Bina Marga,PNS
"""


def _admin_sql(sql: str) -> None:
    admin = make_url(PG_URL).set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)

    async def run() -> None:
        conn = await asyncpg.connect(admin)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()
    asyncio.run(run())


@pytest.fixture(params=["sqlite"] + (["postgresql"] if PG_URL else []))
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A database nobody has touched: not even migrated."""
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'government.db'}"
        return
    name = f"sapa_walk_{uuid.uuid4().hex[:8]}"
    _admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        _admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_from_an_empty_database_to_a_report_on_the_officers_desk(
    empty_database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("SAPA_BOT_TOKEN", "SAPA_ADMIN_IDS", "SAPA_BOT_USERNAME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("SAPA_DATABASE_URL", empty_database)
    monkeypatch.setenv("SAPA_TIMEZONE", "Asia/Makassar")
    (tmp_path / "opd.csv").write_text(AGENCIES, encoding="utf-8")
    (tmp_path / "pegawai.csv").write_text(EMPLOYEES, encoding="utf-8")

    def sapa(*argv: str) -> str:
        assert main(list(argv)) == 0, capsys.readouterr()
        out = capsys.readouterr()
        assert out.err == ""
        return out.out

    assert sapa("migrate") == "database is at the latest schema\n"
    assert sapa("import", "agencies", "opd.csv") == "imported 4 new, updated 0, rejected 0\n"
    assert sapa("import", "agencies", "opd.csv") == "imported 0 new, updated 0, unchanged 4, rejected 0\n"
    assert sapa("import", "employees", "pegawai.csv") == "imported 2 new, updated 0, rejected 0\n"
    hr = sapa("admin", "add", str(HR_ID), "--role", "hr")
    officer = sapa("admin", "add", str(OFFICER_ID), "--role", "officer", "--agency", "PUPR")
    assert hr.startswith(f"{HR_ID} is now hr\n") and "must open the bot once" in hr
    assert officer.startswith(f"{OFFICER_ID} is now officer of PUPR\n") and "must open the bot once" in officer

    asyncio.run(_start_and_file(empty_database))


async def _start_and_file(url: str) -> None:
    settings = load_settings(database_url=url, bot_token=None, timezone="Asia/Makassar", _env_file=None)
    db = open_database(url)
    channel, clock = FakeChannel(), Clock()
    app = App(settings, db, build_router(), channel, clock)
    # Rows are queued "now" by the database's clock: the sender looks at the real time too.
    sender = OutboxSender(db, channel, render_notice, rate=10_000.0, in_flight=2, pause=Pause(), clock=utc_now)
    try:
        async with db.uow() as uow:
            pkm = (await uow.session.execute(select(Agency).where(Agency.code == "PKM-GM"))).scalar_one()
            dinkes = await uow.agencies.by_code("DINKES")
            assert pkm.parent_id == dinkes.id  # type: ignore[union-attr]

        rina = Person(app, channel, CITIZEN_ID, "Rina")
        await rina.say("/start")
        assert "Selamat datang, Rina" in rina.last_text()
        number = await file_report(rina, "Jalan berlubang di depan pasar Guntung Manggis, bahaya untuk motor",
                                   agency=PUPR)

        # The officer was granted before ever writing: Telegram refuses the bot's first message.
        channel.failures[OFFICER_ID] = Unreachable("Forbidden: bot can't initiate conversation with a user")
        await sender.drain_once()
        budi = Person(app, channel, OFFICER_ID, "Budi")
        assert budi.messages() == []
        async with db.uow() as uow:
            row = (await uow.session.execute(select(OutboxMessage).where(
                OutboxMessage.template == "cx.new"))).scalar_one()
            assert row.status == "unreachable"

        # They open the bot: the welcome says what waits, and the missed notice goes out again.
        del channel.failures[OFFICER_ID]
        await budi.say("/start")
        assert "Laporan menunggu Anda" in budi.last_text() and "baru: 1" in budi.last_text()
        assert await sender.drain_once() == 1
        notice = budi.last_text()
        assert number in notice and "Jalan berlubang" in notice
        assert NUMBER.search(notice)
        await budi.press("Buka")
        assert number in budi.last_text() and "Rina" in budi.last_text()
        assert_valid_html(channel)
        async with db.uow() as uow:
            actions = (await uow.session.execute(select(AuditLog.action).order_by(AuditLog.id))).scalars().all()
        # The second agencies import changed nothing, so it wrote nothing, not even an audit row.
        assert actions[:3] == ["agencies.import", "employees.import", "role.grant"]
    finally:
        await db.dispose()
