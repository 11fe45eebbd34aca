"""Every staff action of the app × every role, through the services (not the chat).

One row per action: its name, who may, and the call. Adding an action is one line in ACTIONS.
A role not allowed must be refused with Forbidden (or, where a row says so, NotFound: an officer
of another agency is told the report does not exist, so its existence does not leak). A role
allowed must pass the authorisation check: the call may still stop at a rule about the data
(a training that has not started…), never at Forbidden or the scope's NotFound.
Each call runs in its own unit of work that is rolled back, so the cells do not affect each other.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from db.models import Employee, Training, User, Vacancy, VacancyApplication, VacancyStage
from services import users
from services.account import codes, linking
from services.agencies import manage
from services.complaints import asking, claims, desk, filing, forwarding, queue
from services.complaints.dto import Draft
from services.complaints.rules import policy_for
from services.errors import DomainError, Forbidden, NotFound
from services.staff import audit, staff
from services.staff.grant import grant_role
from services.statistics import system as admin_stats
from services.training import attendance
from services.vacancies import selection

CITIZEN, ASN, OFFICER, OFFICER_OTHER, HR, SUPERADMIN, REPORTER, TARGET = (
    1002, 1003, 700004, 700005, 700003, 900001, 1001, 555001)
ROLES = {"citizen": CITIZEN, "asn": ASN, "officer": OFFICER, "officer_other": OFFICER_OTHER, "hr": HR,
         "superadmin": SUPERADMIN}
SUPER = {"superadmin"}
ADMINS = {"hr", "superadmin"}
DESK = {"officer", "officer_other", "hr", "superadmin"}  # their own desk: any officer
SCOPED = {"officer", "hr", "superadmin"}  # PUPR's report: its officer, HR, superadmins
# (forwarding to another agency is the holding officer's; HR and superadmins route instead)
NIP = "199001052015032002"  # Siti (DINKES), an employee of the demo


@dataclass
class World:
    uow: Any
    now: Any
    tz: Any
    admin_ids: list[int]
    complaint: int  # a PUPR report
    number: str
    other_number: str  # another PUPR report (a merge target)
    dinkes: int
    pupr: int
    training: int
    stage: int
    application: int | None
    employee: int


Call = Callable[[World, users.Person], Awaitable[Any]]


@dataclass(frozen=True)
class Action:
    name: str
    allowed: set[str]
    call: Call
    hidden: frozenset[str] = frozenset()  # roles refused with NotFound (scope), not Forbidden


def row(name: str, allowed: set[str], call: Call, hidden: set[str] = frozenset()) -> Action:  # type: ignore[assignment]
    return Action(name, allowed, call, frozenset(hidden))


ACTIONS = [
    # staff management and the audit log (services/staff)
    row("staff.find", SUPER, lambda w, p: staff.find(w.uow, p, TARGET, admin_ids=w.admin_ids)),
    row("staff.grant", SUPER, lambda w, p: staff.grant(w.uow, p, TARGET, "hr", admin_ids=w.admin_ids, now=w.now)),
    row("staff.grant_officer", SUPER, lambda w, p: staff.grant(w.uow, p, TARGET, "officer", agency_id=w.pupr,
                                                               admin_ids=w.admin_ids, now=w.now)),
    row("staff.revoke", SUPER, lambda w, p: staff.revoke(w.uow, p, HR, admin_ids=w.admin_ids, now=w.now)),
    row("staff.list", SUPER, lambda w, p: staff.staff(w.uow, p, admin_ids=w.admin_ids)),
    row("staff.agencies", SUPER, lambda w, p: staff.agencies(w.uow, p)),
    row("audit.browse", SUPER, lambda w, p: audit.browse(w.uow, p, audit.Filter(action="role"))),
    row("audit.export", SUPER, lambda w, p: audit.export(w.uow, p, audit.Filter(), now=w.now)),
    # agency management (services/agencies/manage.py)
    row("agencies.list", ADMINS, lambda w, p: manage.list_agencies(w.uow, p)),
    row("agencies.card", ADMINS, lambda w, p: manage.card(w.uow, p, w.pupr)),
    row("agencies.create", ADMINS, lambda w, p: manage.create(w.uow, p, "DISKOP", "Dinas Koperasi")),
    row("agencies.check_code", ADMINS, lambda w, p: manage.check_new_code(w.uow, p, "DISKOP")),
    row("agencies.rename", ADMINS, lambda w, p: manage.rename(w.uow, p, w.pupr, "Dinas PUPR Kota")),
    row("agencies.keywords", ADMINS, lambda w, p: manage.set_keywords(w.uow, p, w.pupr, "jalan, jembatan")),
    row("agencies.keywords_by_code", ADMINS, lambda w, p: manage.set_keywords_by_code(w.uow, p, "PUPR", "jalan")),
    row("agencies.deactivate", ADMINS, lambda w, p: manage.set_active(w.uow, p, w.dinkes, False)),
    # the complaints desk (services/complaints/desk.py)
    row("desk.queue", DESK, lambda w, p: queue.queue(w.uow, p, now=w.now, tz=w.tz)),
    row("desk.counts", DESK, lambda w, p: queue.counts(w.uow, p, now=w.now, tz=w.tz)),
    row("desk.card", SCOPED, lambda w, p: desk.card(w.uow, p, w.complaint, now=w.now, tz=w.tz), {"officer_other"}),
    row("desk.claim", SCOPED, lambda w, p: claims.claim(w.uow, p, w.complaint, now=w.now), {"officer_other"}),
    row("desk.release", SCOPED, lambda w, p: claims.release(w.uow, p, w.complaint, now=w.now), {"officer_other"}),
    row("desk.ask_info", SCOPED, lambda w, p: asking.ask_info(w.uow, p, w.complaint, "Di mana tepatnya?", now=w.now),
        {"officer_other"}),
    row("desk.forward_targets", {"officer"}, lambda w, p: forwarding.forward_targets(w.uow, p, w.complaint),
        {"officer_other"}),
    row("desk.forward", {"officer"}, lambda w, p: forwarding.forward(w.uow, p, w.complaint, w.dinkes, now=w.now),
        {"officer_other"}),
    row("desk.verify", SCOPED, lambda w, p: desk.act(w.uow, p, w.complaint, "verify", note=None, now=w.now),
        {"officer_other"}),
    row("desk.answer", SCOPED, lambda w, p: desk.act(w.uow, p, w.complaint, "answer", note="Sudah diperbaiki",
                                                     now=w.now), {"officer_other"}),
    row("desk.draft_answer", SCOPED, lambda w, p: desk.draft_answer(w.uow, p, w.complaint, "Jawaban"),
        {"officer_other"}),
    row("desk.route_targets", ADMINS, lambda w, p: desk.route_targets(w.uow, p)),
    row("desk.route", ADMINS, lambda w, p: desk.route(w.uow, p, w.complaint, w.dinkes, now=w.now),
        {"officer_other"}),
    row("desk.merge", SCOPED, lambda w, p: desk.merge(w.uow, p, w.complaint, w.other_number, now=w.now),
        {"officer_other"}),
    # statistics, vacancies' selection, training attendance, account codes and release
    row("stats", ADMINS, lambda w, p: admin_stats.stats(w.uow, p)),
    row("vacancy.record_result", ADMINS, lambda w, p: selection.record_result(
        w.uow, p, w.application or 0, w.stage, "lulus", 80, now=w.now)),
    row("vacancy.publish_stage", ADMINS, lambda w, p: selection.publish_stage(w.uow, p, w.stage, now=w.now)),
    row("training.mark_attended", ADMINS, lambda w, p: attendance.mark_attended(
        w.uow, p, w.training, [w.employee], now=w.now)),
    row("account.issue_code", ADMINS, lambda w, p: codes.issue_code(w.uow, p, NIP, w.now)),
    row("account.release", ADMINS, lambda w, p: linking.release(w.uow, p, NIP)),
]


async def _world(app, person) -> dict[str, Any]:
    now = app.clock()
    async with app.db.uow() as uow:
        await grant_role(uow, actor="test", external_id=OFFICER_OTHER, role="officer", agency_code="DINKES", now=now)
        await uow.commit()
    for uid in (*ROLES.values(), REPORTER):
        await person(uid, f"Peran {uid}").say("/start")
    async with app.db.uow() as uow:
        emp = (await uow.session.execute(select(Employee).where(Employee.nip != NIP).limit(1))).scalar_one()
        await uow.session.execute(update(User).where(User.external_id == ASN).values(role="asn", employee_id=emp.id))
        agencies = {a.code: a.id for a in await uow.agencies.all_active()}
        me = users.person_from_row(await uow.users.by_external("telegram", REPORTER))
        policy = replace(policy_for(app.settings), per_hour=100)
        ids = []
        for text in ("Jalan berlubang besar di depan SDN 1 Guntung Manggis",
                     "Jalan berlubang lagi di depan SDN 1 Guntung Manggis dekat pasar"):
            draft = Draft(kind="pengaduan", description=text, agency_id=agencies["PUPR"], privacy="normal")
            ids.append((await filing.file(uow, me, draft, now=now, policy=policy)).id)
        numbers = [(await uow.complaints.get(i)).number for i in ids]
        training = (await uow.session.execute(select(Training).limit(1))).scalar_one()
        stage = (await uow.session.execute(select(VacancyStage).join(Vacancy).order_by(VacancyStage.id)
                                           .limit(1))).scalar_one()
        application = (await uow.session.execute(select(VacancyApplication.id).where(
            VacancyApplication.vacancy_id == stage.vacancy_id).limit(1))).scalar_one_or_none()
        training.starts_at = now - timedelta(hours=1)  # so attendance may be recorded
        await uow.commit()
        return {"complaint": ids[0], "number": numbers[0], "other_number": numbers[1], "dinkes": agencies["DINKES"],
                "pupr": agencies["PUPR"], "training": training.id, "stage": stage.id, "application": application,
                "employee": emp.id}


def _refusal(e: BaseException | None) -> str | None:
    if isinstance(e, Forbidden):
        return "forbidden"
    if isinstance(e, NotFound) and e.code == "cx.err.desk_not_found":
        return "hidden"
    return None


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_staff_action_by_every_role(app, person, role):
    ids = await _world(app, person)
    async with app.db.uow() as uow:
        who = users.person_from_row(await uow.users.by_external("telegram", ROLES[role]))
    wrong = []
    for action in ACTIONS:
        async with app.db.uow() as uow:  # never committed: each cell starts from the same world
            w = World(uow, app.clock(), app.settings.tz, app.settings.admin_id_list, **ids)
            error: BaseException | None = None
            try:
                await action.call(w, who)
            except DomainError as e:
                error = e
            await uow.rollback()
        got = _refusal(error)
        want = None if role in action.allowed else ("hidden" if role in action.hidden else "forbidden")
        if got != want:
            wrong.append((action.name, role, want, got, getattr(error, "code", None)))
    assert wrong == [], "\n".join(map(str, wrong))


def test_every_row_names_a_role_that_may_and_is_unique():
    names = [a.name for a in ACTIONS]
    assert len(names) == len(set(names))
    assert all(a.allowed <= set(ROLES) and a.hidden <= set(ROLES) - a.allowed for a in ACTIONS)
