"""Every desk service × the six roles, at the service (a handler that forgot a check opens no hole).

Citizens and civil servants get Forbidden ("not allowed") for every desk service; an officer of
another agency gets NotFound (the report's existence is not confirmed); the holding agency's
officer and HR or a superadmin get what the state machine gives their part (Actor.OFFICER or
Actor.HR). A refusal changes nothing: not the report, not its events, not the outbox, not the audit.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import func, select, update

from db.models import AuditLog, Complaint, ComplaintEvent, Employee, OutboxMessage, User
from handlers.features import bot
from services import users
from services.complaints import asking, claims, desk, filing, forwarding
from services.complaints import queue as desk_queue
from services.complaints.dto import Draft
from services.complaints.rules import RULES, Actor, policy_for
from services.demo import seed_demo
from services.errors import Forbidden, NotFound
from services.roles import Role
from services.staff.grant import grant_role

NOW = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
REPORTER, CITIZEN, ASN, OFFICER_A, OFFICER_B, HR, SUPERADMIN = 1001, 1002, 1003, 700004, 700005, 700003, 900001
ROLES = {"citizen": CITIZEN, "asn": ASN, "officer_same": OFFICER_A, "officer_other": OFFICER_B, "hr": HR,
         "superadmin": SUPERADMIN}
PART = {"officer_same": Actor.OFFICER, "hr": Actor.HR, "superadmin": Actor.HR}  # the others have none


@pytest.fixture
async def world(db, settings):
    async with db.uow() as uow:
        await seed_demo(uow, NOW, bot().demo)
        await grant_role(uow, actor="test", external_id=OFFICER_B, role="officer", agency_code="DINKES", now=NOW)
        for uid in (REPORTER, CITIZEN, ASN, SUPERADMIN):
            await users.identify(uow, channel="telegram", external_id=uid, chat_id=uid, name=f"P{uid}",
                                 username=None, language_code="id", now=NOW, admin_ids=[SUPERADMIN])
        employee = (await uow.session.execute(select(Employee).limit(1))).scalar_one()
        await uow.session.execute(update(User).where(User.external_id == ASN)
                                  .values(role=Role.ASN, employee_id=employee.id))
        await uow.commit()
    return db


async def person(db, external_id: int) -> users.Person:
    async with db.uow() as uow:
        return users.person_from_row(await uow.users.by_external("telegram", external_id))


async def new_report(db, settings, status: str) -> int:
    """A PUPR report in `status`, filed by the reporter (nobody in the matrix)."""
    async with db.uow() as uow:
        pupr = (await uow.agencies.by_code("PUPR")).id
        reporter = users.person_from_row(await uow.users.by_external("telegram", REPORTER))
        draft = Draft(kind="pengaduan", description="Jalan berlubang di depan SDN 1 Guntung Manggis", agency_id=pupr)
        r = await filing.file(uow, reporter, draft, now=NOW, policy=replace(policy_for(settings), per_hour=10_000))
        values: dict[str, Any] = {"status": status}
        if status == "dijawab":
            values["answered_at"] = NOW
        await uow.session.execute(update(Complaint).where(Complaint.id == r.id).values(**values))
        await uow.commit()
        return r.id


async def footprint(db, cid: int) -> tuple:
    async with db.uow() as uow:
        c = await uow.complaints.get(cid)
        counts = []
        for model in (ComplaintEvent, OutboxMessage, AuditLog):
            counts.append((await uow.session.execute(select(func.count()).select_from(model))).scalar_one())
        return (c.status, c.agency_id, c.claimed_by_id, c.merged_into_id, c.info_requested_at, *counts)


@dataclass(frozen=True)
class Case:
    name: str
    status: str  # the report's status before: one the action may start from
    call: Callable[..., Awaitable[Any]]  # (uow, person, cid, ctx) → result
    parts: tuple[Actor, ...]  # who may: Actor.OFFICER (own agency), Actor.HR (HR, superadmin)
    writes: bool = True


def _act(action: str) -> Callable[..., Awaitable[Any]]:
    def call(uow, p, cid, ctx):
        return desk.act(uow, p, cid, action, note="Catatan petugas", now=NOW)
    return call


SOURCE = {"verify": "diterima", "process": "diverifikasi", "answer": "diproses", "resolve": "diproses",
          "close": "dijawab", "return": "diproses", "reject": "diproses"}
STAFF = (Actor.OFFICER, Actor.HR)
CASES = [
    Case("queue", "diterima", lambda uow, p, cid, ctx: desk_queue.queue(uow, p, now=NOW, tz=ctx["tz"]), STAFF, False),
    Case("counts", "diterima", lambda uow, p, cid, ctx: desk_queue.counts(uow, p, now=NOW, tz=ctx["tz"]), STAFF,
         False),
    Case("card", "diterima", lambda uow, p, cid, ctx: desk.card(uow, p, cid, now=NOW, tz=ctx["tz"]), STAFF, False),
    *[Case(f"act:{a}", SOURCE[a], _act(a), RULES[a].actors) for a in SOURCE],
    Case("draft_answer", "diproses", lambda uow, p, cid, ctx: desk.draft_answer(uow, p, cid, "Jawaban"),
         RULES["answer"].actors, False),
    Case("merge", "diproses", lambda uow, p, cid, ctx: desk.merge(uow, p, cid, ctx["target"], now=NOW),
         RULES["merge"].actors),
    Case("route_targets", "diverifikasi", lambda uow, p, cid, ctx: desk.route_targets(uow, p), (Actor.HR,), False),
    Case("route", "diverifikasi", lambda uow, p, cid, ctx: desk.route(uow, p, cid, ctx["dinkes"], now=NOW),
         (Actor.HR,)),
    Case("forward_targets", "diproses", lambda uow, p, cid, ctx: forwarding.forward_targets(uow, p, cid),
         (Actor.OFFICER,), False),
    Case("forward", "diproses", lambda uow, p, cid, ctx: forwarding.forward(uow, p, cid, ctx["dinkes"], now=NOW),
         (Actor.OFFICER,)),
    Case("claim", "diproses", lambda uow, p, cid, ctx: claims.claim(uow, p, cid, now=NOW), STAFF),
    Case("take_over", "diproses", lambda uow, p, cid, ctx: claims.claim(uow, p, cid, now=NOW, take_over=True), STAFF),
    Case("release", "diproses", lambda uow, p, cid, ctx: claims.release(uow, p, cid, now=NOW), STAFF),
    Case("draft_question", "diproses", lambda uow, p, cid, ctx: asking.draft_question(uow, p, cid, "Di mana?"),
         STAFF, False),
    Case("ask_info", "diproses", lambda uow, p, cid, ctx: asking.ask_info(uow, p, cid, "Di mana?", now=NOW), STAFF),
]


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_desk_service_for_every_role(world, settings, role):
    db = world
    async with db.uow() as uow:
        dinkes = (await uow.agencies.by_code("DINKES")).id
    who = await person(db, ROLES[role])
    part = PART.get(role)
    outcomes: dict[str, str] = {}
    for case in CASES:
        cid = await new_report(db, settings, case.status)
        target = await new_report(db, settings, "diproses")
        async with db.uow() as uow:
            ctx = {"tz": settings.tz, "dinkes": dinkes, "target": (await uow.complaints.get(target)).number}
            if case.name in ("take_over", "release"):  # a colleague's claim to take over or let go of
                c = await uow.complaints.get(cid)
                c.claimed_by_id = (await uow.users.by_external("telegram", 700003 if role != "hr" else 700004)).id
                if case.name == "release" and role == "officer_same":
                    c.claimed_by_id = who.id  # their own to let go
            await uow.commit()
        before = await footprint(db, cid)
        expect = ("ok" if part in case.parts else "forbidden") if part else (
            "not_found" if role == "officer_other" and case.name not in ("queue", "counts", "route_targets")
            else "ok" if role == "officer_other" and case.name in ("queue", "counts") else "forbidden")
        async with db.uow() as uow:
            try:
                result = await case.call(uow, who, cid, ctx)
                await uow.commit()
                got = "ok"
            except Forbidden:
                got = "forbidden"
            except NotFound:
                got = "not_found"
        assert got == expect, (role, case.name)
        outcomes[case.name] = got
        after = await footprint(db, cid)
        if got != "ok":
            assert after == before, (role, case.name)  # a refusal leaves no trace
        elif case.writes:
            assert after != before and after[-1] > before[-1], (role, case.name)  # changed, and audited
        if role == "officer_other" and case.name == "queue":
            assert all(r.id != cid for r in result.items)  # another agency's reports are not in it
    # The matrix is not vacuous: each role meets the answers its row should have.
    assert set(outcomes.values()) == {"citizen": {"forbidden"}, "asn": {"forbidden"}, "officer_other": {"not_found", "ok", "forbidden"},
                                      "officer_same": {"ok", "forbidden"}, "hr": {"ok", "forbidden"},
                                      "superadmin": {"ok", "forbidden"}}[role]
    assert len(outcomes) == len(CASES) > 20
