"""/pelatihan and /pelatihanku as people meet them, through the real router and unit of work."""

from __future__ import annotations

import re

from sqlalchemy import select

from db.models import OutboxMessage
from tests.test_complaints_flows import assert_valid_html, deliver
from tests.training_helpers import NUR, SITI, by_code, statuses

SITI_TG, HR_TG, OFFICER_TG = 700002, 700003, 700004


async def link(p, nip: str = SITI, phone: str = "6281234500002") -> None:
    await p.say("/tautkan")
    await p.say(nip)
    await p.share_contact(phone)
    assert "NIP" in p.last_text() or p.last_labels()


async def test_before_linking_every_entry_explains_and_offers_linking(app, person, channel):
    rina = person(1001, "Rina")
    for step in (lambda: rina.say("/pelatihan"), lambda: rina.say("/pelatihanku"), lambda: rina.press_data("tr:l:1"),
                 lambda: rina.press_data("tr:j:1:0:1"), lambda: rina.say("cari pelatihan")):
        await step()
        assert "ditautkan" in rina.last_text()
        assert "acct" in [b.data for row in rina.messages()[-1].reply.buttons for b in row]
    async with app.db.uow() as uow:
        assert await statuses(uow, 1) == {}


async def test_the_training_life_cycle_with_waiting_list_and_promotion_notice(app, person, channel):
    siti, ahmad, budi = person(SITI_TG, "Siti"), person(HR_TG, "Ahmad"), person(OFFICER_TG, "Budi")
    await link(siti)
    await link(ahmad, "198503122010011001", "6281234500001")
    await link(budi, "197804172005011003", "6281234500003")
    await siti.say("/pelatihan pelayanan prima")
    await siti.press("1. Pelayanan Prima")
    assert "Penuh" in siti.last_text()
    await siti.press("Masuk daftar tunggu")
    assert "Posisi Anda: 2" in siti.last_text()
    await siti.press("Ya, masuk daftar tunggu")
    assert "posisi 2" in siti.last_text()
    await siti.press_data(siti.messages()[-1].reply.buttons[0][0].data or "")  # /pelatihanku from there
    assert "Daftar tunggu, posisi 2" in siti.last_text()
    # Budi and then Ahmad give up their seats: Nur (no chat account) and then Siti move up
    for p in (budi, ahmad):
        await p.say("/pelatihanku")
        await p.press("Pelayanan Prima")
        await p.press("Batalkan pendaftaran")
        assert "diberikan kepada orang berikutnya" in p.last_text()
        await p.press("Ya, batalkan")
        assert "dibatalkan" in p.last_text()
    sent = await deliver(app, channel)
    assert sent == [(SITI_TG, "tr.seat")]
    assert "Ada kursi kosong di <b>Pelayanan Prima</b>" in siti.last_text()
    await siti.press("Lihat pelatihan")
    assert "Anda terdaftar" in siti.last_text()
    async with app.db.uow() as uow:
        pp = await by_code(uow, "PP-2026-01")
        nur = await uow.employees.by_nip(NUR)
        assert (await statuses(uow, pp.id))[nur.id] == "seat"
    assert_valid_html(channel)


async def test_sign_up_and_bad_presses(app, person, channel, clock):
    siti = person(SITI_TG, "Siti")
    await link(siti)
    await siti.say("/pelatihan manajemen proyk")  # a typo still finds it
    await siti.press("1. Manajemen Proyek")
    await siti.press("Daftar")
    confirm = siti.messages()[-1].reply.buttons[0][0].data or ""  # the message is edited by the press
    await siti.press("Ya, daftar")
    assert "Anda terdaftar di <b>Manajemen Proyek Pemerintah</b>" in siti.last_text()
    # the confirmation pressed again (a double tap, an old message): told, nothing doubled
    await siti.press_data(confirm)
    assert "sudah terdaftar" in siti.last_text()
    # forged and stale data
    await siti.press_data("tr:j:99999999:0:1")
    assert "tidak ditemukan" in siti.last_text()
    for forged in ("tr:j:abc", "tr:o:1:2:3:4", "tr:j:1:7:1", "tr:o:99999999999999999999"):
        assert "tombol" in (await siti.press_stale(forged) or "").lower(), forged
    # not eligible: each reason shown, nothing saved
    async with app.db.uow() as uow:
        pka = await by_code(uow, "PKA-2026-01")
        dig = await by_code(uow, "DIG-2026-01")
    await siti.press_data(f"tr:j:{pka.id}:0:1")
    assert "Golongan minimal IV/a; golongan Anda: III/b" in siti.last_text()
    # registration closes while she is deciding
    await siti.press_data(f"tr:o:{dig.id}")
    await siti.press("Daftar")
    clock.now = dig.registration_closes_at
    await siti.press("Ya, daftar")
    assert "sudah ditutup" in siti.last_text()
    async with app.db.uow() as uow:
        mine = await statuses(uow, dig.id)
        assert mine == {} and await statuses(uow, pka.id) == {}
    assert_valid_html(channel)


async def test_the_last_seat_taken_while_deciding_offers_the_waiting_list(app, person, channel):
    siti, ahmad = person(SITI_TG, "Siti"), person(HR_TG, "Ahmad")
    await link(siti)
    await link(ahmad, "198503122010011001", "6281234500001")
    async with app.db.uow() as uow:
        t = await by_code(uow, "DATA-2026-01")
        t.quota = 1
        await uow.commit()
    await siti.press_data(f"tr:j:{t.id}")
    await ahmad.press_data(f"tr:j:{t.id}:0:1")
    assert "Anda terdaftar" in ahmad.last_text()
    await siti.press("Ya, daftar")
    assert "baru saja diambil" in siti.last_text() and "Posisi Anda: 1" in siti.last_text()
    await siti.press("Ya, masuk daftar tunggu")
    assert "posisi 1" in siti.last_text()


async def test_search_step_with_hostile_text_and_english(app, person, channel):
    siti = person(SITI_TG, "Siti", language_code="en")
    await link(siti)
    await siti.say("/pelatihan")
    await siti.press("Search")
    for text in ("", "   ", "🙂🙂", "\u200b"):
        await siti.say(text)
        assert "Type a few letters" in siti.last_text()
    await siti.say("<b>&" + "x" * 5000)
    assert siti.last_text().startswith("No upcoming training matches your search")
    assert "<b>&" not in siti.last_text()  # what she typed is not echoed back
    await siti.press("Search")
    await siti.say("digitalisasi pelayanan")
    assert "Digitalisasi Pelayanan Publik" in siti.last_text().split("\n\n")[1]
    await siti.say("/pelatihanku")
    assert "JP this year: <b>8</b> of the 20 JP target" in siti.last_text()
    assert "12 JP</b> short" in siti.last_text()
    async with app.db.uow() as uow:
        assert (await uow.session.execute(select(OutboxMessage))).first() is None
    assert_valid_html(channel)


async def test_an_overlap_names_the_other_training_and_says_she_holds_a_seat_there(app, person):
    """Siti holds a seat at K3 (not attended yet): the refusal names K3 and says she is registered."""
    siti = person(SITI_TG, "Siti")
    await link(siti)
    async with app.db.uow() as uow:
        nas = await by_code(uow, "NAS-2026-01")  # the same morning as K3
    await siti.press_data(f"tr:j:{nas.id}:0:1")
    text = siti.last_text()
    assert "Kesehatan dan Keselamatan Kerja di Puskesmas" in text
    assert "memegang kursi" in text and "sudah Anda ikuti" not in text


async def test_skp_deadlines_and_training_dates_read_in_one_format(app, person):
    """Both name the day in full: 'Kamis, 26 November 2026, 23.59 WITA' and
    'Senin, 7 Desember 2026, 08.00–16.00 WITA', not 'Sen, 7 Des 2026' beside 'Kamis, 26 November'."""
    siti = person(SITI_TG, "Siti")
    await link(siti)
    await siti.say("/skp")
    skp = siti.last_text()
    await siti.say("/pelatihanku")
    mine = siti.last_text()
    full = re.compile(r"\b(Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu), \d{1,2} "
                      r"(Januari|Februari|Maret|April|Mei|Juni|Juli|Agustus|September|Oktober|November|Desember) "
                      r"\d{4}, \d{2}\.\d{2}")
    assert full.search(skp), skp
    assert full.search(mine), mine
    assert not re.search(r"\b(Sen|Sel|Rab|Kam|Jum|Sab|Min), ", mine)
    assert not re.search(r"\d (Jan|Feb|Mar|Apr|Jun|Jul|Agu|Sep|Okt|Nov|Des) \d{4}", mine)
