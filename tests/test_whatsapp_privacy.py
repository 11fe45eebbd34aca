"""A WhatsApp reporter's phone number is their id: for anonim and rahasia reports nothing that
reaches staff carries it, and /hapusdata forgets it."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from db.models import AuditLog, User
from tests.test_complaints_flows import HR, OFFICER, deliver
from tests.test_complaints_privacy import everything_in, staff_notices
from tests.wa_helpers import NUMBER, wa_world

WA_NUMBER = 6289912345678
SECRETS = [str(WA_NUMBER), "89912345678", "9912345678", "Zubaidah"]


async def file_on_whatsapp(people, privacy: str) -> str:
    people.names[WA_NUMBER] = "Zubaidah WA"
    await people.say(WA_NUMBER, "lapor")
    await people.press(WA_NUMBER, "Pengaduan")
    await people.say(WA_NUMBER, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya")
    await people.send_photo(WA_NUMBER)
    await people.press(WA_NUMBER, "Lanjut")
    await people.send_location(WA_NUMBER, -3.4424, 114.8301)
    await people.press(WA_NUMBER, "Dinas Pekerjaan Umum")
    await people.press(WA_NUMBER, privacy)
    await people.press(WA_NUMBER, "Kirim laporan")
    found = NUMBER.search("\n".join(people.texts(WA_NUMBER)[-3:]))
    assert found, people.texts(WA_NUMBER)[-3:]
    return found.group(0)


@pytest.mark.parametrize("privacy", ["Anonim", "Rahasia"])
async def test_no_staff_message_or_notice_carries_the_whatsapp_number(person, app, settings, clock, channel, privacy):
    async with wa_world(app, settings, clock) as wa:
        number = await file_on_whatsapp(wa.people, privacy)
        await deliver(app, channel)
        officer, hr = person(OFFICER, "Budi (Dinas PUPR)"), person(HR, "Ahmad (BKPSDM)")
        await officer.say("/laporanmasuk")
        await officer.press("Buka")
        await officer.press("Ambil laporan ini")
        await officer.press("Jawab")
        await officer.say("Sudah ditambal")
        await officer.press("Kirim ke pelapor")
        await hr.say("/laporanmasuk")
        await deliver(app, channel)
        seen = everything_in(channel.to(OFFICER)) + everything_in(channel.to(HR)) + await staff_notices(app)
        assert any(number in s for s in seen)  # the scan saw the report…
        assert any("via WhatsApp" in s for s in seen)  # …marked with the channel it came through…
        for text in seen:  # …and nothing about who filed it
            for secret in SECRETS:
                assert secret not in text, (secret, text)
        async with app.db.uow() as uow:
            rows = (await uow.session.execute(select(AuditLog))).scalars().all()
            assert all(str(WA_NUMBER) not in f"{r.target} {r.details} {r.actor_label}" for r in rows)


async def test_hapusdata_forgets_the_whatsapp_number(app, settings, clock):
    async with wa_world(app, settings, clock) as wa:
        await file_on_whatsapp(wa.people, "Biasa")
        await wa.people.say(WA_NUMBER, "hapusdata")
        assert "tidak bisa dibatalkan" in wa.people.last_text(WA_NUMBER)
        await wa.people.press(WA_NUMBER, "Ya, hapus")
        assert "sudah dihapus" in wa.people.last_text(WA_NUMBER)
        assert wa.emu.state.errors == []
    async with app.db.uow() as uow:
        assert await uow.users.by_external("whatsapp", WA_NUMBER) is None
        users = (await uow.session.execute(select(User))).scalars().all()
        assert all(WA_NUMBER not in (u.external_id, u.chat_id) and str(WA_NUMBER) != u.phone for u in users)
