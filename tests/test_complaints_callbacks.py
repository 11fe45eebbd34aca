"""The complaints' button types agree with the rules they name, and keep their old encodings."""

from __future__ import annotations

from typing import get_args

from handlers.complaints import callbacks as cb
from handlers.complaints import views
from services.complaints import rules, tracking


def test_choices_are_the_rules_own() -> None:
    assert set(get_args(cb.Kind)) == set(views.KINDS)
    assert set(get_args(cb.Privacy)) == set(views.PRIVACY)
    assert set(get_args(cb.Verdict)) == set(tracking.VERDICTS) == set(views.VERDICTS)
    assert set(get_args(cb.Action)) == set(rules.DESK_ACTIONS)


def test_buttons_already_in_chats_still_mean_the_same() -> None:
    assert cb.ViewReport.unpack("cx:v:12") == cb.ViewReport(12)
    assert cb.ViewReport(12, "r").pack() == "cx:v:12:r"
    assert cb.Feedback(12, "not", "y").pack() == "cx:fb:12:not:y"
    assert cb.MyReports().pack() == "cx:my" and cb.MyReports.unpack("cx:my:1") == cb.MyReports(1)
    assert cb.OpenCard(7, "np").pack() == "cxo:o:7:np" and cb.Queue.unpack("cxo:q:1").page == 1
    assert cb.PickAgency("a1b2c3", 0).pack() == "cx:ag:a1b2c3:0"
