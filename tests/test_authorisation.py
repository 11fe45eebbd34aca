"""Every callback prefix and command × every role, through the router, with forged data.

The prefixes and commands come from `handlers.build_router()`, so a new one is covered without
editing this file. Each role presses every prefix with plausible ids (a report of agency A, of
agency B, another citizen's confidential one, an unrouted one, an answered and a closed one)
and plausible words, and walks the two-step staff and reporter flows. The database is compared
before and after: nothing may change unless the role may do it (`MAY_CHANGE` below is the whole
rule). Nothing staff-only may reach a citizen or a civil servant.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from db.models import Base, Complaint, Employee, User
from handlers import build_router
from handlers.i18n import t
from services import users
from services.complaints import filing
from services.complaints.dto import Draft
from services.complaints.rules import DESK_ACTIONS, policy_for
from services.roles import Role
from services.staff.grant import grant_role

REPORTER, CITIZEN, ASN, OFFICER_A, OFFICER_B, HR, SUPERADMIN = 1001, 1002, 1003, 700004, 700005, 700003, 900001
ROLES = {"citizen": CITIZEN, "asn": ASN, "officer_same": OFFICER_A, "officer_other": OFFICER_B, "hr": HR,
         "superadmin": SUPERADMIN}
REPORTER_NAME, REPORTER_PHONE = "Zubaidah Kusumawardhani", "6289912345678"
SECRET_TEXT = "Dugaan pungli rahasia di loket kelurahan setiap pagi"
STAFF_NOTE = "Catatan matriks otorisasi"
CRASH = {t("id", "error.internal"), t("en", "error.internal")}
STAFF_PREFIXES = ("cxo:", "ikm", "stats", "tra:", "akn:", "vaa:", "sf")  # buttons only staff may be shown
ROUTER = build_router()
# Tables a press may never touch for someone not allowed; what changes for the presser's own row
# (conversation step, language, last seen, own erasure) is not an authorisation matter.
SKIP_TABLES = {"processed_updates"}
OWN_ROW_FREE = {"state", "state_data", "locale", "last_seen_at", "name", "username", "phone", "language_code",
                "erased"}


# --- the world: reports of two agencies, a confidential one, staff of each --------------------

async def build_world(app, person) -> dict[str, Any]:
    now = app.clock()
    policy = replace(policy_for(app.settings), per_hour=100)
    async with app.db.uow() as uow:
        await grant_role(uow, actor="test", external_id=OFFICER_B, role="officer", agency_code="DINKES", now=now)
        await uow.commit()
    for uid in ROLES.values():
        await person(uid, f"Peran {uid}").say("/start")  # every role exists as a user
    reporter = person(REPORTER, REPORTER_NAME, username="zub_rahasia")
    await reporter.say("/start")
    async with app.db.uow() as uow:
        agencies = {a.code: a.id for a in await uow.agencies.all_active()}
        employee = (await uow.session.execute(select(Employee).limit(1))).scalar_one()
        await uow.session.execute(update(User).where(User.external_id == ASN)
                                  .values(role=Role.ASN, employee_id=employee.id))
        await uow.session.execute(update(User).where(User.external_id == REPORTER).values(phone=REPORTER_PHONE))
        who = await uow.users.by_external("telegram", REPORTER)
        me = users.person_from_row(who)
        ids = {}
        for key, agency, privacy, text in (
            ("a_open", "PUPR", "normal", "Jalan berlubang besar di depan SDN 1 Guntung Manggis"),
            ("b_open", "DINKES", "normal", "Antrian puskesmas sangat panjang sejak pagi hari"),
            ("secret", "PUPR", "rahasia", SECRET_TEXT),
            ("unrouted", None, "normal", "Pelayanan lambat di kantor yang saya tidak tahu namanya"),
            ("a_answered", "PUPR", "normal", "Lampu jalan mati di Jalan Kenanga sejak seminggu"),
            ("a_closed", "PUPR", "normal", "Drainase tersumbat di Gang Mawar sejak hujan deras"),
        ):
            draft = Draft(kind="pengaduan", description=text, agency_id=agencies[agency] if agency else None,
                          privacy=privacy)
            ids[key] = (await filing.file(uow, me, draft, now=now, policy=policy)).id
        answered = now - timedelta(days=1)
        await uow.session.execute(update(Complaint).where(Complaint.id == ids["a_answered"])
                                  .values(status="dijawab", answered_at=answered))
        await uow.session.execute(update(Complaint).where(Complaint.id == ids["a_closed"])
                                  .values(status="ditutup", answered_at=answered, closed_at=now))
        numbers = {k: (await uow.complaints.get(v)).number for k, v in ids.items()}
        await uow.commit()
    return {"ids": ids, "numbers": numbers, "agencies": agencies}


def agency_of(key: str) -> str | None:
    return {"b_open": "DINKES", "unrouted": None}.get(key, "PUPR")


# --- the rule: what a role may change -----------------------------------------------------------

OFFICER_AGENCY = {"officer_same": "PUPR", "officer_other": "DINKES"}  # A and B


def may_desk(role: str, key: str) -> bool:
    """HR and superadmins act on every report; an officer on their own agency's only."""
    return role in ("hr", "superadmin") or (role in OFFICER_AGENCY and agency_of(key) == OFFICER_AGENCY[role])


def may_change(role: str, kind: str, key: str | None) -> set[str]:
    """The tables `kind` of action by `role` on report `key` may change; the empty set: nothing."""
    if kind == "desk" and key is not None and may_desk(role, key):
        return {"complaints", "complaint_events", "outbox", "audit_log", "complaint_followers"}
    if kind == "follow" and key not in ("secret", None):
        return {"complaint_followers"}  # anyone may follow someone else's public report
    if kind == "keywords" and role in ("hr", "superadmin"):
        return {"agencies", "audit_log"}
    if kind == "export" and role in ("hr", "superadmin", "officer_same", "officer_other"):
        return {"audit_log"}  # an export records who took it; the file shows only what the role may see
    if kind == "training_admin" and role in ("hr", "superadmin"):
        return {"trainings", "training_enrolments", "audit_log", "outbox"}
    if kind == "account_admin" and role in ("hr", "superadmin"):
        return {"activation_codes", "users", "audit_log"}
    if kind == "selection" and role in ("hr", "superadmin"):
        return {"vacancies", "vacancy_stages", "vacancy_documents", "vacancy_results", "audit_log", "outbox"}
    if kind == "staff" and role == "superadmin":
        return {"users", "audit_log", "outbox"}  # a grant to a plausible id; the export is audited
    if kind == "broadcast" and role in ("hr", "superadmin"):
        return {"broadcasts", "outbox", "audit_log"}
    if kind == "own_choice":
        return {"subscriptions"}  # one's own opt-in (the presser's row only: the service knows no other)
    return set()  # the reporter's own actions: none of these roles filed the reports


def kind_of(prefix: str) -> str:
    if prefix.startswith("cxo:"):
        return "desk"
    if prefix in ("cx:fw", "cx:uf"):
        return "follow"
    if prefix.startswith("opd"):
        return "keywords"  # agency management: HR and superadmins only
    if prefix == "stats:x":
        return "export"  # statistics exports: staff, audited
    if prefix.startswith("tra:"):
        return "training_admin"  # /kelolapelatihan: HR and superadmins only
    if prefix.startswith("akn:"):
        return "account_admin"  # /kelolaakun: HR and superadmins only
    if prefix.startswith("vaa"):
        return "selection"  # the open selection's HR desk: HR and superadmins only
    if prefix == "sf" or prefix.startswith("sf:"):
        return "staff"  # roles and the audit log: superadmins only
    if prefix == "bc:nw":
        return "own_choice"  # /kabar: a citizen's own news opt-in
    if prefix.startswith("bc:"):
        return "broadcast"  # /umumkan: HR and superadmins only
    return "none"  # a new prefix that writes anything must be named here, or this test fails


# --- the snapshot -------------------------------------------------------------------------------

async def snapshot(app, actor_id: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    async with app.db.uow() as uow:
        for table in Base.metadata.sorted_tables:
            if table.name in SKIP_TABLES:
                continue
            rows = (await uow.session.execute(select(table))).mappings().all()
            if table.name == "audit_log":  # a refusal's own record is not a change the role made
                rows = [r for r in rows if r["action"] != "denied"]
            if table.name == "users":  # the presser's role and agency count; their own step does not
                rows = [{k: v for k, v in r.items() if r["external_id"] != actor_id or k not in OWN_ROW_FREE}
                        for r in rows]
            out[table.name] = sorted(tuple(sorted((k, repr(v)) for k, v in r.items())) for r in rows)
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {name for name in before if before[name] != after[name]}


# --- what a citizen must never see --------------------------------------------------------------

def assert_nothing_staff_only(replies, role: str, what: str) -> None:
    for r in replies:
        assert r.text not in CRASH, (role, what)
        if role not in ("citizen", "asn"):
            continue
        for row in r.buttons:
            for b in row:
                assert not (b.data or "").startswith(STAFF_PREFIXES), (role, what, b)
        for secret in (REPORTER_NAME, REPORTER_PHONE, "zub_rahasia", SECRET_TEXT, STAFF_NOTE):
            assert secret not in r.text, (role, what, secret)


# --- the matrix ---------------------------------------------------------------------------------

def callbacks(world: dict[str, Any]) -> list[tuple[str, str, str | None]]:
    """(prefix, data, report key) for every prefix, four kinds of report, plausible second words.

    Kept small on purpose (every press is a whole unit of work): an id alone, a desk action that
    needs no note, and a number that is both a rating and agency B's id. Other actions, verdicts,
    the remaining reports and the two-step flows are in `flows`.
    """
    words = ["", "verify", str(world["agencies"]["DINKES"])]
    out = []
    for prefix in sorted(ROUTER.callbacks):
        out.append((prefix, prefix, None))
        for key in ("a_open", "b_open", "secret", "a_answered"):
            cid = world["ids"][key]
            out += [(prefix, f"{prefix}:{cid}" + (f":{w}" if w else ""), key) for w in words]
    return out


def flows(world: dict[str, Any]) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """Two-step flows: (kind, report key, steps); a step is ("press", data) or ("say", text)."""
    out: list[tuple[str, str, list[tuple[str, str]]]] = []
    for key, cid in world["ids"].items():
        for action in DESK_ACTIONS:
            note = world["numbers"]["a_open" if key != "a_open" else "a_answered"] if action == "merge" else STAFF_NOTE
            out.append(("desk", key, [("press", f"cxo:a:{cid}:{action}"), ("press", f"cxo:nn:{cid}:{action}"),
                                      ("say", note), ("press", "cancel")]))
        out.append(("desk", key, [("press", f"cxo:a:{cid}:reject"), ("press", f"cxo:rj:{cid}")]))
        out.append(("desk", key, [("press", f"cxo:r:{cid}"), ("press", f"cxo:to:{cid}:{world['agencies']['DINKES']}")]))
        out.append(("desk", key, [("press", f"cxo:ask:{cid}"), ("say", STAFF_NOTE), ("press", f"cxo:snd:{cid}")]))
        out.append(("desk", key, [("press", f"cxo:fw:{cid}"), ("press", f"cxo:fwt:{cid}:{world['agencies']['DINKES']}")]))
        out.append(("desk", key, [("press", f"cxo:cl:{cid}:y"), ("press", f"cxo:rl:{cid}"), ("press", "cxo:qf")]))
        out.append(("none", key, [("press", f"cx:rp:{cid}"), ("say", "Balasan dari orang lain"), ("press", "cancel")]))
        out.append(("none", key, [("press", f"cx:rt:{cid}:5"), ("say", "Komentar palsu"), ("press", "cancel")]))
        out.append(("none", key, [("press", f"cx:fb:{cid}:not")]))
        out.append(("none", key, [("say", f"/status {world['numbers'][key]}")]))
    out.append(("keywords", "", [("say", "/opd PUPR jalan, jembatan, got")]))
    return out


Step = tuple[str, str]  # ("press", callback data) or ("say", text)


def cases(world: dict[str, Any], role: str) -> dict[frozenset[str], list[list[Step]]]:
    """Every case, grouped by the tables the rule lets it change (a few groups: one snapshot each)."""
    groups: dict[frozenset[str], list[list[Step]]] = {}
    for prefix, data, key in callbacks(world):
        if prefix == "cx:erase" and role in ("citizen", "asn"):
            continue  # erasing one's own data (after the menu's confirmation) is theirs to do: test_complaints_flows
        groups.setdefault(frozenset(may_change(role, kind_of(prefix), key)), []).append([("press", data)])
    for kind, key, steps in flows(world):
        groups.setdefault(frozenset(may_change(role, kind, key or None)), []).append(steps)
    for command in sorted(ROUTER.commands):
        if command in ("opd", "agencies"):
            continue  # with words it writes: among the flows
        for text in (f"/{command}", f"/{command} {world['numbers']['secret']}", f"/{command} 1"):
            groups.setdefault(frozenset(), []).append([("say", text), ("press", "cancel")])
    return groups


@pytest.mark.parametrize("role", list(ROLES))
async def test_no_role_changes_what_it_may_not(app, person, role):
    world = await build_world(app, person)
    uid = ROLES[role]
    who = person(uid, f"Peran {uid}")
    for allowed, group in cases(world, role).items():
        before = await snapshot(app, uid)
        for steps in group:
            for step, value in steps:
                replies = await (who.press_data(value) if step == "press" else who.say(value))
                assert_nothing_staff_only(replies, role, value)
        extra = changed(before, await snapshot(app, uid)) - allowed
        assert not extra, (role, sorted(allowed), extra)


async def test_the_rule_is_not_vacuous(app, person):
    """The control: the roles that may act do change the database through the same presses."""
    world = await build_world(app, person)
    officer = person(OFFICER_A, "Budi (Dinas PUPR)")
    before = await snapshot(app, OFFICER_A)
    cid = world["ids"]["a_open"]
    await officer.press_data(f"cxo:a:{cid}:verify")
    await officer.press_data(f"cxo:nn:{cid}:verify")
    assert "complaints" in changed(before, await snapshot(app, OFFICER_A))
    citizen = person(CITIZEN, "Budi")
    before = await snapshot(app, CITIZEN)
    await citizen.press_data(f"cx:fw:{world['ids']['b_open']}")
    assert changed(before, await snapshot(app, CITIZEN)) == {"complaint_followers"}
    hr = person(HR, "Ahmad")
    before = await snapshot(app, HR)
    await hr.say("/opd PUPR jalan, jembatan, got")
    assert changed(before, await snapshot(app, HR)) >= {"agencies"}
