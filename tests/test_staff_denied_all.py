"""Every staff command and every staff button, tried by a citizen and by a civil servant:
refused in words ("not allowed") and recorded as a denied attempt in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from db.models import AuditLog, Employee, User
from handlers import build_router
from handlers.i18n import t

ROUTER = build_router()
CITIZEN, ASN = 1002, 1003
# What only staff may use. A new staff command or button prefix belongs here (the test below
# fails for a prefix that starts like a staff one and is not listed).
STAFF_COMMANDS = ("staf", "staff", "statistik", "stats", "opd", "agencies", "laporanmasuk", "desk", "inbox", "ikm")
STAFF_PREFIX_STARTS = ("sf", "cxo:", "opd:", "stats", "ikm")
NOT_ALLOWED = t("id", "error.forbidden")


def staff_prefixes() -> list[str]:
    return sorted(p for p in ROUTER.callbacks if p == "sf" or p.startswith(STAFF_PREFIX_STARTS))


def plausible(prefix: str) -> list[str]:
    """Data a forger would send: the prefix with ids and the words the staff buttons take."""
    return [prefix, f"{prefix}:1", f"{prefix}:1:1", f"{prefix}:555001:hr", f"{prefix}:1:verify", f"{prefix}:role"]


@pytest.mark.parametrize("role", ["citizen", "asn"])
async def test_staff_commands_and_buttons_are_refused_and_audited(app, person, role):
    uid = CITIZEN if role == "citizen" else ASN
    who = person(uid, "Peran")
    await who.say("/start")
    if role == "asn":
        async with app.db.uow() as uow:
            emp = (await uow.session.execute(select(Employee).limit(1))).scalar_one()
            await uow.session.execute(update(User).where(User.external_id == ASN).values(role="asn", employee_id=emp.id))
            await uow.commit()
    refused: list[str] = []
    for command in STAFF_COMMANDS:
        assert command in ROUTER.commands, command
        replies = await who.say(f"/{command}")
        assert any(NOT_ALLOWED in r.text for r in replies), (command, [r.text for r in replies])
        refused.append(f"cmd:/{command}")
    for prefix in staff_prefixes():
        answered = False
        for data in plausible(prefix):
            replies = await who.press_data(data)
            assert all(r.text != t("id", "error.internal") for r in replies), data
            answered = answered or any(NOT_ALLOWED in r.text for r in replies)
        assert answered, prefix  # at least the well-formed press says "not allowed"
        refused.append(f"btn:{prefix}")
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "denied"))).scalars().all()
    assert {r.details["role"] for r in rows} == {role}
    assert set(refused) <= {r.target for r in rows}, sorted(set(refused) - {r.target for r in rows})


def test_a_gate_declared_twice_differently_stops_start_up():
    from handlers.callbacks import Callback
    from handlers.router import DuplicateRegistration, Router

    class Xx(Callback, prefix="xx"):
        pass

    a, b = Router("a"), Router("b")
    a.restrict(Xx, commands=("xx",), roles=("hr",))
    a.restrict(Xx, roles=("hr",))  # the same declaration again is harmless
    b.restrict(Xx, roles=("officer",))
    with pytest.raises(DuplicateRegistration):
        a.include(b)
    with pytest.raises(DuplicateRegistration):
        a.restrict(commands=("xx",), roles=("officer",))


async def test_a_gate_refuses_before_the_button_is_read(app, person):
    """Garbage after a staff prefix is not an "old button" to a citizen: it is a refused attempt."""
    rina = person(CITIZEN, "Rina")
    for data in ("cxo:a:<b>&:😀", "sf:g:" + "9" * 60, "opd:rn:\x00", "stats:x:y:z"):
        replies = await rina.press_data(data)
        assert [r.text for r in replies] == [NOT_ALLOWED], data
    hr = person(700003, "Ahmad")
    assert "tidak berlaku" in await hr.press_stale("cxo:a:<b>&")  # staff with the role: the button's own reading answers
