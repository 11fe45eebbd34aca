"""`/statistik` through the router: the summary, the pickers, the charts and the exports; bad input; who may."""

from __future__ import annotations

import io
from datetime import datetime

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select, update

from db.models import AuditLog, Employee, User
from handlers.features import bot
from handlers.i18n import t
from services import users
from services.broadcasts import progress
from services.errors import DomainError, Forbidden
from services.statistics import exports, scope
from services.statistics.summary import summary
from tests.statistics_seed import HIDDEN, MARCH, NOW, REPORTER, WITA, seed_month

HR, OFFICER = 700003, 700004
CRASH = {t("id", "error.internal"), t("en", "error.internal")}
NOT_ALLOWED = "tidak memiliki akses"
TOKEN = MARCH.token


async def audits(app) -> list[AuditLog]:
    async with app.db.uow() as uow:
        return list((await uow.session.execute(
            select(AuditLog).where(AuditLog.action == "stats.export").order_by(AuditLog.id))).scalars())


def workbook_of(sent):
    att = sent.reply.attachment
    assert att.kind == "document" and att.filename.endswith(".xlsx")
    return load_workbook(io.BytesIO(att.content))


# --- HR ---------------------------------------------------------------------------------------------

async def test_hr_reads_the_month_as_text(app, person, clock):
    await seed_month(app, person)
    clock.now = NOW  # report 6 is not yet due: left out of the on-time share
    hr = person(HR, "Ahmad")
    await hr.say("/statistik 2026-03")
    text = hr.last_text()
    assert "Statistik</b> · Maret 2026" in text and "Semua OPD" in text
    assert "Laporan diterima: 6</b>" in text and "Pengaduan 4 · Aspirasi 1 · Informasi 1" in text
    assert "Median 1,5 · P90 5" in text and "Tepat waktu: <b>60%</b> (3 dari 5)" in text
    assert "Dibuka kembali: 33% (1 dari 3 dijawab)" in text and "Rating rata-rata: 4 (2 penilaian)" in text
    assert "<b>82,64</b> B (Baik), 4 responden" in text and "JP ≥ target (2026)</b>: 50% (2 dari 4 ASN)" in text
    assert "Pengguna per peran" in text  # the system's numbers stay on HR's screen
    assert "Siaran" not in text  # no broadcast section until broadcasts provide one
    labels = hr.last_labels()
    assert {"Bulan ini", "• Bulan lalu", "Tahun ini", "Tahun lalu", "🏢 Pilih OPD", "📈 Grafik"} <= set(labels)


async def test_hr_in_english_and_the_period_picker(app, person):
    hr = person(HR, "Ahmad", language_code="en")
    await hr.say("/statistik")
    assert "Statistics</b> · November 2026" in hr.last_text() and "• This month" in hr.last_labels()
    await hr.press("Last month")
    assert "October 2026" in hr.last_text() and "• Last month" in hr.last_labels()
    assert hr.messages()[-1].edited
    await hr.press("This year")
    assert "Year 2026" in hr.last_text()


async def test_hr_picks_an_agency(app, person):
    await seed_month(app, person)
    hr = person(HR, "Ahmad")
    await hr.say("/statistik 2026-03")
    await hr.press("Pilih OPD")
    assert "Pilih OPD (halaman 1/1)" in hr.last_text() and "Dinas Kesehatan" in hr.last_labels()
    await hr.press("Dinas Kesehatan")
    text = hr.last_text()
    assert "🏢 Dinas Kesehatan" in text and "Laporan diterima: 2</b>" in text and "Maret 2026" in text


async def test_hr_gets_four_charts_as_photos(app, person):
    await seed_month(app, person)
    hr = person(HR, "Ahmad")
    await hr.say("/statistik 2026-03")
    before = len(hr.messages())
    await hr.press("Grafik")
    sent = hr.messages()[before:]
    photos = [s for s in sent if s.reply.attachment is not None]
    assert [p.text for p in photos] == ["Laporan per OPD menurut status", "Respons pertama per minggu",
                                        "IKM per unit layanan", "ASN mencapai target JP 2026"]
    for p in photos:
        assert p.reply.attachment.kind == "photo"
        img = Image.open(io.BytesIO(p.reply.attachment.content))
        assert img.format == "PNG" and img.size[0] == 1080
    assert "4 grafik untuk Maret 2026" in sent[-1].text and "Kembali ke statistik" in sent[-1].labels()[0]


async def test_report_export_types_and_no_identity_for_anonymous_reports(app, person):
    seeded = await seed_month(app, person)
    hr = person(HR, "Ahmad")
    await hr.say("/statistik 2026-03")
    await hr.press("Laporan (XLSX)")
    doc = next(s for s in reversed(hr.messages()) if s.reply.attachment is not None)
    assert "6 baris" in doc.text and doc.reply.attachment.filename == "SAPA-laporan-semua-20260301-20260331.xlsx"
    ws = workbook_of(doc).active
    head = [c.value for c in ws[1]]
    assert head[:7] == ["Nomor", "Diterima (WITA)", "Jenis", "Status", "OPD", "Privasi", "Pelapor"]
    rows = {r[0]: dict(zip(head, r, strict=True)) for r in ws.iter_rows(min_row=2, values_only=True)}
    assert set(rows) == {seeded.numbers[n] for n in range(1, 7)}
    first = rows[seeded.numbers[1]]
    assert first["Diterima (WITA)"] == datetime(2026, 3, 2, 10, 0)  # local wall-clock time, a real date cell
    assert first["Hari kerja s.d. respons"] == 2 and first["Rating"] == 5 and first["Tepat waktu"] == "Ya"
    assert REPORTER[1] in first["Pelapor"] and REPORTER[3] in first["Pelapor"]
    assert rows[seeded.numbers[2]]["Hari kerja s.d. respons"] == 1  # across Lebaran
    assert rows[seeded.numbers[3]]["Tepat waktu"] == "Tidak"
    assert rows[seeded.numbers[5]]["Respons pertama (WITA)"] is None and rows[seeded.numbers[6]]["OPD"] == "Belum didisposisikan"
    for n in (2, 3):  # anonim and rahasia
        assert rows[seeded.numbers[n]]["Pelapor"] == "(disembunyikan)"
    cells = " ".join(str(v) for r in ws.iter_rows(values_only=True) for v in r if v is not None)
    for secret in HIDDEN[1:]:
        assert secret not in cells
    assert ws.cell(2, 2).number_format == "yyyy-mm-dd hh:mm" and ws.column_dimensions["H"].width == 60
    [audit] = await audits(app)
    assert (audit.target, audit.details["agency"], audit.details["rows"]) == (f"reports:{TOKEN}", "*", 6)
    async with app.db.uow() as uow:
        hr_id = (await uow.users.by_external("telegram", HR)).id
    assert audit.actor_user_id == hr_id and audit.actor_label == f"user:{hr_id}"


async def test_survey_export_is_anonymous_and_typed(app, person):
    await seed_month(app, person)
    hr = person(HR, "Ahmad")
    await hr.press_data(f"stats:x:survey:{TOKEN}")
    doc = next(s for s in reversed(hr.messages()) if s.reply.attachment is not None)
    ws = workbook_of(doc).active
    head = [c.value for c in ws[1]]
    assert head[:4] == ["Tanggal", "Kode unit", "Unit layanan", "OPD"] and head[4] == "U1 Persyaratan"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6  # February's answer left out
    assert all(isinstance(v, int) for r in rows for v in r[4:13])
    assert sorted(r[13] for r in rows if r[1] == "DUKCAPIL-01") == [100.0, 100.0]
    assert any(r[14] == "Cepat & ramah <3" for r in rows)
    assert not any("user" in str(h).lower() or "pelapor" in str(h).lower() for h in head)
    assert (await audits(app))[-1].target == f"survey:{TOKEN}"


# --- the officer: their own agency only ---------------------------------------------------------------

async def test_officer_sees_own_agency_and_cannot_ask_for_another(app, person):
    seeded = await seed_month(app, person)
    budi = person(OFFICER, "Budi")
    await budi.say("/statistik 2026-03")
    text = budi.last_text()
    assert "Dinas Pekerjaan Umum" in text and "Laporan diterima: 3</b>" in text and "Pengguna per peran" not in text
    assert "🏢 Pilih OPD" not in budi.last_labels()
    dinkes = seeded.agencies["DINKES"]
    for data in (f"stats:v:{TOKEN}:{dinkes}", f"stats:c:{TOKEN}:{dinkes}", f"stats:x:reports:{TOKEN}:{dinkes}",
                 f"stats:x:survey:{TOKEN}:{dinkes}", f"stats:a:{TOKEN}"):
        await budi.press_data(data)
        assert NOT_ALLOWED in budi.last_text(), data
    assert await audits(app) == []
    await budi.press("Laporan (XLSX)")
    ws = workbook_of(next(s for s in reversed(budi.messages()) if s.reply.attachment is not None)).active
    numbers = [r[0] for r in ws.iter_rows(min_row=2, values_only=True)]
    assert numbers == [seeded.numbers[1], seeded.numbers[3], seeded.numbers[2]]  # PUPR's, oldest first
    assert (await audits(app))[-1].details["agency"] == "PUPR"


# --- citizens, civil servants, forged and bad input --------------------------------------------------

@pytest.mark.parametrize("role", ["citizen", "asn"])
async def test_citizens_and_civil_servants_are_refused(app, person, role):
    uid = 1001 if role == "citizen" else 1003
    who = person(uid, "Rina")
    await who.say("/start")
    if role == "asn":
        async with app.db.uow() as uow:
            emp = (await uow.session.execute(select(Employee).limit(1))).scalar_one()
            await uow.session.execute(update(User).where(User.external_id == uid).values(role="asn",
                                                                                        employee_id=emp.id))
            await uow.commit()
    assert "📊 Statistik" not in who.last_labels()
    for step in ("/statistik", "/statistik 2026-03", "/stats <b>&"):
        await who.say(step)
        assert NOT_ALLOWED in who.last_text(), step
    for data in ("stats", f"stats:v:{TOKEN}", f"stats:v:{TOKEN}:1", f"stats:c:{TOKEN}", f"stats:a:{TOKEN}",
                 f"stats:x:reports:{TOKEN}", f"stats:x:survey:{TOKEN}:3"):
        replies = await who.press_data(data)
        assert NOT_ALLOWED in who.last_text(), data
        assert all(r.attachment is None for r in replies)
    assert await audits(app) == []


@pytest.mark.parametrize("data", [
    "stats:v", "stats:v:", "stats:v:garbage", "stats:v:20261301-20261231", "stats:v:20260101-20291231",
    f"stats:v:{TOKEN}:abc", f"stats:v:{TOKEN}:99999999999999999999", "stats:c:<b>&", "stats:x", f"stats:x:evil:{TOKEN}",
    "stats:x:reports", f"stats:x:reports:{TOKEN}:1:2", f"stats:a:{TOKEN}:-5", f"stats:a:{TOKEN}:999", "stats:a:\x00",
    "stats:v:🙂🙂🙂", f"stats:v:{TOKEN}:-1",
])
async def test_forged_buttons_get_a_clear_answer(app, person, data):
    hr = person(HR, "Ahmad")
    await hr.say("/start")
    replies = await hr.press_data(data)
    text = hr.last_text()
    assert text not in CRASH and "Traceback" not in text
    assert all(r.attachment is None for r in replies)
    assert await audits(app) == []


@pytest.mark.parametrize("words", ["<b>&", "2026-13", "maret", "🙂", "a\x00b", "2026-01-01 2030-12-31", "9" * 5000])
async def test_bad_typed_periods_are_explained(app, person, words):
    hr = person(HR, "Ahmad")
    await hr.say(f"/statistik {words}")
    text = hr.last_text()
    assert ("Periode tidak dikenali" in text or "Periode terlalu panjang" in text) and "<b>&" not in text


# --- the service-level matrix: every action × six roles ----------------------------------------------

ROLES = ("citizen", "asn", "officer", "hr", "superadmin", "unlinked")
ALLOWED = {"hr": "any", "superadmin": "any", "officer": "own"}


async def _people(app, person) -> dict[str, users.Person]:
    ids = {"citizen": 1001, "asn": 1003, "officer": OFFICER, "hr": HR, "superadmin": 900001, "unlinked": 1005}
    for uid in ids.values():
        await person(uid, "Peran").say("/start")
    async with app.db.uow() as uow:
        emp = (await uow.session.execute(select(Employee).limit(1))).scalar_one()
        await uow.session.execute(update(User).where(User.external_id == ids["asn"]).values(role="asn",
                                                                                            employee_id=emp.id))
        # An officer whom no agency was given yet: staff, but nothing to see.
        await uow.session.execute(update(User).where(User.external_id == ids["unlinked"]).values(role="officer"))
        await uow.commit()
        return {k: users.person_from_row(await uow.users.by_external("telegram", v)) for k, v in ids.items()}


async def test_authorisation_matrix(app, person):
    seeded = await seed_month(app, person)
    people = await _people(app, person)
    pupr, dinkes = seeded.agencies["PUPR"], seeded.agencies["DINKES"]
    tr = lambda k, **p: t("id", k, **p)  # noqa: E731

    actions = {
        "summary": lambda uow, p, a: summary(uow, p, MARCH, a, now=NOW, tz=WITA, sections=bot().stats),
        "export_reports": lambda uow, p, a: exports.export(uow, p, "reports", MARCH, a, t=tr, tz=WITA, now=NOW,
                                                           sections=bot().stats),
        "export_survey": lambda uow, p, a: exports.export(uow, p, "survey", MARCH, a, t=tr, tz=WITA, now=NOW,
                                                          sections=bot().stats),
    }
    for role in ROLES:
        for name, act in actions.items():
            for agency in (None, pupr, dinkes):
                async with app.db.uow() as uow:
                    may = ALLOWED.get(role) == "any" or (ALLOWED.get(role) == "own" and agency in (None, pupr))
                    if may:
                        assert await act(uow, people[role], agency) is not None, (role, name, agency)
                        continue
                    with pytest.raises(DomainError) as e:
                        await act(uow, people[role], agency)
                    expected = "stx.err.officer_without_agency" if role == "unlinked" else "error.forbidden"
                    assert e.value.code == expected, (role, name, agency)
                    assert role != "unlinked" and isinstance(e.value, Forbidden) or role == "unlinked"
        async with app.db.uow() as uow:
            if ALLOWED.get(role) == "any":
                assert len(await scope.pickable_agencies(uow, people[role])) >= 8
            else:
                with pytest.raises(Forbidden):
                    await scope.pickable_agencies(uow, people[role])


async def test_broadcast_section_is_rendered_when_a_provider_is_set(app, person, monkeypatch):
    async def provider(uow, who, since, until):
        return progress.DeliverySummary(broadcasts=2, rows=10, sent=8, failed=1, unreachable=1, cancelled=0,
                                         pending=0)

    monkeypatch.setattr(progress, "delivery_summary", provider)
    hr = person(HR, "Ahmad")
    await hr.say("/statistik")
    assert "Siaran</b>: 2 · terkirim 8 dari 10 (80%) · gagal 1 · tidak terjangkau 1" in hr.last_text()


async def test_an_officer_without_agency_is_told_why(app, person):
    who = person(1005, "Petugas Baru")
    await who.say("/start")
    async with app.db.uow() as uow:
        await uow.session.execute(update(User).where(User.external_id == 1005).values(role="officer"))
        await uow.commit()
    await who.say("/statistik")
    assert "belum terhubung ke OPD" in who.last_text()
    await who.press_data(f"stats:x:reports:{TOKEN}")
    assert "belum terhubung ke OPD" in who.last_text() and await audits(app) == []


async def test_a_confirmed_broadcast_shows_in_hr_statistics_not_in_an_officers(app, person, clock):
    from services.broadcasts import demo as broadcasts_demo
    from services.broadcasts import manage
    from services.broadcasts.audience import Audience
    from services.quiet_hours import QuietHours

    hr = person(HR, "Ahmad")
    await hr.say("/start")
    async with app.db.uow() as uow:
        await broadcasts_demo.add_civil_servants(uow, 5, first_id=880_001, now=clock(), agencies=["PUPR"])
        who = await users.identify(uow, channel="telegram", external_id=HR, chat_id=HR, name="Ahmad", username=None,
                                   language_code="id", now=clock(), admin_ids=[])
        d = await manage.create(uow, who, "Rapat besok", now=clock())
        await manage.set_audience(uow, who, d.id, Audience())
        await manage.confirm(uow, who, d.id, now=clock(), quiet=QuietHours.parse("off"), tz=WITA)
        await uow.commit()
    await hr.say("/statistik")
    assert "Siaran</b>: 1 · terkirim 0 dari" in hr.last_text()  # queued, nothing sent yet
    officer = person(OFFICER, "Budi")
    await officer.say("/statistik")
    assert "Siaran</b>" not in officer.last_text()
