"""A draft saved before the typed draft (the old dict with short keys) goes on after the upgrade.

People keep an open draft across a deploy: their state row still says e.g. {"d": …, "desc": …}
at "cx.photos", and the buttons in their chat still carry that token.
"""

from __future__ import annotations

from sqlalchemy import update

from db.models import User
from tests.harness import conversation_state
from tests.test_complaints_flows import NUMBER, POTHOLE, complaints_in, file_report

CITIZEN = 1001
TOKEN = "abc123"
OLD_DESC = "Lampu jalan mati sejak seminggu lalu di gang Melati <b>&"


async def saved(app, state: str | None, data: dict) -> None:
    """Write the person's state row directly, as the old code left it."""
    async with app.db.uow() as uow:
        await uow.session.execute(update(User).where(User.external_id == CITIZEN)
                                  .values(state=state, state_data=data))
        await uow.commit()


async def test_an_old_draft_on_the_photos_step_goes_on_to_a_report(person, app):
    rina = person(CITIZEN, "Rina")
    await rina.say("/start")
    await saved(app, "cx.photos", {"d": TOKEN, "desc": OLD_DESC, "kind": "pengaduan", "photos": [],
                                   "privacy": "normal"})
    await rina.send_photo()
    assert "Foto diterima (1/" in rina.last_text()
    await rina.press_data(f"cx:ph:{TOKEN}")  # the "next" button already in the chat
    st, data = await conversation_state(app, CITIZEN)
    assert st == "cx.loc"
    assert data["token"] == TOKEN and data["description"] == OLD_DESC and len(data["photos"]) == 1
    assert not {"d", "desc", "lat", "lon", "addr", "agency", "dup_ok", "edit"} & set(data)  # mapped once
    await rina.say("Gang Melati RT 03, Loktabat Utara")
    assert rina.last_labels()[0] == "Dinas Perhubungan"  # suggested from the old description
    await rina.press("Dinas Perhubungan")
    await rina.press("Biasa")
    summary = rina.last_text()
    assert "Ringkasan laporan" in summary and "&lt;b&gt;&amp;" in summary and "Gang Melati RT 03" in summary
    await rina.press("Kirim laporan")
    if any("Tetap kirim" in label for label in rina.last_labels()):
        await rina.press("Tetap kirim")
    assert NUMBER.search(rina.last_text())
    [c] = await complaints_in(app)
    assert (c.description, c.address, c.kind, len(c.photos)) == (OLD_DESC, "Gang Melati RT 03, Loktabat Utara",
                                                                 "pengaduan", 1)


async def test_an_old_draft_being_edited_returns_to_the_summary(person, app):
    """The old "edit" flag is the kit's editing marker: the changed description goes back to the summary."""
    rina = person(CITIZEN, "Rina")
    await rina.say("/start")
    await saved(app, "cx.desc", {"d": TOKEN, "desc": OLD_DESC, "kind": "aspirasi", "photos": [],
                                 "lat": -3.44, "lon": 114.83, "agency": None, "agency_name": None,
                                 "privacy": "anonim", "edit": True})
    await rina.say("Usul lampu taman di gang Melati supaya terang malam hari")
    assert "Ringkasan laporan" in rina.last_text() and "Usul lampu taman" in rina.last_text()
    st, data = await conversation_state(app, CITIZEN)
    assert st == "cx.confirm" and data["latitude"] == -3.44 and data["privacy"] == "anonim"
    assert "_edit" not in data and "edit" not in data
    labels = rina.last_labels()  # an aspiration: photos and place are one button
    assert "📎 Foto/tempat" in labels and "📷 Foto" not in labels


async def test_old_buttons_of_another_draft_stay_stale_after_the_upgrade(person, app):
    rina = person(CITIZEN, "Rina")
    await rina.say("/start")
    await saved(app, "cx.photos", {"d": TOKEN, "desc": OLD_DESC, "kind": "pengaduan", "photos": []})
    assert "sudah tidak berlaku" in await rina.press_stale("cx:ph:zzz999")  # a button of some earlier draft
    st, data = await conversation_state(app, CITIZEN)
    assert st == "cx.photos" and data["d"] == TOKEN  # untouched: a stale press changes nothing


async def test_send_pressed_again_after_the_upgrade_answers_with_the_old_receipt(person, app):
    """The old "filed": [token, id] marker still answers a repeated "send" with that report's number."""
    rina = person(CITIZEN, "Rina")
    number = await file_report(rina, POTHOLE)
    await saved(app, None, {"filed": [TOKEN, 1]})
    await rina.press_data(f"cx:send:{TOKEN}")
    assert "sudah terkirim" in rina.last_text() and number in rina.last_text()
    assert len(await complaints_in(app)) == 1
