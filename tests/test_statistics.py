"""Statistics against a seeded month (tests/statistics_seed.py): the numbers, the charts' data, the PNGs."""

from __future__ import annotations

import io
from datetime import date

import pytest
from PIL import Image

from handlers.features import bot
from handlers.i18n import t
from services import users
from services.broadcasts.stats import BroadcastDelivery
from services.complaints.response_times import percentile, workdays_between
from services.statistics import charts, scope
from services.statistics.section import Section
from services.statistics.summary import summary
from tests.statistics_seed import MARCH, NOW, WITA, seed_month

HR, OFFICER = 700003, 700004  # demo personas: Ahmad (BKPSDM), Budi (Dinas PUPR)


async def person_of(app, person, uid):
    await person(uid, "Staf").say("/start")
    async with app.db.uow() as uow:
        return users.person_from_row(await uow.users.by_external("telegram", uid))


async def summarise(app, who, agency=None, period=MARCH, sections=None):
    async with app.db.uow() as uow:
        return await summary(uow, who, period, agency, now=NOW, tz=WITA, sections=sections or bot().stats)


# --- the arithmetic ------------------------------------------------------------------------------

def test_working_days_skip_weekends_and_lebaran():
    assert workdays_between(date(2026, 3, 17), date(2026, 3, 25)) == 1  # 18–24 March: holidays and weekend
    assert workdays_between(date(2026, 3, 6), date(2026, 3, 9)) == 1  # Friday → Monday
    assert workdays_between(date(2026, 3, 9), date(2026, 3, 9)) == 0
    assert workdays_between(date(2026, 3, 9), date(2026, 3, 2)) == 0


def test_nearest_rank_percentile():
    assert percentile([], 0.9) is None
    assert percentile([0, 1, 2, 5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.9) == 9
    assert percentile([7], 0.9) == 7


def test_presets_and_typed_periods():
    today = date(2026, 3, 15)
    assert scope.preset("month", today) == MARCH
    assert scope.preset("last_month", date(2026, 1, 5)).token == "20251201-20251231"
    assert scope.preset("year", today).token == "20260101-20261231"
    assert scope.parse("", today) == MARCH
    assert scope.parse("2026-02", today).token == "20260201-20260228"
    for bad in ("maret", "2026-13", "2026-03-31 2026-03-01", "2026-01-01 2029-12-31", "<b>&", "\x00", "🙂" * 50):
        with pytest.raises(Exception) as e:
            scope.parse(bad, today)
        assert getattr(e.value, "code", "").startswith("stx.err."), bad
    for token in ("", "x", "20260231-20260301", "20260101-20291231", "1" * 60):
        with pytest.raises(Exception) as e:
            scope.from_token(token)
        assert e.value.code.startswith("stx.err."), token


# --- the month, every agency (HR) ---------------------------------------------------------------

async def test_hr_summary_of_the_seeded_month(app, person):
    seeded = await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR))
    assert s["reports"].received == 6  # report 7 was filed in February
    assert s["reports"].by_kind == {"pengaduan": 4, "aspirasi": 1, "informasi": 1}
    assert s["reports"].by_status == {"diterima": 2, "diproses": 1, "selesai": 1, "ditutup": 1, "ditolak": 1}
    r = s["reports"].response
    # Durations 2, 1 (across Lebaran), 5, 0 → median 1.5, P90 (nearest rank) 5.
    assert (r.responded, r.waiting, r.median, r.p90) == (4, 2, 1.5, 5)
    # On time: 1, 2, 4; late: 3; overdue without response: 5; not yet due: 6 (left out).
    assert (r.on_time, r.measured, r.on_time_share) == (3, 5, 0.6)
    assert (s["reports"].answered, s["reports"].reopened, s["reports"].reopen_rate) == (3, 1, 1 / 3)
    assert (s["reports"].ratings, s["reports"].mean_rating) == (2, 4.0)
    assert "broadcasts" not in s  # none were sent in March
    assert seeded.agencies["PUPR"] == s["reports"].per_agency[0].agency_id


async def test_chart_data_reports_per_agency_stacked_by_status(app, person):
    await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR))
    reports = charts.build(s, lambda k, **p: t("id", k, **p), "id")[0]
    assert reports.key == "reports" and reports.title == "Laporan per OPD menurut status"
    assert reports.categories == ("Dinas Pekerjaan Umum dan Penataan Ruang", "Dinas Kesehatan", "Belum didisposisikan")
    stacks = {se.label: se.values for se in reports.series}
    assert stacks == {"Baru": (0, 1, 1), "Diproses": (1, 0, 0), "Dijawab": (1, 0, 0), "Ditutup": (1, 0, 0),
                      "Ditolak/digabung": (0, 1, 0)}
    assert reports.series[-1].texts == ("3", "2", "1")  # the totals at the bars' ends


async def test_chart_data_first_response_trend_per_week(app, person):
    await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR))
    assert s["reports"].trend.unit == "week"
    got = [(p.start, p.reports, p.median, p.p90) for p in s["reports"].trend.points]
    assert got == [(date(2026, 2, 23), 0, None, None),  # the week of Sunday 1 March
                   (date(2026, 3, 2), 2, 3.5, 5),  # reports 1 (2 days) and 3 (5 days)
                   (date(2026, 3, 9), 1, 0, 0),
                   (date(2026, 3, 16), 1, 1, 1),  # report 2, across Lebaran
                   (date(2026, 3, 23), 0, None, None), (date(2026, 3, 30), 0, None, None)]
    chart = charts.build(s, lambda k, **p: t("en", k, **p), "en")[1]
    assert chart.title == "First response per week"
    assert chart.categories == ("23 Feb", "2 Mar", "9 Mar", "16 Mar", "23 Mar", "30 Mar")
    assert chart.series[0].values == (None, 3.5, 0, 1, None, None)
    assert chart.guides == ((3.0, "Deadline 3 working days"),)


async def test_a_year_is_charted_per_month(app, person):
    await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR), period=scope.Period.of_year(2026))
    assert s["reports"].trend.unit == "month" and len(s["reports"].trend.points) == 12
    feb, mar = s["reports"].trend.points[1], s["reports"].trend.points[2]
    assert (feb.reports, feb.median) == (1, 0) and (mar.reports, mar.median, mar.p90) == (4, 1.5, 5)


async def test_chart_data_ikm_per_unit_with_grade(app, person):
    await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR))
    scored = {u.code: (u.responses, u.index, u.grade) for u in s["ikm"] if u.index is not None}
    assert scored == {"DUKCAPIL-01": (2, 100.0, "A"), "PUPR-PBG": (4, 82.64, "B")}  # February's 1s left out
    assert len(s["ikm"]) == 6
    chart = charts.build(s, lambda k, **p: t("id", k, **p), "id")[2]
    assert chart.categories == ("Loket Pelayanan KTP-el dan Kartu Keluarga", "Layanan Persetujuan Bangunan Gedung (PBG)")
    assert chart.series[0].values == (100.0, 82.64)
    assert chart.series[0].texts == ("100 (A)", "82,64 (B)")
    assert chart.limits == (25.0, 100.0)


async def test_chart_data_jp_coverage_per_agency(app, person):
    seeded = await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR))
    assert s["jp"].year == 2026
    got = {j.agency_id: (j.employees, j.reached) for j in s["jp"].agencies}
    a = seeded.agencies
    # Budi reaches exactly 20; Nur (PPPK) needs 24; April's and last year's trainings do not count.
    assert got == {a["BKPSDM"]: (1, 1), a["DINKES"]: (1, 0), a["PUPR"]: (1, 1), a["DISDIK"]: (1, 0)}
    assert (s["jp"].reached, s["jp"].employees) == (2, 4)
    chart = charts.build(s, lambda k, **p: t("id", k, **p), "id")[3]
    assert chart.title == "ASN mencapai target JP 2026"
    assert sorted(chart.series[0].values) == [0, 0, 100, 100]
    assert "100% (1/1)" in chart.series[0].texts


async def test_pngs_are_phone_sized_images(app, person):
    await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR))
    for chart in charts.build(s, lambda k, **p: t("id", k, **p), "id"):
        png = charts.render(chart)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000, chart.key
        img = Image.open(io.BytesIO(png))
        img.verify()
        assert img.size[0] == 1080 and 600 <= img.size[1] <= 2000, (chart.key, img.size)
        pixels = Image.open(io.BytesIO(png)).convert("L")
        assert pixels.getextrema()[0] < 100, chart.key  # something dark was drawn: not a blank image


async def test_an_empty_month_draws_no_empty_chart(app, person):
    s = await summarise(app, await person_of(app, person, HR), period=scope.Period(date(2025, 1, 1), date(2025, 1, 31)))
    built = charts.build(s, lambda k, **p: t("id", k, **p), "id")
    assert [c.key for c in built if c.empty] == ["reports", "response", "ikm"]
    r = s["reports"]
    assert r.received == 0 and r.response.median is None and r.reopen_rate is None and r.mean_rating is None


# --- the officer's own agency -------------------------------------------------------------------

async def test_officer_sees_only_their_agency(app, person):
    seeded = await seed_month(app, person)
    officer = await person_of(app, person, OFFICER)
    s = await summarise(app, officer)
    assert s.scope.agency_id == seeded.agencies["PUPR"] and not s.scope.can_pick
    assert s["reports"].received == 3 and [a.agency_id for a in s["reports"].per_agency] == [seeded.agencies["PUPR"]]
    r = s["reports"].response
    assert (r.median, r.p90, r.on_time, r.measured) == (2, 5, 2, 3)
    assert [u.code for u in s["ikm"]] == ["PUPR-PBG"]
    assert [(j.employees, j.reached) for j in s["jp"].agencies] == [(1, 1)]
    assert (await summarise(app, officer, agency=seeded.agencies["PUPR"]))["reports"].received == 3
    with pytest.raises(Exception) as e:
        await summarise(app, officer, agency=seeded.agencies["DINKES"])
    assert e.value.code == "error.forbidden"


async def test_hr_picks_one_agency(app, person):
    seeded = await seed_month(app, person)
    s = await summarise(app, await person_of(app, person, HR), agency=seeded.agencies["DINKES"])
    assert s["reports"].received == 2 and s.scope.agency_label == "Dinas Kesehatan" and s.scope.can_pick
    r = s["reports"].response
    assert (r.responded, r.median, r.measured, r.on_time) == (1, 0, 2, 1)
    with pytest.raises(Exception) as e:
        await summarise(app, await person_of(app, person, HR), agency=987654)
    assert e.value.code == "stx.err.unknown_agency"


# --- the broadcast seam -------------------------------------------------------------------------

async def test_broadcast_section_comes_from_the_provider_it_is_given(app, person):
    hr = await person_of(app, person, HR)
    seen = []

    async def provider(uow, w):
        seen.append((w.person.id, w.since, w.until))
        return BroadcastDelivery(broadcasts=2, recipients=10, delivered=8, failed=1, unreachable=1)

    s = await summarise(app, hr, sections=(Section("broadcasts", provider),))
    assert s["broadcasts"].delivered_share == 0.8
    assert seen == [(hr.id, *scope.utc_window(MARCH, WITA))]
    assert scope.utc_window(MARCH, WITA)[0].isoformat() == "2026-02-28T16:00:00+00:00"
