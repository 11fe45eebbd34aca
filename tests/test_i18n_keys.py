"""Keys the code builds from values (f"outbox.{status}") exist in both catalogs, for every value
the enums, constants and models define; and every action the audit log records has a label.

A key missing from a catalog shows as the key itself and logs an ERROR each time it is read.
"""

from __future__ import annotations

import ast
import logging
import re
from pathlib import Path

import pytest

from db.models.core import OUTBOX_STATUSES, OutboxMessage
from db.models.training import ENROLMENT_STATUSES
from db.repositories.training import ACTIVE as ENROLLED
from handlers.features import bot
from handlers.i18n import LOCALES, catalog
from services import civil_service as cs
from services.appraisal.rules import Stage as SkpStage
from services.complaints.rules import DESK_ACTIONS, RULES, ComplaintKind, Privacy, Status
from services.complaints.stats import STATUS_GROUPS
from services.roles import Role
from services.statistics.scope import PRESETS
from services.survey.ikm import ELEMENTS, GRADES
from services.training.attendance import REASONS
from services.training.fields import FIELDS as TRAINING_FIELDS
from services.vacancies.dto import DRAFT, RESULT_STATUSES, SUBMITTED, TRACK_STATUSES, WITHDRAWN
from services.vacancies.rules import STAGE_KEYS, VacancyKind

ROOT = Path(__file__).resolve().parent.parent


def _values(*groups: object) -> list[str]:
    return [str(v) for g in groups for v in g]  # type: ignore[attr-defined]


# --- the audit actions, found where the code records them -----------------------------------------

def _is_record(call: ast.Call) -> bool:
    f = call.func
    return isinstance(f, ast.Attribute) and f.attr == "record" and isinstance(f.value, ast.Attribute) \
        and f.value.attr == "audit"


def recorded_actions() -> tuple[set[str], set[str]]:
    """Every action passed to `uow.audit.record(label, action, …)`: literals, `a if c else b`,
    module constants, and the arguments of wrappers that pass their own parameter on (desk.audit,
    agencies' _audit, staff's _apply). Returns the literal actions and the f-string patterns."""
    trees = {p: ast.parse(p.read_text()) for d in ("services", "handlers", "bot", "db", "tools")
             for p in (ROOT / d).rglob("*.py")}
    found: set[str] = set()
    patterns: set[str] = set()

    def consts(mod: ast.Module) -> dict[str, str]:
        return {t.id: n.value.value for n in mod.body if isinstance(n, ast.Assign) for t in n.targets
                if isinstance(t, ast.Name) and isinstance(n.value, ast.Constant) and isinstance(n.value.value, str)}

    def take(node: ast.expr, names: dict[str, str]) -> bool:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.add(node.value)
        elif isinstance(node, ast.IfExp):
            return take(node.body, names) and take(node.orelse, names)
        elif isinstance(node, ast.JoinedStr):
            patterns.add(ast.unparse(node))
        elif isinstance(node, ast.Name) and node.id in names:
            found.add(names[node.id])
        else:
            return False
        return True

    wrappers: dict[str, int] = {}
    for path, mod in trees.items():
        names = consts(mod)
        for fn in ast.walk(mod):
            if not isinstance(fn, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            params = [a.arg for a in fn.args.args]
            for call in ast.walk(fn):
                if isinstance(call, ast.Call) and _is_record(call) and not take(call.args[1], names):
                    arg = call.args[1]
                    assert isinstance(arg, ast.Name) and arg.id in params, f"{path}: {ast.unparse(call)}"
                    wrappers[fn.name] = params.index(arg.id)
    for path, mod in trees.items():
        names = consts(mod)
        for call in ast.walk(mod):
            if not isinstance(call, ast.Call):
                continue
            f = call.func
            name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None
            if name in wrappers and len(call.args) > wrappers[name]:
                assert take(call.args[wrappers[name]], names), f"{path}: {ast.unparse(call)}"
    return found, patterns


def audit_actions() -> list[str]:
    found, patterns = recorded_actions()
    # The built ones, from what they are built of; a new pattern must be added here.
    built = {"f'complaint.{action}'": [f"complaint.{a}" for a in DESK_ACTIONS if a != "merge"],
             "f'complaint.{first}'": [f"complaint.{a}" for a in RULES],
             "f'{kind.name}.import'": [f"{k.name}.import" for k in bot().imports.values()]}
    assert patterns <= set(built), f"audit actions built at run time that this test cannot expand: {patterns}"
    assert len(found) > 40  # the scan reads the code, not nothing
    return sorted(found | {a for p in patterns for a in built[p]})


def test_the_scan_finds_what_the_code_records() -> None:
    actions = audit_actions()
    for known in ("broadcast.confirm", "vacancy.document_reviewed", "role.grant", "role.revoke", "denied",
                  "agency.activate", "agency.deactivate", "vacancy.draft_created", "complaint.claim",
                  "complaint.answer", "complaint.verify", "employees.import", "results.import"):
        assert known in actions


# --- every key built from values ------------------------------------------------------------------

def built_keys() -> list[str]:
    keys = [f"sf.act.{a}" for a in audit_actions()]
    keys += [f"outbox.{s}" for s in OUTBOX_STATUSES]
    keys += [f"cx.status.{s}" for s in Status] + [f"cx.kind.{k}" for k in ComplaintKind]
    keys += [f"stx.kind.{k}" for k in ComplaintKind] + [f"stx.privacy.{p}" for p in Privacy]
    keys += [f"stx.group.{g}" for g in STATUS_GROUPS] + [f"stx.preset.{p}" for p in PRESETS]
    keys += [f"cx.act.{a}" for a in DESK_ACTIONS]
    keys += [f"vac.stage.{k}" for k in STAGE_KEYS] + [f"vac.kind.{k}" for k in VacancyKind]
    keys += [f"vac.status.{s}" for s in (DRAFT, SUBMITTED, WITHDRAWN)] + [f"vac.result.{s}" for s in RESULT_STATUSES + TRACK_STATUSES]
    keys += [f"vaa.x.status.{s}" for s in (DRAFT, SUBMITTED, WITHDRAWN)] + [f"vaa.x.result.{s}" for s in RESULT_STATUSES]
    keys += [f"tr.tag.{s}" for s in ENROLMENT_STATUSES] + [f"tra.x.status.{s}" for s in ENROLMENT_STATUSES]
    keys += [f"tr.err.already_{s}" for s in ENROLMENT_STATUSES if s != "cancelled"]  # signing up again is fine
    keys += [f"tr.err.overlap_{s}" for s in ENROLLED]
    keys += [f"tr.reason.{r}" for r in REASONS] + [f"tra.reason.{r}" for r in REASONS]
    keys += [f"tra.f.{f}" for f in TRAINING_FIELDS]
    keys += [k.label for k in bot().imports.values()]
    keys += [f"role.{r}" for r in Role]
    for k in bot().reminders:  # every kind the features register: its label and its coming notices
        keys += [f"rm.kind.{k.key}"] + ([f"rm.up.{k.key}.{o}" for o in k.occasions] or [f"rm.up.{k.key}"])
    for tp in bot().topics:
        keys += [f"sub.line.{tp.key}", f"sub.topic.{tp.key}"]
        keys += [f"sub.{tp.key}.{c}" for c in tp.choices] + [f"sub.btn.{tp.key}.{c}" for c in tp.choices]
    keys += [f"cs.predikat.{p}" for p in cs.Predikat] + [f"cs.rating.{r}" for r in cs.Rating]
    keys += [f"cs.kind.{k}" for k in cs.JabatanKind] + [f"skp.stage.{s}" for s in SkpStage]
    keys += [f"ikm.grade.{g.letter}" for g in GRADES]
    keys += [f"survey.el.{e}" for e in ELEMENTS] + [f"survey.q.{e}" for e in ELEMENTS]
    # What the features register: the audit log's filters, targets and fallback reasons; the
    # statistics' export buttons, captions and (in the audit log) export targets.
    book = bot().audit
    keys += [f.label for f in book.filters if f.label] + list(book.targets.values())
    keys += [fallback for _, fallback in book.messages.values()]
    keys += [k for s in bot().stats for e in s.exports for k in (e.button, e.caption, f"sf.tg.{e.what}")]
    return keys


@pytest.mark.parametrize("locale", LOCALES)
def test_every_key_built_from_a_value_is_in_the_catalog(locale: str) -> None:
    missing = [k for k in built_keys() if not catalog(locale).get(k)]
    assert missing == [], f"{locale}: {missing}"


def test_outbox_statuses_are_all_the_repository_writes() -> None:
    """The constant is the list the code keeps to: a status written elsewhere would be missed."""
    code = (ROOT / "db/repositories/outbox.py").read_text() + (ROOT / "db/repositories/broadcasts.py").read_text()
    written = set(re.findall(r'status\s*(?:=|==)\s*"(\w+)"', code)) - {"queued", "done", "draft"}  # broadcasts'
    assert written and written <= set(OUTBOX_STATUSES)


async def test_statistics_name_every_outbox_status(app, person, caplog) -> None:
    """/statistik showed "outbox.cancelled" and logged an ERROR for each cancelled row (a stopped broadcast)."""
    async with app.db.uow() as uow:
        u = await uow.users.by_external("telegram", 700003)
        uow.session.add_all([OutboxMessage(user_id=u.id, template="x", params={}, status=s, dedupe_key=f"t-{s}")
                             for s in OUTBOX_STATUSES])
        await uow.commit()
    boss = person(900001, "Kepala")
    await boss.say("/start")
    with caplog.at_level(logging.ERROR, logger="handlers.i18n"):
        await boss.say("/statistik")
    text = boss.last_text()
    assert "dibatalkan 1" in text and "outbox." not in text
    assert not [r for r in caplog.records if "missing translation" in r.getMessage()]
