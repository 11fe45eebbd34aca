"""Statistics sections are registered by features: the screen, the charts and the exports iterate them."""

from __future__ import annotations

import dataclasses
import io

import pytest
from openpyxl import load_workbook

from handlers import features
from handlers.feature import Feature, assemble
from handlers.features import bot
from handlers.i18n import catalog
from handlers.router import DuplicateRegistration, Router
from handlers.statistics import stats as stats_screen
from handlers.statistics import stats_files
from services.statistics.section import Export, Section, Window, Words
from services.xlsx import Column, Sheet

HR = 700003  # demo persona: Ahmad (BKPSDM)


async def _parking(uow, w: Window) -> int:
    return 3 if w.scope.agency_id is None else 1


def _parking_text(words: Words, n: int) -> list[str]:
    return [words.t("test.parking", count=n)]


async def _parking_sheet(uow, w: Window, t, limit: int) -> tuple[Sheet, int]:
    rows = [["Jl. A. Yani km 3"], ["Jl. Panglima Batur"]]
    return Sheet("Parkir", [Column("Lokasi")], rows[:limit]), len(rows)


PARKING = Section("parking", _parking, _parking_text, order=35, exports=(
    Export("parking", "parkir", _parking_sheet, "test.btn.parking", "test.exported.parking"),))


def test_sections_are_ordered_and_a_key_or_an_export_is_claimed_once() -> None:
    first = Section("a", _parking, order=40)
    second = Section("b", _parking, order=10)
    a = assemble([Feature("one", Router(), stats=(first,)), Feature("two", Router(), stats=[second])])
    assert a.stats == (second, first)
    with pytest.raises(DuplicateRegistration, match="statistics section 'a'"):
        assemble([Feature("one", Router(), stats=(first,)), Feature("two", Router(), stats=(Section("a", _parking),))])
    with pytest.raises(DuplicateRegistration, match="statistics export 'parking'"):
        assemble([Feature("one", Router(), stats=(PARKING,)),
                  Feature("two", Router(), stats=(dataclasses.replace(PARKING, key="other"),))])


def test_the_real_sections_keep_todays_order() -> None:
    assert [s.key for s in bot().stats] == ["reports", "ikm", "jp", "broadcasts"]


async def test_a_fake_features_section_is_in_the_text_and_its_export(app, person, monkeypatch) -> None:
    # A feature the statistics never heard of: registered the way a manifest does, nothing else.
    sections = tuple(sorted((*bot().stats, PARKING), key=lambda s: s.order))
    fake = dataclasses.replace(bot(), stats=sections)
    for module in (features, stats_screen, stats_files):
        monkeypatch.setattr(module, "bot", lambda: fake)
    words = {"test.parking": "<b>Parkir liar</b>: {count}", "test.btn.parking": "🅿️ Parkir (XLSX)",
             "test.exported.parking": "Parkir {period}: {rows} baris"}
    for key, text in words.items():
        monkeypatch.setitem(catalog("id"), key, text)
    hr = person(HR, "Ahmad")
    await hr.say("/statistik 2026-03")
    text = hr.last_text()
    assert "<b>Parkir liar</b>: 3" in text
    # In its order: after the JP line, before the broadcasts' and the system's numbers.
    assert text.index("JP ≥ target") < text.index("Parkir liar") < text.index("Pengguna per peran")
    exports = [label for label in hr.last_labels() if "XLSX" in label]
    assert exports == ["⬇️ Laporan (XLSX)", "⬇️ Survei (XLSX)", "🅿️ Parkir (XLSX)"]  # in the sections' order
    await hr.press("🅿️ Parkir (XLSX)")
    doc = next(s for s in reversed(hr.messages()) if s.reply.attachment is not None)
    assert doc.text == "Parkir Maret 2026: 2 baris"
    assert doc.reply.attachment.filename == "SAPA-parkir-semua-20260301-20260331.xlsx"
    ws = load_workbook(io.BytesIO(doc.reply.attachment.content)).active
    assert [r for r in ws.iter_rows(values_only=True)] == [("Lokasi",), ("Jl. A. Yani km 3",), ("Jl. Panglima Batur",)]


async def test_an_export_no_section_offers_is_a_stale_button(app, person) -> None:
    hr = person(HR, "Ahmad")
    await hr.say("/start")
    # As a value outside a Literal: the pop-up alone, the chat as it was.
    assert await hr.press_stale("stats:x:parking:20260301-20260331") == catalog("id")["stale.toast"]
