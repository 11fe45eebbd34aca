"""The audit log reads in the superadmin's language: actions in words, changes as sentences,
times in the deployment's zone, in the chat and in the XLSX alike."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from services.broadcasts import demo

ADMIN, HR = 900001, 700003


@pytest.fixture
async def broadcast_sent(app, person, clock):
    """HR sends a real broadcast to PUPR: create + confirm are audited by the service."""
    async with app.db.uow() as uow:
        await demo.add_civil_servants(uow, 3, first_id=720_001, now=clock(), agencies=["PUPR"])
        await uow.commit()
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Rapat besok")
    await hr.press("Kirim")
    clock.advance(minutes=5)


async def _log(boss) -> str:
    await boss.say("/start")
    await boss.press_data("sf:a")
    return boss.last_text()


async def test_actions_read_as_words_with_local_times_not_keys_or_json(app, person, clock, broadcast_sent):
    boss = person(ADMIN, "Kepala")
    text = await _log(boss)
    assert "Mengirim siaran" in text and "Menyusun siaran" in text
    assert "broadcast.confirm" not in text and "broadcast.create" not in text
    assert "{" not in text and '"' not in text  # never raw JSON
    assert "penerima: 3" in text and "mendesak: tidak" in text
    assert "T02:00" not in text and "+00:00" not in text  # no UTC ISO time: "mulai: 23 Nov 2026, 10.00 WITA"
    assert "mulai: 23 Nov 2026, 10.00 WITA" in text
    assert "siaran #" in text


async def test_english_reader_gets_english(app, person, clock, broadcast_sent):
    boss = person(ADMIN, "Boss", language_code="en")
    text = await _log(boss)
    assert "Sent a broadcast" in text and "recipients: 3" in text and "urgent: no" in text
    await boss.press_data("sf:ae")
    ws = load_workbook(io.BytesIO(boss.messages()[-1].reply.attachment.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("When (WITA)", "Actor", "User id", "Name", "Action", "Target", "Changes", "Details")
    actions = [r[4] for r in rows[1:]]
    assert "Sent a broadcast" in actions and "Drafted a broadcast" in actions
    sent = rows[1 + actions.index("Sent a broadcast")]
    assert "recipients: 3" in sent[7] and "starts: 23 Nov 2026, 10.00 WITA" in sent[7]


async def test_a_role_change_reads_before_and_after(app, person):
    boss = person(ADMIN, "Kepala")
    await boss.say("/start")
    await boss.press_data("sf:g:555001:hr")
    text = await _log(boss)
    assert "Memberi peran" in text and "peran: masyarakat → BKPSDM" in text and "555001" in text
    assert "role.grant" not in text


async def test_old_or_unknown_entries_still_read_and_markup_stays_escaped(app, person, clock):
    async with app.db.uow() as uow:  # an entry as an older version (or a future one) may have left it
        uow.audit.record("cli", "legacy.thing", "<b>&", odd_field={"inner": "<i>x</i>"}, when="2026-11-23T01:00:00",
                         before={"color": "red"}, after={"color": "<b>&"}, at=clock())
        await uow.commit()
    boss = person(ADMIN, "<b>Kepala & co</b>")
    text = await _log(boss)
    assert "legacy.thing" in text  # no label: its code, not a crash nor a missing-translation error
    assert "odd field: inner: &lt;i&gt;x&lt;/i&gt;" in text and "{" not in text
    assert "color: red → &lt;b&gt;&amp;" in text and "&lt;b&gt;&amp;" in text
    assert "when: 23 Nov 2026, 09.00 WITA" in text  # a naive ISO time is UTC, shown in the zone
    await boss.press_data("sf:ae")
    ws = load_workbook(io.BytesIO(boss.messages()[-1].reply.attachment.content)).active
    row = next(r for r in ws.iter_rows(values_only=True) if r[4] == "legacy.thing")
    assert row[5] == "<b>&" and row[6] == "color: red → <b>&"  # literal text in a spreadsheet
    assert "odd field: inner: <i>x</i>" in row[7]


async def test_action_family_buttons_are_words(app, person):
    boss = person(ADMIN, "Kepala")
    await boss.say("/start")
    await boss.press_data("sf:aa:type")
    labels = boss.last_labels()
    assert "Peran" in labels and "Laporan" in labels and "complaint" not in labels


async def test_a_broadcasts_audience_reads_as_the_composer_says_it(app, person, clock, broadcast_sent):
    """Sent to everyone: 'sasaran: semua ASN', not 'sasaran: —' (every audience field empty)."""
    text = await _log(person(ADMIN, "Kepala"))
    assert "sasaran: semua ASN" in text and "sasaran: —" not in text
    hr = person(HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say("Rapat <b>OPD</b>")
    await hr.press("OPD")
    await hr.say("PUPR")
    await hr.press("Kirim")
    boss = person(ADMIN, "Boss", language_code="en")
    text = await _log(boss)
    assert "audience: all civil servants" in text and "audience: Civil servants: agencies PUPR" in text
    await boss.press_data("sf:ae")
    ws = load_workbook(io.BytesIO(boss.messages()[-1].reply.attachment.content)).active
    assert any("audience: all civil servants" in (r[7] or "") for r in ws.iter_rows(values_only=True))


REFUSALS = [  # (action, details, what the Indonesian reader sees, what the English one sees)
    ("denied", {"role": "asn", "code": "error.forbidden"},
     "alasan: Anda tidak memiliki akses ke layanan ini.", "reason: You do not have access to this service."),
    ("denied", {"role": "officer", "code": "cx.err.not_claimant"},  # needs {name}, not recorded
     "alasan: tidak berhak melakukannya", "reason: not allowed to do that"),
    ("denied", {"role": "citizen", "code": "no.such.key"}, "alasan: tidak berhak melakukannya",
     "reason: not allowed to do that"),
    ("employee.code_refused", {"reason": "wrong"}, "alasan: Kode aktivasi salah.", "reason: Wrong activation code."),
    ("training.unattended", {"reason_code": "mistake"}, "alasan: Salah tandai", "reason: Marked by mistake"),
]


@pytest.mark.parametrize(("action", "details", "in_id", "in_en"), REFUSALS)
async def test_a_refusals_reason_reads_as_the_message_not_its_key(app, person, action, details, in_id, in_en):
    async with app.db.uow() as uow:
        uow.audit.record("user:1", action, "cmd:/staf", actor_user_id=None, **details)
        await uow.commit()
    for lang, expected in (("id", in_id), ("en", in_en)):
        text = await _log(person(ADMIN, "Kepala", language_code=lang))
        assert expected in text, text
        code = details.get("code") or details.get("reason") or details.get("reason_code")
        assert f": {code}" not in text  # never the code as the value
        assert "{" not in text


async def test_what_a_refused_person_tried_reads_as_the_feature_not_its_button_data(app, person, clock):
    rina = person(1001, "Rina")
    await rina.press_data("sf:g:5:hr")  # a citizen forges the staff desk's grant button
    await rina.say("/start")
    clock.advance(minutes=2)
    async with app.db.uow() as uow:  # a step and a message kind, as the router would name them
        uow.audit.record("user:1001", "denied", "step:sf.who", actor_user_id=None, role="citizen")
        uow.audit.record("user:1001", "denied", "msg:photo", actor_user_id=None, role="citizen")
        uow.audit.record("user:1001", "denied", "btn:zz:gone", actor_user_id=None, role="citizen")
        await uow.commit()
    boss = person(ADMIN, "Kepala")
    text = await _log(boss)
    assert "tombol di Staf &amp; audit" in text
    assert "langkah di Staf &amp; audit" in text and "pesan (foto)" in text
    assert "tombol yang tidak dikenal lagi" in text
    assert "sf:g" not in text and "sf.who" not in text and "msg:photo" not in text and "zz:gone" not in text
    from handlers.staff.auditwords import target_text

    assert target_text("en", "btn:sf:g") == "a button in Staff & audit"
    assert target_text("en", "msg:document") == "a message (file)"
