"""Every HR action on trainings and account links × the six kinds of person, at the service level.

Handlers are not in the way here: a handler that forgot its check must still find the service
saying no. For each action and role: HR and superadmins succeed; citizens, linked civil servants,
officers and unlinked accounts get `Forbidden` and the database is as it was (rows compared).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from db.models import ActivationCode, AuditLog, Base, User
from db.models.training import Enrolment
from services import users
from services.account import admin as account_admin
from services.errors import Forbidden
from services.training import attendance, export, manage
from services.training import fields as f
from tests.training_helpers import AHMAD, BUDI, NUR, SITI, by_code, linked, training

ROLES = ("citizen", "asn", "officer", "hr", "superadmin", "unlinked")
ALLOWED = {"hr", "superadmin"}
SKIP = {"processed_updates"}


async def people(uow) -> dict[str, users.Person]:
    """One person per role; the ASN linked to Siti's record, the unlinked one an ASN without a record."""
    out = {"asn": await linked(uow, SITI, 8001)}
    for i, role in enumerate(("citizen", "officer", "hr", "superadmin", "unlinked")):
        agency = (await uow.agencies.all_active())[0].id if role == "officer" else None
        u = uow.users.add(User(channel="telegram", external_id=8100 + i, chat_id=8100 + i, name=f"Peran {role}",
                               role="asn" if role == "unlinked" else role, agency_id=agency, state_data={}))
        await uow.flush()
        out[role] = users.person_from_row(u)
    return out


async def snapshot(uow) -> dict[str, Any]:
    out = {}
    for table in Base.metadata.sorted_tables:
        if table.name in SKIP:
            continue
        rows = (await uow.session.execute(select(table))).mappings().all()
        out[table.name] = sorted(repr(sorted(r.items())) for r in rows)
    return out


def draft(now, code: str = "AUTH-1") -> dict[str, Any]:
    start = now + timedelta(days=20)
    return {"code": code, "title": "Pelatihan Uji", "topic": "", "organiser": "BKPSDM",
            "starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=8)).isoformat(), "place": "Aula",
            "online_url": None, "jp": 8, "quota": 10, "registration_closes_at": (start - timedelta(days=2)).isoformat(),
            "min_golongan": None, "max_golongan": None, "jabatan_kinds": [], "agency_ids": [], "employment": None}


Action = Callable[[Any, users.Person, dict[str, Any], Any], Awaitable[Any]]


async def _world(uow, now) -> dict[str, Any]:
    running = await training(uow, now, "RUN-AUTH", days=-1, hours=30, closes_in=timedelta(days=-2))
    nur = await uow.employees.by_nip(NUR)
    uow.trainings.add_enrolment(Enrolment(training_id=running.id, employee_id=nur.id, status="seat",
                                          queued_at=now - timedelta(days=3)))
    pp = await by_code(uow, "PP-2026-01")
    budi = await uow.employees.by_nip(BUDI)
    uow.trainings.add_enrolment(Enrolment(training_id=running.id, employee_id=budi.id, status="attended",
                                          attended_from="seat", queued_at=now - timedelta(days=4)))
    await linked(uow, AHMAD, 8200)  # a record linked to someone, for release
    return {"pp": pp.id, "running": running.id, "nur": nur.id, "budi": budi.id,
            "ahmad": (await uow.employees.by_nip(AHMAD)).id}


async def _update(uow, p: users.Person, w: dict[str, Any], now) -> Any:
    """A new place and a higher quota: values read straight from the row, so only `update` checks."""
    values = f.values_of(await uow.trainings.get(w["pp"]))
    return await manage.update(uow, p, w["pp"], replace(values, place="Tempat baru", quota=5), now, tz="Asia/Makassar")


ACTIONS: dict[str, Action] = {
    "console": lambda uow, p, w, now: manage.console(uow, p, now),
    "card": lambda uow, p, w, now: manage.card(uow, p, w["pp"], now),
    "values": lambda uow, p, w, now: manage.values(uow, p, w["pp"]),
    "agency_codes": lambda uow, p, w, now: manage.agency_codes(uow, p),
    "parse_field": lambda uow, p, w, now: manage.parse_field(uow, p, "quota", "12", f.TrainingFields(), tz=now.tzinfo,
                                                                   now=now),
    "create": lambda uow, p, w, now: manage.create(uow, p, f.TrainingFields.from_json(draft(now)), now),
    "update": _update,
    "close_registration": lambda uow, p, w, now: manage.close_registration(uow, p, w["pp"], now),
    "mark_attended": lambda uow, p, w, now: attendance.mark_attended(uow, p, w["running"], [w["nur"]], now=now),
    "attendee": lambda uow, p, w, now: attendance.attendee(uow, p, w["running"], w["budi"]),
    "withdraw_attendance": lambda uow, p, w, now: attendance.withdraw_attendance(
        uow, p, w["running"], w["budi"], reason_code="mistake", now=now, tz="Asia/Makassar"),
    "participants": lambda uow, p, w, now: export.participants(uow, p, w["pp"]),
    "export_xlsx": lambda uow, p, w, now: export.roster(uow, p, w["pp"]),
    "link_find": lambda uow, p, w, now: account_admin.find(uow, p, NUR, now),
    "link_card": lambda uow, p, w, now: account_admin.card(uow, p, w["nur"], now),
    "code_issue": lambda uow, p, w, now: account_admin.issue(uow, p, w["budi"], now),
    "code_revoke": lambda uow, p, w, now: account_admin.revoke(uow, p, w["nur"], now),
    "release": lambda uow, p, w, now: account_admin.release(uow, p, w["ahmad"]),
}
WRITES = {"create", "update", "close_registration", "mark_attended", "withdraw_attendance", "export_xlsx",
          "code_issue", "code_revoke", "release"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ACTIONS))
async def test_only_hr_and_superadmins_may(app, role, action):
    now = app.clock()
    async with app.db.uow() as uow:
        who = await people(uow)
        w = await _world(uow, now)
        await account_admin.issue(uow, who["hr"], w["nur"], now)  # a live code, for revoking
        await uow.commit()
    async with app.db.uow() as uow:
        before = await snapshot(uow)
        if role in ALLOWED:
            await ACTIONS[action](uow, who[role], w, now)
            await uow.flush()
            after = await snapshot(uow)
            if action in WRITES:
                assert after["audit_log"] != before["audit_log"], action  # every change by staff is audited
                last = (await uow.session.execute(select(AuditLog).order_by(AuditLog.id.desc()))).scalars().first()
                assert last.actor_user_id == who[role].id
            else:
                assert after == before, action  # reading changes nothing
        else:
            with pytest.raises(Forbidden):
                await ACTIONS[action](uow, who[role], w, now)
            await uow.flush()
            assert await snapshot(uow) == before, (role, action)


async def test_the_audit_says_before_and_after_for_each_change(app):
    now = app.clock()
    async with app.db.uow() as uow:
        who = await people(uow)
        w = await _world(uow, now)
        await account_admin.issue(uow, who["hr"], w["nur"], now)
        hr = who["hr"]
        await manage.close_registration(uow, hr, w["pp"], now)
        await attendance.mark_attended(uow, hr, w["running"], [w["nur"]], now=now)
        await account_admin.revoke(uow, hr, w["nur"], now)
        await account_admin.release(uow, hr, w["ahmad"])
        rows = {r.action: r.details for r in (await uow.session.execute(select(AuditLog))).scalars()}
        codes = (await uow.session.execute(select(ActivationCode))).scalars().all()
    assert rows["training.close"]["before"]["registration_closes_at"] != rows["training.close"]["after"][
        "registration_closes_at"]
    assert rows["training.attended"]["before"] == {str(w["nur"]): "seat"}
    assert rows["training.attended"]["after"] == {str(w["nur"]): "attended"}
    assert rows["employee.code_revoked"]["before"]["unused_codes"] == 1
    assert rows["employee.code_revoked"]["after"] == {"unused_codes": 0}
    assert rows["employee.release"]["before"]["role"] == "asn" and rows["employee.release"]["after"]["role"] == "citizen"
    assert codes == []  # the revoked code is gone: typing it reads as a wrong code
    assert all("code" not in str(d).lower() or "unused_codes" in str(d) or "expires_at" in str(d)
               for a, d in rows.items() if a == "employee.code_issued")
