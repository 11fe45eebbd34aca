"""The reminders' buttons into other features are real buttons there; every notice renders in
both languages with the dates in the zone it names."""

from __future__ import annotations

from handlers import build_router
from handlers.appraisal.callbacks import SkpPeriod
from handlers.complaints.callbacks import OpenCard
from handlers.notices import render_notice
from handlers.reminders.callbacks import RmHome
from handlers.training.callbacks import TrJoin, TrOpen
from handlers.vacancies.callbacks import VacDocs, VacView

build_router()


def test_the_buttons_into_other_features_are_their_typed_callbacks() -> None:
    """handlers/<feature>/reminder_views.py pack them with the owners' classes (tests/test_button_data.py
    keeps it so); here each is also answered by the owner's handler for that class."""
    callbacks = build_router().callbacks
    for kind in (TrOpen, TrJoin, VacView, VacDocs, SkpPeriod, OpenCard):
        assert getattr(callbacks[kind.prefix], "callback_type", None) is kind, kind


def test_a_training_reminder_in_wib_and_wita() -> None:
    base = {"training_id": 3, "title": "Etika <ASN>", "starts_at": "2026-11-25T00:00:00+00:00",
            "place": None, "online_url": "https://zoom.example/j/1?a=1&b=2"}
    wita = render_notice("rm.tr.h1", {**base, "tz": "Asia/Makassar"}, "id")
    wib = render_notice("rm.tr.h1", {**base, "tz": "Asia/Jakarta"}, "en")
    assert "25 Nov 2026, 08.00 WITA" in wita.text and "Rabu, 25 November 2026" in wita.text
    assert "25 Nov 2026, 07.00 WIB" in wib.text and "Wednesday, 25 November 2026" in wib.text
    assert "Etika &lt;ASN&gt;" in wita.text and "a=1&amp;b=2" in wita.text
    assert [b.data for row in wita.buttons for b in row] == [TrOpen(3).pack(), RmHome().pack()] == ["tr:o:3", "rm"]


def test_a_jp_nudge_with_a_broken_suggestion_list_still_renders() -> None:
    for raw in ("not json", "{}", '[{"id": "x"}]', '[{"id": 5, "title": "A", "starts_at": "2027-07-02T00:00:00+00:00",'
                                                     ' "jp": 8}]'):
        reply = render_notice("rm.jp", {"year": 2027, "counted": 4, "target": 20, "trainings": raw,
                                        "tz": "Asia/Makassar"}, "en")
        assert "4 of the 20 JP target (16 JP short)" in reply.text
    assert TrOpen(5).pack() in [b.data for row in reply.buttons for b in row]


def test_a_missed_reminder_is_not_requeued_when_the_person_writes_again() -> None:
    from services.notice import notice_types

    reminders = [k for t, k in notice_types().items() if t.startswith("rm.")]
    assert len(reminders) >= 8 and all(k.missed is False for k in reminders)
    assert notice_types()["announcement"].missed is True  # others keep their rule
