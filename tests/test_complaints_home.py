"""The complaints feature in one home: its steps, notices and buttons come from its manifest, keep
the state names and encodings people's chats already hold, and a button of a step that is over
is stale through one helper per flow."""

from __future__ import annotations

import pytest

from handlers import notices as global_notices
from handlers.complaints import feature
from handlers.features import bot
from services.notice import notice_types
from tests.harness import conversation_state
from tests.test_complaints_flows import OFFICER, complaints_in, deliver, file_report

STALE = "sudah tidak berlaku"
ONE_STEP = {"cx.lookup", "cx.reply", "cx.comment", "cx.erase", "cxo.note", "cxo.preview", "cxo.merge"}


def test_the_one_step_flows_are_declared_with_their_old_state_names() -> None:
    declared = {s.name for flow in feature.flows for s in flow.steps}
    assert ONE_STEP <= declared
    assert ONE_STEP <= {s.name for flow in bot().flows for s in flow.steps}


def test_the_complaints_notices_render_from_the_manifest_not_the_global_registry() -> None:
    ours = {k for k, v in notice_types().items() if v.__module__ == "services.complaints.notices"}
    assert ours >= {"cx.new", "cx.returned", "cx.reopened", "cx.reply", "cx.status", "cx.answer", "cx.followed",
                    "cx.rate", "cx.receipt"}
    assert ours <= {fn.notice_type.template for fn in feature.notices}
    assert ours <= set(bot().notices.entries)
    assert not hasattr(global_notices, "notice")  # the old global registry is gone: manifests only


async def test_menu_buttons_from_before_still_open_the_lists(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    number = await file_report(rina)
    await rina.say("/start")
    assert "cx:my" in [b.data for row in rina.messages()[-1].reply.buttons for b in row]
    await rina.press_data("cx:my:1")  # the menu's old encoding, still in people's chats
    assert number in rina.last_text()
    await officer.press_data("cxo:q:1")
    assert number in officer.last_text()
    await officer.press_data("cxo:q")
    assert number in officer.last_text()


async def test_a_note_button_of_another_action_or_report_is_stale_and_the_note_stays_open(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina)
    await deliver(app, channel)
    [c] = await complaints_in(app)
    await officer.press("Buka")
    await officer.press("Verifikasi")
    before = await conversation_state(app, OFFICER)
    assert before[0] == "cxo.note" and before[1]["report_id"] == c.id and before[1]["action"] == "verify"
    for forged in (f"cxo:nn:{c.id}:process", f"cxo:nn:{c.id + 1}:verify", f"cxo:rj:{c.id}", f"cxo:snd:{c.id}",
                   f"cxo:ed:{c.id}", f"cxo:ab:{c.id}", f"cxo:nn:{c.id}:maybe"):
        assert STALE in await officer.press_stale(forged), forged
        assert await conversation_state(app, OFFICER) == before, forged
    await officer.say("Sudah dicek di lokasi <b>&</b> 🚧")
    [c] = await complaints_in(app)
    assert c.status == "diverifikasi"
    assert (await conversation_state(app, OFFICER))[0] is None


async def test_the_queue_ends_an_unfinished_desk_step(person, app, channel):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Gabungkan")
    assert (await conversation_state(app, OFFICER))[0] == "cxo.merge"
    await officer.say("/laporanmasuk")
    assert (await conversation_state(app, OFFICER)) == (None, {})
    [c] = await complaints_in(app)
    assert c.status == "diterima"


@pytest.mark.parametrize("typed", ["", "\x00", "x" * 5000])
async def test_a_rating_comment_keeps_its_report_in_the_saved_state(person, app, channel, typed):
    rina, officer = person(1001, "Rina"), person(OFFICER, "Budi (Dinas PUPR)")
    await file_report(rina)
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Jawab")
    await officer.say("Sudah ditambal")
    await officer.press("Kirim ke pelapor")
    await deliver(app, channel)
    await rina.press("Sudah beres")
    await deliver(app, channel)  # the rating request
    await rina.press("4⭐")
    [c] = await complaints_in(app)
    state, data = await conversation_state(app, 1001)
    assert (state, data["report_id"], data["stars"]) == ("cx.comment", c.id, 4)
    if typed:
        await rina.say(typed)  # refused (control characters, too long): the step stays open
        assert (await conversation_state(app, 1001))[0] == "cx.comment"
    await rina.say("Cepat, terima kasih <b>&</b>")
    assert "Terima kasih, masukan Anda tercatat" in rina.last_text()
    assert STALE in await rina.press_stale(f"cx:rcs:{c.id}")  # "skip" after the comment: the step is over
