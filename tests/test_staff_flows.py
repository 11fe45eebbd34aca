"""Staff management in the chat: a superadmin picks a person (forwarded message or typed id),
grants and revokes roles (audited, notified), lists staff; and the bad inputs around it."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from db.models import AuditLog, Employee, OutboxMessage, User
from handlers.kit import Kind

ADMIN, TARGET, CITIZEN = 900001, 555001, 1001


async def _user(app, external_id):
    async with app.db.uow() as uow:
        return await uow.users.by_external("telegram", external_id)


async def _audit(app, action=None):
    async with app.db.uow() as uow:
        stmt = select(AuditLog).order_by(AuditLog.id)
        if action:
            stmt = stmt.where(AuditLog.action == action)
        return list((await uow.session.execute(stmt)).scalars())


async def _outbox(app, user_id):
    async with app.db.uow() as uow:
        stmt = select(OutboxMessage).where(OutboxMessage.user_id == user_id)
        return list((await uow.session.execute(stmt)).scalars())


async def forward(p, sender_id: int | None, *, origin: str = "user", text: str = "halo"):
    """The superadmin forwards a message of `sender_id` (as bot/updates reads forward_origin)."""
    return await p.send(replace(p._inc(Kind.TEXT, text=text), forward_origin=origin, forwarded_user_id=sender_id))


@pytest.fixture
async def boss(person):
    p = person(ADMIN, "Kepala")
    await p.say("/start")
    return p


@pytest.fixture
async def target(person):
    p = person(TARGET, "Dewi <b>&", username="dewi_r")
    await p.say("/start")
    return p


async def test_forward_a_message_grant_officer_from_the_agency_list(app, boss, target):
    await boss.say("/staf")
    assert "Staf &amp; audit" in boss.last_text()
    await boss.press("Pilih orang")
    assert "Teruskan" in boss.last_text()
    await forward(boss, TARGET)
    card = boss.last_text()
    assert "Dewi &lt;b&gt;&amp;" in card and "@dewi_r" in card and str(TARGET) in card and "masyarakat" in card
    await boss.press("Jadikan petugas OPD")
    assert "pilih OPD" in boss.last_text()
    await boss.press("PUPR")
    assert "masyarakat → <b>petugas OPD — Dinas Pekerjaan Umum" in boss.last_text()
    u = await _user(app, TARGET)
    assert u.role == "officer" and u.agency_id is not None
    grant = (await _audit(app, "role.grant"))[-1]
    assert grant.actor_user_id == (await _user(app, ADMIN)).id and grant.target == f"user:{u.id}"
    assert grant.details["before"] == {"role": "citizen", "agency": None}
    assert grant.details["after"] == {"role": "officer", "agency": "PUPR"}
    notices = await _outbox(app, u.id)
    assert [n.template for n in notices] == ["staff.role_changed"] and notices[0].params["role"] == "officer"
    # the person can now work the desk; a second identical grant is refused, nothing recorded twice
    await boss.press("Jadikan petugas OPD")
    await boss.press("PUPR")
    assert "sudah memiliki peran" in boss.last_text()
    assert len(await _audit(app, "role.grant")) == 1 + len([a for a in await _audit(app, "role.grant")
                                                            if a.actor_label in ("seed", "config")])


async def test_type_an_id_grant_hr_then_revoke_back_to_citizen(app, boss, target):
    await boss.say("/staf")
    await boss.press("Pilih orang")
    await boss.say(f" {TARGET} ")
    await boss.press("Jadikan HR")
    assert (await _user(app, TARGET)).role == "hr"
    await boss.press("Cabut peran staf")
    assert "Ia menjadi <b>masyarakat</b>" in boss.last_text()
    await boss.press("Ya, cabut")
    assert (await _user(app, TARGET)).role == "citizen"
    revoke = (await _audit(app, "role.revoke"))[-1]
    assert revoke.details["before"] == {"role": "hr", "agency": None}
    assert revoke.details["after"] == {"role": "citizen", "agency": None}
    u = await _user(app, TARGET)
    assert [n.params["role"] for n in await _outbox(app, u.id)] == ["hr", "citizen"]


async def test_revoking_someone_linked_to_an_employee_makes_them_asn(app, boss, target):
    async with app.db.uow() as uow:
        emp = (await uow.session.execute(select(Employee).limit(1))).scalar_one()
        u = await uow.users.by_external("telegram", TARGET)
        u.employee_id, u.role = emp.id, "hr"
        await uow.commit()
    await boss.say("/staf")
    await boss.press("Pilih orang")
    await forward(boss, TARGET)
    assert "kembali menjadi ASN" in boss.last_text()
    await boss.press("Cabut peran staf")
    await boss.press("Ya, cabut")
    assert (await _user(app, TARGET)).role == "asn"


async def test_a_hidden_sender_is_explained_and_the_step_stays(app, boss):
    await boss.say("/staf")
    await boss.press("Pilih orang")
    await forward(boss, None, origin="hidden_user")
    assert "privasi" in boss.last_text() and "ID Telegram" in boss.last_text()
    await forward(boss, None, origin="channel")
    assert "kanal atau grup" in boss.last_text()
    await boss.say(str(TARGET))  # still the same step: the id works
    assert "Peran: <b>masyarakat</b>" in boss.last_text() and "Belum pernah membuka bot" in boss.last_text()
    assert await _user(app, TARGET) is None  # looking someone up creates nothing


@pytest.mark.parametrize("typed", ["abc", "", "   ", "<b>&amp;", "😀", "12\x0034", "-5", "0",
                                   "9" * 40, str(2**63), "١٢٣", "12.5"])
async def test_garbage_ids_are_refused_and_the_step_stays(app, boss, typed):
    await boss.say("/staf")
    await boss.press("Pilih orang")
    await boss.say(typed)
    assert "hanya berisi angka" in boss.last_text() and "<b>&amp;" not in boss.last_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", ADMIN)
        assert u.state == "sf.who"
    await boss.send_photo()
    assert "Teruskan pesan orang itu" in boss.last_text()


async def test_a_forwarded_command_is_not_a_command(app, boss, target):
    await boss.say("/staf")
    await boss.press("Pilih orang")
    await forward(boss, TARGET, text="/hapusdata")
    assert "Peran: <b>masyarakat</b>" in boss.last_text()


async def test_forged_and_stale_buttons_of_a_superadmin(app, boss, target):
    for data in ("sf:g:abc:hr", "sf:g:1:root", "sf:o:1", "sf:ry:" + "9" * 30, "sf:aa:evil", "sf:ad:999",
                 "sf:c:" + "<b>", "sf:l:x", "sf:zz"):
        assert "tidak berlaku" in await boss.press_stale(data), data
    await boss.press_data(f"sf:o:{TARGET}:999999")  # an agency that does not exist
    assert "Pilih OPD yang aktif" in boss.last_text()
    await boss.press_data(f"sf:ry:{TARGET}")  # not staff
    assert "bukan staf" in boss.last_text()
    await boss.press_data(f"sf:ry:{2**62}")  # too large to be a Telegram id
    assert "hanya berisi angka" in boss.last_text()
    assert (await _user(app, TARGET)).role == "citizen"
    assert await _audit(app, "role.revoke") == []


async def test_the_configured_superadmin_cannot_be_demoted_in_the_chat(app, boss, person):
    second = person(900002, "Wakil")
    await second.say("/start")
    await boss.say("/staf")
    await boss.press("Pilih orang")
    await boss.say("900002")
    await boss.press("Jadikan superadmin")
    assert (await _user(app, 900002)).role == "superadmin"
    await second.say("/staf")
    await second.press("Pilih orang")
    await second.say(str(ADMIN))
    assert "karena konfigurasi" in second.last_text() and "Cabut peran staf" not in second.last_labels()
    await second.press_data(f"sf:g:{ADMIN}:hr")
    assert "SAPA_ADMIN_IDS" in second.last_text()
    assert (await _user(app, ADMIN)).role == "superadmin"
    # a superadmin may step down while another remains
    await second.press_data("sf:ry:900002")
    assert (await _user(app, 900002)).role == "citizen"
    assert "Peran staf Anda di SAPA telah dicabut" in _rendered(await _outbox(app, (await _user(app, 900002)).id))


def _rendered(rows) -> str:
    from handlers.notices import render_notice
    return "\n".join(render_notice(r.template, r.params, "id").text for r in rows)


async def test_the_role_notice_speaks_both_languages(app, boss, target):
    await boss.say("/staf")
    await boss.press("Pilih orang")
    await boss.say(str(TARGET))
    await boss.press("Jadikan HR")
    rows = await _outbox(app, (await _user(app, TARGET)).id)
    from handlers.notices import render_notice
    assert "Peran Anda di SAPA sekarang: <b>BKPSDM" in render_notice(rows[0].template, rows[0].params, "id").text
    assert "Your role in SAPA is now" in render_notice(rows[0].template, rows[0].params, "en").text


async def test_staff_list_groups_by_role_and_agency_and_pages(app, boss, person):
    async with app.db.uow() as uow:
        pupr = await uow.agencies.by_code("PUPR")
        for i in range(14):
            uow.users.add(User(channel="telegram", external_id=600000 + i, chat_id=600000 + i, name=f"Petugas {i:02}",
                               role="officer", agency_id=pupr.id, state_data={}))
        await uow.commit()
    await boss.say("/staf")
    await boss.press("Daftar staf")
    first = boss.last_text()
    assert "<b>Superadmin</b> (1)" in first and "Kepala" in first and "<b>HR (BKPSDM)</b> (1)" in first
    assert "Petugas PUPR" in first and "hal. 1/2" in first
    await boss.press("▶️")
    assert "hal. 2/2" in boss.last_text() and "Petugas 13" in boss.last_text()
    await boss.press("Petugas 13")
    assert "petugas OPD — Dinas Pekerjaan Umum" in boss.last_text()
