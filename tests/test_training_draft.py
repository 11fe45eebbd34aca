"""HR's training form keeps its answers typed (`TrainingFields`) and saves them as JSON in the
chat's state: a draft saved by the release before the typed one still resumes."""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from db.models.core import User
from services.training.draft import TrainingFields
from tests.test_training_admin_flows import HR_TG, trainings
from tests.training_helpers import by_code

# Exactly what the form stored before its answers were typed (read from the state of a chat
# walked with that release): a new training at its agencies question…
NEW_AT_AGENCIES: dict[str, Any] = {
    "training_id": 0,
    "values": {"code": "PK-2027-01", "title": "Penulisan Kebijakan", "topic": "", "organiser": "BKPSDM Kota Banjarbaru",
               "starts_at": "2026-12-14T00:00:00+00:00", "ends_at": "2026-12-15T08:00:00+00:00",
               "place": "Aula BKPSDM", "online_url": None, "jp": 16, "quota": 25,
               "registration_closes_at": "2026-12-10T15:59:00+00:00", "min_golongan": "III/a", "max_golongan": None,
               "jabatan_kinds": ["jf_ahli_pertama"]},
    "original": {}}
# …and the place of a stored training being edited.
_PP = {"code": "PP-2026-01", "title": "Pelayanan Prima", "topic": "pelayanan publik, komunikasi, pengaduan",
       "organiser": "BKPSDM Kota Banjarbaru", "starts_at": "2026-12-07T00:00:00+00:00",
       "ends_at": "2026-12-07T08:00:00+00:00", "place": "Ruang Rapat Balai Kota", "online_url": None, "jp": 8,
       "quota": 2, "registration_closes_at": "2026-12-03T15:59:00+00:00", "min_golongan": None, "max_golongan": None,
       "jabatan_kinds": [], "agency_ids": [], "employment": None}
EDITING_PLACE: dict[str, Any] = {"training_id": 0, "values": dict(_PP), "original": dict(_PP), "_edit": True}


async def _hr_at(app, person, state: str, data: dict[str, Any]):
    """HR's chat put where a saved draft left it (as after a restart)."""
    hr = person(HR_TG, "Ahmad")
    await hr.say("/kelolapelatihan")
    async with app.db.uow() as uow:
        u = (await uow.session.execute(select(User).where(User.external_id == HR_TG))).scalar_one()
        u.state, u.state_data = state, copy.deepcopy(data)
        await uow.commit()
    return hr


async def _state(app) -> tuple[str | None, dict[str, Any]]:
    async with app.db.uow() as uow:
        u = (await uow.session.execute(select(User).where(User.external_id == HR_TG))).scalar_one()
        return u.state, u.state_data


async def test_a_new_training_saved_before_the_typed_draft_resumes_and_saves(app, person):
    hr = await _hr_at(app, person, "tra.agency_ids", NEW_AT_AGENCIES)
    await hr.say("dinkes, PUPR")
    state, data = await _state(app)
    assert state == "tra.employment"
    async with app.db.uow() as uow:
        agencies = await uow.trainings.agency_ids_by_code()
    ids = [agencies["DINKES"], agencies["PUPR"]]
    # the shape it is saved in has not changed either: the old keys as they were, the new answer added
    assert data == {**NEW_AT_AGENCIES, "values": {**NEW_AT_AGENCIES["values"], "agency_ids": ids}}
    await hr.press("PNS dan PPPK")
    summary = hr.last_text()
    assert "Periksa pelatihan baru" in summary and "14 Des 2026, 08.00 WITA" in summary and "III/a" in summary
    await hr.press("Simpan")
    assert "PK-2027-01 disimpan" in hr.last_text()
    async with app.db.uow() as uow:
        t = await by_code(uow, "PK-2027-01")
    assert (t.title, t.topic, t.place, t.online_url, t.jp, t.quota) == (
        "Penulisan Kebijakan", "", "Aula BKPSDM", None, 16, 25)
    assert t.starts_at.isoformat() == "2026-12-14T00:00:00+00:00"
    assert (t.min_golongan, t.max_golongan, t.employment) == ("III/a", None, None)
    assert t.jabatan_kinds == ["jf_ahli_pertama"] and t.agency_ids == ids


async def test_an_edit_saved_before_the_typed_draft_resumes_at_its_question(app, person):
    async with app.db.uow() as uow:
        pp = await by_code(uow, "PP-2026-01")
    hr = await _hr_at(app, person, "tra.place", {**EDITING_PLACE, "training_id": pp.id})
    await hr.say("Aula Gawi Sabarataan")
    assert "✏️ <b>Tempat</b>: <s>Ruang Rapat Balai Kota</s> → Aula Gawi Sabarataan" in hr.last_text()
    await hr.press("Simpan")
    assert "Perubahan disimpan" in hr.last_text()
    async with app.db.uow() as uow:
        assert (await by_code(uow, "PP-2026-01")).place == "Aula Gawi Sabarataan"


async def test_an_ill_typed_answer_counts_as_not_given_and_nothing_is_saved(app, person):
    values = {**NEW_AT_AGENCIES["values"], "quota": "25", "agency_ids": []}
    hr = await _hr_at(app, person, "tra.employment", {**NEW_AT_AGENCIES, "values": values})
    await hr.say("semua")  # the question comes again, with its buttons
    await hr.press("PNS dan PPPK")
    assert "Kuota: -" in hr.last_text().replace("<b>", "").replace("</b>", "")
    before = len(await trainings(app))
    await hr.press("Simpan")
    assert len(await trainings(app)) == before
    assert (await _state(app))[0] == "tra.confirm"  # the draft stays, to be corrected


def test_json_round_trips_in_the_old_shape_unknown_keys_ignored_ill_typed_not_answered():
    for saved in (NEW_AT_AGENCIES["values"], _PP):
        assert TrainingFields.from_json(saved).to_json() == saved
    f = TrainingFields.from_json({**_PP, "later_field": 1, "jp": True, "quota": "2", "starts_at": "besok",
                                  "ends_at": "2026-12-07T08:00:00", "agency_ids": ["1"], "jabatan_kinds": "jf",
                                  "title": 7, "place": None})
    assert (f.jp, f.quota, f.starts_at, f.ends_at, f.agency_ids, f.jabatan_kinds, f.title) == (None,) * 7
    assert f.place == "" and f.answered("place")  # null for an optional text: answered "none"
    assert f.registration_closes_at == datetime(2026, 12, 3, 15, 59, tzinfo=UTC)
    assert TrainingFields.from_json(None) == TrainingFields.from_json([1]) == TrainingFields()
