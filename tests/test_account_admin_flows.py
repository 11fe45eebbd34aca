"""HR's /kelolaakun in the chat: issue an activation code, revoke it, release a record from a lost
account; bad NIPs, wrong roles and forged buttons."""

from __future__ import annotations

import re

from sqlalchemy import select

from db.models import ActivationCode, AuditLog
from tests.test_complaints_flows import assert_valid_html

HR_TG, ADMIN_TG, OFFICER_TG, SITI_TG, CITIZEN_TG = 700003, 900001, 700004, 700002, 1001
NUR, SITI = "199512202023212004", "199001052015032002"
FORBIDDEN = "tidak memiliki akses"


async def actions(app) -> list[str]:
    async with app.db.uow() as uow:
        return [r.action for r in (await uow.session.execute(select(AuditLog).order_by(AuditLog.id))).scalars()]


async def test_hr_issues_a_code_in_the_chat_and_the_employee_links_with_it(app, person, channel):
    hr, nur = person(HR_TG, "Ahmad"), person(2020, "Nur")
    await hr.say("/start")
    await hr.press("Tautan akun ASN")
    assert "Ketik <b>NIP</b>" in hr.last_text()
    await hr.say(NUR)
    assert "Nur Aisyah" in hr.last_text() and NUR in hr.last_text() and "Belum tertaut" in hr.last_text()
    await hr.press("Terbitkan kode aktivasi")
    assert "Berlaku 72 jam" in hr.last_text()
    async with app.db.uow() as uow:
        assert not (await uow.session.execute(select(ActivationCode))).first()  # asked first, nothing issued
    await hr.press("Ya, lanjutkan")
    code = re.search(r"<code>([A-Z0-9]{8})</code>", hr.last_text()).group(1)
    assert "Ada kode aktivasi aktif sampai 26 Nov 2026, 10.00 WITA" in hr.last_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", HR_TG)
        assert code not in str(u.state_data)  # the code is kept nowhere but in that one reply
        row = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "employee.code_issued"))
               ).scalar_one()
        assert code not in str(row.details) and row.actor_user_id == u.id
    await nur.say("/tautkan")
    await nur.say(NUR)
    await nur.say(code)
    assert "Akun tertaut" in nur.all_text()
    await hr.say(f"/kelolaakun {NUR}")
    assert "Tertaut ke akun: Nur" in hr.last_text() and "Tidak ada kode aktivasi aktif" in hr.last_text()
    assert_valid_html(channel)


async def test_a_revoked_code_no_longer_links(app, person):
    hr, nur = person(HR_TG, "Ahmad"), person(2021, "Nur")
    await hr.say(f"/kelolaakun {NUR}")
    await hr.press("Terbitkan kode aktivasi")
    await hr.press("Ya, lanjutkan")
    code = re.search(r"<code>([A-Z0-9]{8})</code>", hr.last_text()).group(1)
    await hr.press("Terbitkan kode aktivasi")  # a second one warns that the first stops working
    assert "sudah punya kode aktif" in hr.last_text()
    await hr.press("Kembali")
    await hr.press("Cabut kode")
    assert "tidak bisa dipakai lagi" in hr.last_text()
    await hr.press("Ya, lanjutkan")
    assert "Kode dicabut" in hr.last_text() and "Cabut kode" not in " ".join(hr.last_labels())
    await hr.press_data(hr.messages()[-1].reply.buttons[0][0].data.replace("akn:i", "akn:r") + ":1")
    assert "Tidak ada kode aktif untuk dicabut" in hr.last_text()
    await nur.say("/tautkan")
    await nur.say(NUR)
    await nur.say(code)
    assert "salah" in nur.last_text() and "Akun tertaut" not in nur.all_text()
    assert (await actions(app)).count("employee.code_revoked") == 1


async def test_hr_releases_a_record_from_a_lost_account(app, person):
    hr, siti = person(HR_TG, "Ahmad"), person(SITI_TG, "Siti")
    await siti.say("/tautkan")
    await siti.say(SITI)
    await siti.share_contact("6281234500002")
    async with app.db.uow() as uow:
        assert (await uow.users.by_external("telegram", SITI_TG)).employee_id is not None
    await hr.say(f"/kelolaakun {SITI[:8]} {SITI[8:14]} {SITI[14:]}")  # spaces as people type them
    assert "Tertaut ke akun: Siti" in hr.last_text()
    await hr.press("Lepaskan dari akun")
    assert "kehilangan akses ASN" in hr.last_text()
    await hr.press("Ya, lanjutkan")
    assert "dilepaskan dari akunnya" in hr.last_text() and "Belum tertaut" in hr.last_text()
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", SITI_TG)
        assert u.employee_id is None and u.role == "citizen"
        row = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "employee.release"))).scalar_one()
        assert row.details["before"]["user"] == u.id and row.details["after"]["user"] is None
        emp = await uow.employees.by_nip(SITI)
    await hr.press_data(f"akn:x:{emp.id}:1")  # pressed again (or forged): nothing to release
    assert "tidak tertaut ke akun mana pun" in hr.last_text()
    assert (await actions(app)).count("employee.release") == 1


async def test_bad_nips_are_refused_and_the_step_stays(app, person, channel):
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolaakun")
    for bad, why in (("<b>&", "18 digit"), ("🙂", "18 digit"), ("\x00", "18 digit"), ("x" * 5000, "18 digit"),
                     ("123", "Anda mengetik 3 digit"), ("199001052015032099", "tidak ditemukan")):
        await hr.say(bad)
        assert why in hr.last_text(), bad
        assert "Ketik <b>NIP</b>" in hr.last_text()
    await hr.send_photo()
    assert "Ketik <b>NIP</b>" in hr.last_text()
    await hr.say(NUR)
    assert "Nur Aisyah" in hr.last_text()
    assert_valid_html(channel)


async def test_no_one_else_may_touch_codes_or_links(app, person):
    async with app.db.uow() as uow:
        nur = await uow.employees.by_nip(NUR)
    before = await actions(app)
    for uid in (CITIZEN_TG, SITI_TG, OFFICER_TG):
        p = person(uid, "Bukan HR")
        await p.say("/start")
        assert "Tautan akun ASN" not in " ".join(p.last_labels())
        for text in ("/kelolaakun", f"/kelolaakun {NUR}", "/kodeaktivasi"):
            await p.say(text)
            assert FORBIDDEN in p.last_text() and "Nur" not in p.last_text(), (uid, text)
        for data in ("akn:f", f"akn:o:{nur.id}", f"akn:i:{nur.id}", f"akn:i:{nur.id}:1", f"akn:r:{nur.id}:1",
                     f"akn:x:{nur.id}:1"):
            await p.press_data(data)
            assert FORBIDDEN in p.last_text() and "Nur" not in p.last_text(), (uid, data)
        for data in ("akn:i:abc", "akn:x:1:2", f"akn:o:{nur.id}:9"):  # malformed, wrong role: refused first
            await p.press_data(data)
            assert FORBIDDEN in p.last_text()
    async with app.db.uow() as uow:
        assert not (await uow.session.execute(select(ActivationCode))).first()
    # Nothing was done; each refusal is recorded as a denied attempt (the router's audit of Forbidden).
    assert [a for a in await actions(app) if a != "denied"] == before and "denied" in await actions(app)


async def test_superadmin_may_issue_too(app, person):
    admin = person(ADMIN_TG, "Super")
    await admin.say(f"/kelolaakun {NUR}")
    await admin.press("Terbitkan kode aktivasi")
    await admin.press("Ya, lanjutkan")
    assert re.search(r"<code>[A-Z0-9]{8}</code>", admin.last_text())
