"""The privacy scan: for anonymous and confidential reports, nothing that reaches an officer or
HR may carry the reporter's name, username, phone or Telegram id. And an officer of another
agency cannot open a report, whatever callback they forge."""

from __future__ import annotations

import pytest
from sqlalchemy import select, update

from db.models import AuditLog, Complaint, OutboxMessage, User
from handlers.notices import render_notice
from services.staff.grant import grant_role
from tests.test_complaints_flows import (  # noqa: F401 - the fixture checks every message's HTML
    HR,
    OFFICER,
    PUPR,
    deliver,
    every_message_is_valid_telegram_html,
    file_report,
)

REPORTER_ID = 987654321
NAME, USERNAME, PHONE = "Zubaidah Kusumawardhani", "zubaidah_rahasia", "6289912345678"
SECRETS = [NAME, "Zubaidah", "Kusumawardhani", USERNAME, "@zubaidah", PHONE, "89912345678", str(REPORTER_ID),
           "tg://user"]
OTHER_OFFICER = 700010  # an officer of Dinas Kesehatan


def everything_in(sent) -> list[str]:
    """Every string a Telegram client would show or hold for these messages."""
    out = []
    for s in sent:
        out.append(s.text)
        if s.reply.attachment:
            out.append(str(s.reply.attachment.file_id))
        for row in s.reply.buttons:
            for b in row:
                out.extend(x for x in (b.text, b.data, b.url) if x)
    return out


async def staff_notices(app) -> list[str]:
    """Every outbox row addressed to staff, rendered in both languages."""
    texts = []
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(
            select(OutboxMessage).join(User, User.id == OutboxMessage.user_id)
            .where(User.role.in_(("officer", "hr", "superadmin"))))).scalars().all()
        for row in rows:
            assert REPORTER_ID not in row.params.values() and NAME not in str(row.params)
            for loc in ("id", "en"):
                reply = render_notice(row.template, row.params, loc)
                texts.append(reply.text)
                texts.extend(x for r in reply.buttons for b in r for x in (b.text, b.data, b.url) if x)
    assert texts, "no notice reached the staff: the scan would prove nothing"
    return texts


async def give_phone(app) -> None:
    async with app.db.uow() as uow:
        await uow.session.execute(update(User).where(User.external_id == REPORTER_ID).values(phone=PHONE))
        await uow.commit()


async def the_whole_story(person, app, channel, privacy: str) -> None:
    """Filing, routing, working, answering, replying, reopening, returning: every staff touchpoint."""
    zub = person(REPORTER_ID, NAME, username=USERNAME)
    officer, hr = person(OFFICER, "Budi (Dinas PUPR)"), person(HR, "Ahmad (BKPSDM)")
    await zub.say("/start")
    await give_phone(app)
    await file_report(zub, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya", agency=None,
                      privacy=privacy, photos=2, location=True)
    await deliver(app, channel)
    await hr.say("/laporanmasuk")
    await hr.press("BJB-2026-000001")
    await hr.press("Disposisikan")
    await hr.press("Dinas Lingkungan Hidup")  # no officer there: it stays in HR's queue, marked
    await hr.say("/laporanmasuk")
    assert "Tanpa petugas" in hr.last_text()
    await hr.press("BJB-2026-000001")
    await hr.press("Disposisikan")
    await hr.press(PUPR)
    await deliver(app, channel)
    await officer.say("/laporanmasuk")
    await officer.press("Buka")
    await officer.press("Proses")
    await officer.say("Data lengkap, tim ke lokasi")
    await officer.press("Jawab")
    await officer.say("Sudah ditambal")
    await officer.press("Ubah")
    await officer.say("Sudah ditambal, <b>terima kasih</b> & maaf")
    await officer.press("Kirim ke pelapor")
    await deliver(app, channel)
    await zub.press("Balas")
    await zub.say("Terima kasih, tapi masih ada lubang kecil")
    await zub.press("Belum beres")
    await zub.press("Ya, buka kembali")
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Salah disposisi")
    await officer.say("Jalan provinsi, bukan kewenangan kota")
    await deliver(app, channel)
    await hr.press("Buka")
    await hr.press("Tolak")
    await hr.press("Bukan wewenang")
    await deliver(app, channel)


@pytest.mark.parametrize("privacy", ["Anonim", "Rahasia"])
async def test_nothing_sent_to_staff_identifies_the_reporter(person, app, channel, privacy):
    await the_whole_story(person, app, channel, privacy)
    [c] = (await _complaints(app))
    assert c.status == "ditolak" and c.privacy == privacy.lower()
    seen = everything_in(channel.to(OFFICER)) + everything_in(channel.to(HR)) + await staff_notices(app)
    assert any("BJB-2026-000001" in s for s in seen)  # the scan saw the report…
    assert any("Jalan berlubang" in s for s in seen)
    for text in seen:  # …and nothing about who filed it
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), (secret, text)
    assert any("identitas disembunyikan" in s for s in seen)


async def test_a_normal_report_does_show_the_reporter_to_the_agency(person, app, channel):
    """The control for the scan above: the same story with no privacy names the reporter."""
    await the_whole_story(person, app, channel, "Biasa")
    cards = [s for s in everything_in(channel.to(OFFICER)) if "Riwayat" in s]
    assert cards and all(NAME in s and f"@{USERNAME}" in s and PHONE in s for s in cards)


async def test_an_officer_of_another_agency_cannot_open_or_touch_the_report(person, app, channel):
    async with app.db.uow() as uow:
        await grant_role(uow, actor="test", external_id=OTHER_OFFICER, role="officer", agency_code="DINKES",
                         now=app.clock())
        await uow.commit()
    zub = person(REPORTER_ID, NAME, username=USERNAME)
    await file_report(zub, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya", privacy="Anonim")
    [c] = await _complaints(app)
    nosy = person(OTHER_OFFICER, "Dewi (Dinkes)")
    for data in (f"cxo:o:{c.id}", f"cxo:o:{c.id}:np", f"cxo:a:{c.id}:verify", f"cxo:a:{c.id}:answer",
                 f"cxo:a:{c.id}:reject", f"cxo:a:{c.id}:merge", f"cxo:r:{c.id}", f"cxo:to:{c.id}:1",
                 f"cxo:nn:{c.id}:verify", f"cxo:rj:{c.id}"):
        await nosy.press_data(data)
        assert nosy.last_text()
    await nosy.say("/laporanmasuk")
    assert "Tidak ada laporan" in nosy.last_text()
    for text in everything_in(nosy.messages()):
        assert "Jalan berlubang" not in text and "BJB-2026-000001" not in text
    [after] = await _complaints(app)
    assert (after.status, after.agency_id) == (c.status, c.agency_id)
    citizen = person(1002, "Budi")
    await citizen.press_data(f"cxo:o:{c.id}")
    assert "tidak memiliki akses" in citizen.last_text()
    await citizen.press_data(f"cxo:a:{c.id}:reject")
    assert "tidak memiliki akses" in citizen.last_text()


async def _complaints(app) -> list[Complaint]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(select(Complaint).order_by(Complaint.id))).scalars())


async def test_a_forged_button_for_someone_elses_confidential_report_is_answered_as_not_found(person, app,
                                                                                            channel):
    zub = person(REPORTER_ID, NAME, username=USERNAME)
    number = await file_report(zub, "Dugaan pungli di loket pelayanan kelurahan setiap pagi", privacy="Rahasia")
    [c] = await _complaints(app)
    budi = person(1002, "Budi")
    answers = {}
    for cid in (c.id, 999_999):
        for data in (f"cx:v:{cid}", f"cx:v:{cid}:r", f"cx:rp:{cid}", f"cx:fw:{cid}", f"cx:fb:{cid}:not",
                     f"cx:rt:{cid}:5", f"cx:uf:{cid}"):
            await budi.press_data(data)
            last = budi.messages()[-1]
            answers.setdefault(data.replace(str(cid), "ID"), []).append((last.text, last.labels()))
    for data, (real, missing) in answers.items():
        assert real == missing, data  # nothing tells the two apart…
        assert number not in real[0] and "pungli" not in real[0]  # …and nothing names the report
    assert "tidak ditemukan" in answers["cx:v:ID"][0][0]
    async with app.db.uow() as uow:
        assert not await uow.complaints.is_following(c.id, (await uow.users.by_external("telegram", 1002)).id)
    await zub.press_data(f"cx:v:{c.id}")
    assert "pungli" in zub.last_text()  # its reporter still sees it


# --- the desk's newer screens: queue filters, claims, questions to the reporter, forwarding, merging

COLLEAGUE, NURSE = 700030, 700040  # a second officer of Dinas PUPR; an officer of Dinas Kesehatan


async def the_desk_story(person, app, channel, privacy: str) -> None:
    async with app.db.uow() as uow:
        for uid, code in ((COLLEAGUE, "PUPR"), (NURSE, "DINKES")):
            await grant_role(uow, actor="test", external_id=uid, role="officer", agency_code=code, now=app.clock())
        await uow.commit()
    zub = person(REPORTER_ID, NAME, username=USERNAME)
    officer, dedi, nurse = person(OFFICER, "Budi (Dinas PUPR)"), person(COLLEAGUE, "Dedi"), person(NURSE, "Ners")
    hr = person(HR, "Ahmad (BKPSDM)")
    await zub.say("/start")
    await give_phone(app)
    await file_report(person(1002, "Budi warga"), "Antrian puskesmas Guntung Manggis panjang sekali tiap pagi",
                      agency="Dinas Kesehatan")
    await file_report(zub, "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya", privacy=privacy,
                      photos=1, location=True)
    await deliver(app, channel)
    await officer.say("/laporanmasuk")
    await officer.press("Saring")
    await officer.press("Pengaduan")
    await officer.press("Saring")
    await officer.press("Diterima")
    await officer.press("BJB-2026-000002")
    await officer.press("Ambil laporan ini")
    await dedi.say("/laporanmasuk")
    await dedi.press("BJB-2026-000002")
    await dedi.press("Ambil alih")
    await dedi.press("Ambil alih")
    await officer.press_data("cxo:o:2")
    await officer.press("Minta info")
    await officer.say("Di sisi jalan yang mana, <b>kiri</b> & kanan?")
    await officer.press("Ubah")
    await officer.say("Di sisi jalan yang mana?")
    await officer.press("Kirim ke pelapor")
    await deliver(app, channel)
    await zub.press("Jawab pertanyaan")
    await zub.say("Sisi kiri dari arah Banjarbaru, dekat gerbang sekolah")
    await deliver(app, channel)
    await officer.press("Buka")
    await officer.press("Teruskan ke instansi lain")
    await officer.press("Dinas Kesehatan")
    await deliver(app, channel)
    await nurse.say("/laporanmasuk")
    await nurse.press("Saring")
    await nurse.press("Didisposisikan")
    await nurse.press("BJB-2026-000002")
    await nurse.press("Ambil laporan ini")
    await nurse.press_data("cxo:a:1:merge")
    await nurse.say("BJB-2026-000002")  # the other report is the duplicate: its reporter follows this one
    await deliver(app, channel)
    await hr.say("/laporanmasuk")
    await hr.press("Saring")
    await hr.press("Semua status")
    await deliver(app, channel)


@pytest.mark.parametrize("privacy", ["Anonim", "Rahasia"])
async def test_the_desks_new_screens_never_identify_the_reporter(person, app, channel, privacy):
    await the_desk_story(person, app, channel, privacy)
    first, c = await _complaints(app)
    # The story happened: forwarded to Dinas Kesehatan, taken there, the other report merged into it.
    assert (first.status, first.merged_into_id, c.status, c.agency_id) == ("digabung", c.id, "didisposisikan",
                                                                            first.agency_id)
    assert c.claimed_by_id is not None and c.info_requested_at is None
    seen = [x for uid in (OFFICER, COLLEAGUE, NURSE, HR) for x in everything_in(channel.to(uid))]
    seen += await staff_notices(app)
    assert any("Ditangani" in s for s in seen) and any("Pratinjau" in s for s in seen)  # the scan saw them…
    assert any("Sisi kiri" in s for s in seen)  # …and the reporter's answer reached the desk
    for text in seen:
        for secret in SECRETS:
            assert secret.lower() not in text.lower(), (secret, text)
    assert any("identitas disembunyikan" in s for s in seen)
    async with app.db.uow() as uow:  # and no audit row of the desk holds the reporter's id
        rows = (await uow.session.execute(select(AuditLog).where(AuditLog.action.like("complaint.%")))).scalars()
        reporter = (await uow.users.by_external("telegram", REPORTER_ID)).id
        for row in rows:
            assert reporter not in (row.actor_user_id,) and NAME not in str(row.details), row.action
