"""The undelivered-recipients file of a broadcast speaks HR's language and lets HR reach each
person another way: name, NIP, agency, Telegram id, and why it did not arrive in words."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import update

from bot.delivery import Pause
from bot.outbox import OutboxSender
from bot.progress import ProgressEditor
from db.models import Employee
from handlers.channel import Rejected, Unreachable
from services.broadcasts import demo

HR, CITIZEN = 700003, 1002
BLOCKED = "Forbidden: bot was blocked by the user"


async def _send_and_export(app, hr, channel, clock, audience: tuple[str, ...]):
    """HR writes, picks the audience (button, then typed values), sends; the sender delivers;
    the report arrives with its XLSX button, which HR presses."""
    from handlers.notices import render_notice

    await hr.say("/umumkan")
    await hr.say("Rapat besok")
    await hr.press(audience[0])
    for typed in audience[1:]:
        await hr.say(typed)
    await hr.press("✅")
    await OutboxSender(app.db, channel, render_notice, rate=10_000.0, in_flight=4, pause=Pause(),
                       clock=clock).drain_once()
    await ProgressEditor(app.db, channel, Pause(), rate=25.0, quiet=app.settings.quiet, tz=app.settings.tz,
                         clock=clock).tick()
    await hr.press("XLSX")
    ws = load_workbook(io.BytesIO(hr.messages()[-1].reply.attachment.content)).active
    return ws, list(ws.iter_rows(values_only=True))


async def test_civil_servants_by_name_nip_agency_and_a_reason_in_words(app, person, channel, clock):
    async with app.db.uow() as uow:
        await demo.add_civil_servants(uow, 3, first_id=720_001, now=clock(), agencies=["PUPR"])
        await uow.session.execute(update(Employee).where(Employee.name == "ASN Demo 2").values(name="<b>Dewi</b> & co"))
        await uow.commit()
    channel.failures[720_001] = Unreachable(BLOCKED)
    channel.failures[720_002] = Rejected("Bad Request: message is too weird")  # no words for it: quoted in ours
    hr = person(HR, "Ahmad")
    ws, rows = await _send_and_export(app, hr, channel, clock, ("OPD", "PUPR"))
    assert ws.title == "Siaran 1"
    assert rows[0] == ("Nama", "NIP", "OPD", "ID Telegram", "Status", "Alasan", "Diantrekan (WITA)")
    by_id = {r[3]: r for r in rows[1:]}
    assert set(by_id) == {720_001, 720_002}
    blocked = by_id[720_001]
    assert blocked[0] == "ASN Demo 1" and blocked[1] == str(900000000000000000 + 720_001)  # the full NIP
    assert "PUPR" in blocked[2] or "Pekerjaan Umum" in blocked[2]
    assert blocked[4:6] == ("tidak terjangkau", "memblokir bot")
    weird = by_id[720_002]
    assert weird[0] == "<b>Dewi</b> & co"  # literal text in a spreadsheet
    assert weird[4:6] == ("gagal", "gagal terkirim; kata Telegram: Bad Request: message is too weird")
    assert not any(v == "unreachable" or v == BLOCKED or v == "User" for r in rows for v in r)


async def test_an_opted_in_citizen_by_the_name_they_gave_in_english(app, person, channel, clock):
    rina = person(CITIZEN, "Rina <b>&")
    await rina.say("/kabar")
    await rina.press("Ya")
    channel.failures[CITIZEN] = Unreachable(BLOCKED)
    hr = person(HR, "Ahmad", language_code="en")
    ws, rows = await _send_and_export(app, hr, channel, clock, ("Citizens",))
    assert ws.title == "Broadcast 1"
    assert rows[0] == ("Name", "NIP", "Agency", "Telegram id", "Status", "Reason", "Queued (WITA)")
    assert rows[1][:6] == ("Rina <b>&", None, None, CITIZEN, "unreachable", "blocked the bot")
