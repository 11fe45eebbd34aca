"""The audit log as superadmins read it (filters, paging, XLSX) and refused attempts recorded in it."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from db.models import AuditLog
from handlers.kit import Kind
from handlers.staff.auditlog import parse_period
from services.errors import InvalidInput

ADMIN, HR, CITIZEN, OFFICER = 900001, 700003, 1001, 700004


async def _audit(app, action=None):
    async with app.db.uow() as uow:
        stmt = select(AuditLog).order_by(AuditLog.id)
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return list((await uow.session.execute(stmt)).scalars())


async def _state(app, external_id):
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", external_id)
        return u.state, u.state_data


@pytest.fixture
async def boss(person):
    p = person(ADMIN, "Kepala")
    await p.say("/start")
    return p


async def _grant_many(boss, clock, ids, role="hr"):
    for i in ids:
        await boss.press_data(f"sf:g:{i}:{role}")
        clock.advance(hours=1)


async def test_newest_first_paged_in_the_deployment_zone(app, boss, clock):
    await _grant_many(boss, clock, range(555000, 555010))
    await boss.press_data("sf:aa:role")
    await boss.press_data("sf:ad:type")
    await boss.say("2026-11-23")  # the seed's grants carry the database's own clock: not that day
    text = boss.last_text()
    assert "aksi: role" in text and "hal. 1/2" in text and "10 entri" in text
    # newest first: the last grant leads; times are WITA (Asia/Makassar)
    assert text.index("555009") < text.index("555008") and "WITA" in text
    assert "masyarakat → BKPSDM" in text
    assert "23 Nov 2026, 19.00 WITA" in text  # the 10th grant: 02:00 UTC + 9 h = 11:00 UTC = 19:00 WITA
    await boss.press("▶️")
    assert "hal. 2/2" in boss.last_text() and "555000" in boss.last_text()


async def test_filters_by_person_action_and_period(app, boss, person, clock):
    await _grant_many(boss, clock, [555100, 555101])
    clock.advance(days=3)
    await _grant_many(boss, clock, [555102])
    await boss.press_data("sf:a")
    # person: a forwarded message picks them (what they did and what was done to them)
    await boss.press("Orang")
    await boss.send(replace(boss._inc(Kind.TEXT, text="x"), forward_origin="user", forwarded_user_id=555101))
    text = boss.last_text()
    assert "1 entri" in text and "555101" in text and "555100" not in text
    await boss.press("Hapus filter")
    await boss.press("Aksi")
    await boss.say("role.gr")
    assert "aksi: role.gr" in boss.last_text() and "555102" in boss.last_text()
    # period typed: only the first two days; the grant three days later is outside
    await boss.press("Periode")
    await boss.press("Ketik tanggal")
    await boss.say("23/11/2026 s/d 24/11/2026")
    text = boss.last_text()
    assert "2026-11-23 – 2026-11-24" in text and "555100" in text and "555101" in text and "555102" not in text
    # presets are the deployment's days
    await boss.press("Periode")
    await boss.press("Hari ini")
    assert "555102" in boss.last_text() and "555100" not in boss.last_text()
    # someone who never used the bot: said so, not an empty silence
    await boss.press("Orang")
    await boss.say("123456")
    assert "belum pernah memakai bot" in boss.last_text()


async def test_action_prefix_is_literal_not_a_pattern(app, boss, clock):
    await _grant_many(boss, clock, [555200])
    await boss.press_data("sf:a")
    await boss.press("Aksi")
    await boss.say("role_grant")  # "_" would be a LIKE wildcard: it must not match "role.grant"
    assert "Tidak ada entri" in boss.last_text()


@pytest.mark.parametrize("typed", ["<b>&", "😀", "a\x00b", "x" * 41, "", "role grant", "%"])
async def test_bad_action_prefixes_are_refused_and_the_step_stays(app, boss, typed):
    await boss.press_data("sf:a")
    await boss.press("Aksi")
    await boss.say(typed)
    assert "Awalan aksi hanya" in boss.last_text() and "<b>&" not in boss.last_text()
    assert (await _state(app, ADMIN))[0] == "sfa.action"


@pytest.mark.parametrize("typed", ["kemarin", "2026-02-30", "2026-11-30 2026-11-01", "1 2 3", "<b>&",
                                   "2026-11-01 2026-11-02 2026-11-03", "9999999-01-01", "\x00", "😀 2026-11-01"])
async def test_bad_periods_are_refused_and_the_step_stays(app, boss, typed):
    await boss.press_data("sf:a")
    await boss.press("Periode")
    await boss.press("Ketik tanggal")
    await boss.say(typed)
    assert "Tanggal" in boss.last_text() and (await _state(app, ADMIN))[0] == "sfa.period"


def test_period_reading():
    assert [d.isoformat() for d in parse_period("2026-11-01 2026-11-30")] == ["2026-11-01", "2026-11-30"]
    assert [d.isoformat() for d in parse_period("5/11/2026")] == ["2026-11-05", "2026-11-05"]
    assert [d.isoformat() for d in parse_period("1.11.2026 - 3.11.2026")] == ["2026-11-01", "2026-11-03"]
    with pytest.raises(InvalidInput):
        parse_period("2026-13-01")


async def test_export_is_the_filtered_set_as_xlsx_and_is_audited(app, boss, clock):
    await _grant_many(boss, clock, [555300, 555301])
    await boss.press_data("sf:g:555302:superadmin")
    await boss.press_data("sf:a")
    await boss.press("Aksi")
    await boss.say("role.grant")
    await boss.press_data("sf:ad:type")
    await boss.say("2026-11-23")  # not the seed's grants (stamped by the database's own clock)
    await boss.press("Ekspor XLSX")
    sent = boss.messages()[-1].reply
    assert sent.attachment is not None and sent.attachment.filename.startswith("audit-BJB-20261123")
    assert "3 entri" in sent.text
    ws = load_workbook(io.BytesIO(sent.attachment.content)).active
    rows = list(ws.iter_rows(values_only=True))
    # headers and values in the reader's language; times in the deployment's zone, said in the header
    assert rows[0] == ("Waktu (WITA)", "Pelaku", "ID pengguna", "Nama", "Aksi", "Sasaran", "Perubahan", "Rincian")
    body = rows[1:]
    assert len(body) == 3 and all(r[4] == "Memberi peran" for r in body)
    assert body[0][3] == "Kepala" and body[0][6] == "peran: masyarakat → superadmin"
    assert body[0][0].hour == (clock.now + timedelta(hours=8)).hour  # local wall-clock time (WITA)
    assert body[0][5].startswith("pengguna #") and body[0][5].endswith("555302")
    assert not any("{" in (c or "") for r in body for c in r if isinstance(c, str))  # never raw JSON
    export = (await _audit(app, "audit.export"))[-1]
    assert export.details["rows"] == 3 and export.details["prefix"] == "role.grant"


async def test_hr_may_not_read_the_audit_log(app, person):
    hr = person(HR, "Ahmad")
    await hr.press_data("sf:a")
    assert "tidak memiliki akses" in hr.last_text()
    await hr.press_data("sf:ae")
    assert "tidak memiliki akses" in hr.last_text()
    assert await _audit(app, "audit.export") == []


# --- refused attempts -----------------------------------------------------------------------------

async def test_a_citizen_trying_staff_commands_and_buttons_is_refused_and_audited(app, person, clock):
    rina = person(CITIZEN, "Rina")
    await rina.say("/start")
    await rina.say("/staf")
    assert "tidak memiliki akses" in rina.last_text()
    await rina.press_data(f"sf:g:{CITIZEN}:superadmin")
    assert "tidak memiliki akses" in rina.last_text()
    denied = await _audit(app, "denied")
    me = denied[0].actor_user_id
    assert [(d.target, d.details["role"], d.details["code"]) for d in denied] == [
        ("cmd:/staf", "citizen", "error.forbidden"), ("btn:sf:g", "citizen", "error.forbidden")]
    assert all(d.actor_user_id == me for d in denied)
    async with app.db.uow() as uow:
        assert (await uow.users.by_external("telegram", CITIZEN)).role == "citizen"


async def test_denied_entries_are_rate_limited_per_person_action_and_minute(app, person, clock):
    rina = person(CITIZEN, "Rina")
    for i in range(30):  # a flood of forged buttons
        await rina.press_data(f"sf:ry:{i + 1}")
    assert len(await _audit(app, "denied")) == 1
    await rina.press_data("sf:ae")  # another button: its own entry
    assert len(await _audit(app, "denied")) == 2
    clock.advance(seconds=59)
    await rina.press_data("sf:ry:1")
    assert len(await _audit(app, "denied")) == 2
    clock.advance(seconds=2)
    await rina.press_data("sf:ry:1")
    assert len(await _audit(app, "denied")) == 3
    budi = person(CITIZEN + 1, "Budi")  # another person is not limited by Rina's entries
    await budi.press_data("sf:ry:1")
    assert len(await _audit(app, "denied")) == 4


async def test_a_refusal_keeps_the_conversation_where_it_was(app, person):
    rina = person(CITIZEN, "Rina")
    await rina.say("/lapor")
    before = await _state(app, CITIZEN)
    assert before[0] is not None
    await rina.press_data("sf:p")  # would enter the pick step for a superadmin
    assert "tidak memiliki akses" in rina.last_text()
    assert await _state(app, CITIZEN) == before
    assert [d.target for d in await _audit(app, "denied")] == ["btn:sf:p"]


async def test_an_officer_refused_on_another_agencys_action_is_audited(app, person):
    budi = person(OFFICER, "Budi")
    await budi.say("/opd")  # HR's agency management
    assert "tidak memiliki akses" in budi.last_text()
    assert [(d.target, d.details["role"]) for d in await _audit(app, "denied")] == [("cmd:/opd", "officer")]
