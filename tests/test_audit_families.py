"""Audit action families are registered by features: the audit log reads any family the same way."""

from __future__ import annotations

import dataclasses

import pytest

from handlers import features
from handlers.feature import Feature, assemble
from handlers.features import bot
from handlers.i18n import catalog
from handlers.router import DuplicateRegistration, Router
from handlers.staff import auditlog, auditwords
from services.staff.audit import AuditBook, AuditFamily

ADMIN = 900001  # demo persona: the superadmin
PARKING = AuditFamily("parking", "test.fam.parking", order=25, targets={"lot": "test.tg.lot"},
                      values={"zone": "test.zone.{}"}, words={"plate": lambda loc, v: f"plat {v.upper()}"})


def test_a_family_target_or_detail_is_claimed_once() -> None:
    a = assemble([Feature("one", Router(), audit=(PARKING,)), Feature("two", Router(), audit=[AuditFamily("z", order=1)])])
    assert [f.name for f in a.audit.families] == ["z", "parking"] and a.audit.filters == (PARKING,)
    assert a.audit.targets == {"lot": "test.tg.lot"} and a.audit.values == {"zone": "test.zone.{}"}
    clashes = {"audit family 'parking'": AuditFamily("parking"),
               "audit target 'lot'": AuditFamily("other", targets={"lot": "x"}),
               "audit detail 'zone'": AuditFamily("other", words={"zone": lambda loc, v: ""}),
               "audit detail 'plate'": AuditFamily("other", values={"plate": "x.{}"})}
    for match, second in clashes.items():
        with pytest.raises(DuplicateRegistration, match=match):
            assemble([Feature("one", Router(), audit=(PARKING,)), Feature("two", Router(), audit=(second,))])


def test_the_real_families_keep_todays_filter_buttons() -> None:
    assert [f.name for f in bot().audit.filters] == ["role", "denied", "complaint", "agency", "employee", "vacancy",
                                                     "training", "audit"]


async def test_a_fake_features_family_is_read_and_offered_as_a_filter(app, person, monkeypatch, clock) -> None:
    fake = dataclasses.replace(bot(), audit=AuditBook.of((*bot().audit.families, PARKING)))
    for module in (features, auditlog, auditwords):
        monkeypatch.setattr(module, "bot", lambda: fake)
    for key, text in {"test.fam.parking": "Parkir", "test.tg.lot": "petak #{id}", "test.zone.red": "Zona merah",
                      "sf.act.parking.fine": "Menilang", "sf.f.zone": "zona", "sf.f.plate": "kendaraan"}.items():
        monkeypatch.setitem(catalog("id"), key, text)
    async with app.db.uow() as uow:
        uow.audit.record("config", "parking.fine", "lot:7", at=clock(), zone="red", plate="da 1234 xy")
        uow.audit.record("config", "role.grant", "user:1", at=clock(), role="hr")
        await uow.commit()
    boss = person(ADMIN, "Kepala")
    await boss.say("/start")
    await boss.press_data("sf:aa:type")
    labels = boss.last_labels()
    assert labels[:4] == ["Peran", "Ditolak", "Parkir", "Laporan"]  # in the families' order
    await boss.press("Parkir")
    text = boss.last_text()
    assert "Menilang" in text and "petak #7" in text and "zona: Zona merah" in text
    assert "kendaraan: plat DA 1234 XY" in text and "Peran" not in text.split("\n\n", 1)[1]
