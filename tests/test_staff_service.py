"""The staff services' own rules: the last superadmin seat, ids, agencies, erased accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditLog
from services import users
from services.errors import DomainError, InvalidInput, NotFound
from services.staff import staff
from services.staff.grant import grant_role

BOSS, OTHER, TARGET = 800001, 800002, 555001


async def _person(uow, external_id):
    return users.person_from_row(await uow.users.by_external("telegram", external_id))


@pytest.fixture
async def seeded(app, clock):
    async with app.db.uow() as uow:
        await grant_role(uow, actor="test", external_id=BOSS, role="superadmin", agency_code=None, now=clock())
        await uow.commit()
    return app.db


async def test_the_last_superadmin_cannot_leave_the_seat(seeded, clock):
    async with seeded.uow() as uow:
        boss = await _person(uow, BOSS)
        # No SAPA_ADMIN_IDS here: BOSS is the only superadmin (900001 of the test config never wrote).
        for attempt in (staff.revoke(uow, boss, BOSS, admin_ids=[], now=clock()),
                        staff.grant(uow, boss, BOSS, "hr", admin_ids=[], now=clock())):
            with pytest.raises(DomainError) as e:
                await attempt
            assert e.value.code == "sf.err.last_superadmin"
        await staff.grant(uow, boss, OTHER, "superadmin", admin_ids=[], now=clock())
        change = await staff.revoke(uow, boss, BOSS, admin_ids=[], now=clock())  # now another remains
        assert change.before == {"role": "superadmin", "agency": None} and change.member.role == "citizen"
        await uow.commit()
    async with seeded.uow() as uow:
        rows = (await uow.session.execute(select(AuditLog).where(AuditLog.action.in_(("role.grant", "role.revoke")))
                                          .order_by(AuditLog.id))).scalars().all()
        assert [(r.action, r.details["after"]["role"]) for r in rows][-2:] == [("role.grant", "superadmin"),
                                                                              ("role.revoke", "citizen")]
        assert all(r.at == clock() for r in rows[-2:])  # the update's clock, not the database's


async def test_ids_agencies_and_erased_accounts(seeded, clock):
    async with seeded.uow() as uow:
        boss = await _person(uow, BOSS)
        for raw in ("0", "-1", "1e5", "٣", "12345678901234567", ""):
            with pytest.raises(InvalidInput):
                staff.parse_id(raw)
        assert staff.parse_id(" 123 456 ") == 123456
        with pytest.raises(InvalidInput):
            await staff.grant(uow, boss, TARGET, "officer", admin_ids=[], now=clock())  # no agency
        dlh = await uow.agencies.by_code("DLH")
        dlh.active = False
        with pytest.raises(InvalidInput):
            await staff.grant(uow, boss, TARGET, "officer", agency_id=dlh.id, admin_ids=[], now=clock())
        with pytest.raises(InvalidInput):
            await staff.grant(uow, boss, TARGET, "citizen", admin_ids=[], now=clock())
        await staff.grant(uow, boss, TARGET, "hr", admin_ids=[], now=clock())
        u = await uow.users.by_external("telegram", TARGET)
        u.erased = True
        with pytest.raises(NotFound):
            await staff.revoke(uow, boss, TARGET, admin_ids=[], now=clock())
