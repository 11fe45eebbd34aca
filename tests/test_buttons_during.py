"""A button counts only in the steps its handler declares (`Router.callback(..., during=...)`).

Checked two ways: no feature raises StaleButton after looking at the chat's step (the router does
that, from the declaration), and real flows answer a press outside its steps with the stale pop-up
alone, the conversation where it was, while inside its steps the button works as before.
"""

from __future__ import annotations

import ast
from pathlib import Path

from handlers.complaints.callbacks import EraseConfirm, PickKind, Send
from handlers.i18n import catalog
from handlers.survey.callbacks import Answer
from handlers.training.admin.callbacks import TaBack, TaKindsDone, TaSave, TaSkip
from handlers.vacancies.admin.callbacks import VaaSave
from tests.harness import conversation_state

ROOT = Path(__file__).resolve().parent.parent
KIT = {"handlers/router.py", "handlers/callbacks.py", "handlers/flow.py"}  # where "stale" is decided
# Functions outside the kit that may still raise a StaleButton: each checks the button's *data*
# against the flow's data or the services, never the chat's step. This list may only shrink.
DATA_CHECKS = {
    ("handlers/account/profile.py", "_current"): "an unlink button for another record than the one linked",
    ("handlers/broadcasts/followup.py", "_or_stale"): "the service says the broadcast's moment is over",
    ("handlers/complaints/desk/common.py", "on_card"): "a button for another report or action than the open one",
    ("handlers/complaints/filing/base.py", "of_draft"): "a button carrying another draft's token",
    ("handlers/complaints/filing/choices.py", "on_agency"): "an agency id that is not one of the list",
    ("handlers/complaints/filing/send.py", "_filed_again"): "a Kirim of a draft other than the one just sent",
    ("handlers/survey/steps.py", "current"): "a button carrying another survey's id",
    ("handlers/training/admin/attendance.py", "undo_yes"): "a confirmation for another person than the question's",
    ("handlers/training/admin/calling_off.py", "call_off_yes"): "a confirmation for another training",
    ("handlers/training/admin/form.py", "toggle_kind"): "a jabatan kind no button of ours carries",
    ("handlers/training/admin/form.py", "_changeable"): "a change of a stored training's code, which never changes",
}
STEP_WORDS = {"state", "is_current", "step", "names", "steps"}  # reading the chat's step, or a flow's


def _stale_types() -> set[str]:
    """StaleButton and every subclass declared under handlers/ (StaleSurvey…)."""
    names, grew = {"StaleButton"}, True
    trees = [ast.parse(p.read_text()) for p in (ROOT / "handlers").rglob("*.py")]
    while grew:
        grew = False
        for tree in trees:
            for node in ast.walk(tree):
                if (isinstance(node, ast.ClassDef) and node.name not in names
                        and any(isinstance(b, ast.Name) and b.id in names for b in node.bases)):
                    names.add(node.name)
                    grew = True
    return names


def _step_words(node: ast.AST) -> set[str]:
    return {n.attr for n in ast.walk(node) if isinstance(n, ast.Attribute) and n.attr in STEP_WORDS}


def _raisers() -> dict[tuple[str, str], set[str]]:
    """(module, function) → the step words it uses, itself or through a helper of its module (as the
    survey's `in_survey`), for every function that builds a StaleButton."""
    stale = _stale_types()
    found: dict[tuple[str, str], set[str]] = {}
    for p in sorted((ROOT / "handlers").rglob("*.py")):
        rel = p.relative_to(ROOT).as_posix()
        if rel in KIT:
            continue
        tree = ast.parse(p.read_text(), rel)
        fns = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        words = {fn.name: _step_words(fn) for fn in fns}
        for fn in fns:
            called = {n.func.id for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
            if called & stale:
                found[(rel, fn.name)] = words[fn.name].union(*(words.get(c, set()) for c in called))
    return found


def test_only_the_kit_answers_a_button_by_its_step() -> None:
    raisers = _raisers()
    assert {k: v for k, v in raisers.items() if v} == {}  # a step compared, then StaleButton: use during=
    assert set(raisers) - set(DATA_CHECKS) == set()  # a new data check: list it above, with its reason
    assert set(DATA_CHECKS) - set(raisers) == set()  # gone: leave the list


def test_the_check_sees_a_step_comparison(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    fake = tmp_path / "handlers" / "feature.py"
    fake.parent.mkdir()
    fake.write_text("def f(chat, cb):\n    if not Form.x.is_current(chat):\n        raise StaleButton(cb)\n"
                    "class Own(StaleButton):\n    pass\n"
                    "def g(chat):\n    if chat.state != 'a.b':\n        raise Own('x')\n"
                    "def here(chat):\n    return chat.state == 'a.c'\n"
                    "def h(chat):\n    if not here(chat):\n        raise Own('y')\n")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)
    assert _raisers() == {("handlers/feature.py", "f"): {"is_current"}, ("handlers/feature.py", "g"): {"state"},
                          ("handlers/feature.py", "h"): {"state"}}


STALE = catalog("id")["stale.toast"]
HR = 700003


async def test_training_form_buttons_count_on_their_own_questions(person, app):
    hr = person(HR, "Ahmad")
    await hr.say("/kelolapelatihan")
    await hr.press("Pelatihan baru")
    before = await conversation_state(app, HR)
    assert before[0] == "tra.code"
    for data in (TaSave().pack(), TaSkip("topic").pack(), TaKindsDone().pack()):
        assert await hr.press_stale(data) == STALE, data  # the summary's, another question's, another's
        assert await conversation_state(app, HR) == before, data
    await hr.say("PK-2027-09")
    await hr.say("Penulisan Kebijakan")
    assert (await conversation_state(app, HR))[0] == "tra.topic"
    await hr.press_data(TaSkip("topic").pack())  # on its own question: skipped as before
    assert (await conversation_state(app, HR))[0] == "tra.organiser"
    await hr.press_data(TaBack().pack())  # any question's back goes one question back
    assert (await conversation_state(app, HR))[0] == "tra.topic"
    await hr.say("/batal")
    assert await hr.press_stale(TaBack().pack()) == STALE  # the form is over


async def test_a_filing_button_counts_on_its_step_only(person, app):
    rina = person(555001, "Rina")
    await rina.say("/lapor")
    state, data = await conversation_state(app, 555001)
    assert state == "cx.kind" and data["token"]
    token = data["token"]
    assert await rina.press_stale(Send(token).pack()) == STALE  # this draft's Kirim, before the summary
    assert await conversation_state(app, 555001) == (state, data)
    await rina.press_data(PickKind(token, "pengaduan").pack())
    assert (await conversation_state(app, 555001))[0] != "cx.kind"  # on its step: the flow goes on
    assert await rina.press_stale(PickKind(token, "aspirasi").pack()) == STALE  # that step is over


async def test_a_survey_button_outside_the_survey_gets_the_surveys_answer(person, app):
    rina = person(555002, "Rina")
    await rina.say("/start")
    before = await conversation_state(app, 555002)
    assert await rina.press_stale(Answer("a1b2c3", 0, 4).pack()) == catalog("id")["survey.stale_toast"]
    assert await conversation_state(app, 555002) == before


async def test_erasing_is_confirmed_only_while_asked(person, app):
    rina = person(555003, "Rina")
    await rina.say("/start")
    before = await conversation_state(app, 555003)
    assert await rina.press_stale(EraseConfirm("yes").pack()) == STALE
    assert await conversation_state(app, 555003) == before


async def test_otherwise_keeps_a_features_own_answer(person, app):
    hr = person(HR, "Ahmad")
    await hr.say("/start")
    before = await conversation_state(app, HR)
    await hr.press_data(VaaSave().pack())  # no vacancy summary open: "expired", in its own words
    assert "tidak berlaku" in hr.last_text()
    assert await conversation_state(app, HR) == before
