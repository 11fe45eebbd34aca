"""What HR may type for a training's fields, checked without the chat."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from services.errors import InvalidInput
from services.training import fields as f

WITA = ZoneInfo("Asia/Makassar")
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize("raw, want", [
    ("2026-12-14 08:00", "2026-12-14T00:00:00+00:00"), ("14/12/2026 08.00", "2026-12-14T00:00:00+00:00"),
    ("14-12-2026 8.30", "2026-12-14T00:30:00+00:00"), ("  14.12.2026   08:00 ", "2026-12-14T00:00:00+00:00"),
    ("14/12/2026", "2026-12-14T00:00:00+00:00"),  # the start's default hour, 08.00 local
])
def test_times_are_read_in_local_time(raw, want):
    assert f.parse_time("starts_at", raw, WITA, NOW) == want


def test_a_day_alone_means_the_end_of_it_for_the_deadline():
    assert f.parse_time("registration_closes_at", "10/12/2026", WITA, NOW) == "2026-12-10T15:59:00+00:00"


@pytest.mark.parametrize("raw", ["", "besok", "31/02/2026 08.00", "2026-13-01", "14/12/2026 25.00", "😀", "\x00",
                                 "9" * 5000, "<b>&"])
def test_garbage_dates_are_refused(raw):
    with pytest.raises(InvalidInput) as e:
        f.parse_time("starts_at", raw, WITA, NOW)
    assert e.value.code == "tra.err.when"


@pytest.mark.parametrize("raw", ["01/01/2035", "01/01/2020"])
def test_dates_far_away_are_refused(raw):
    with pytest.raises(InvalidInput) as e:
        f.parse_time("starts_at", raw, WITA, NOW)
    assert e.value.code == "tra.err.when_range"


@pytest.mark.parametrize("field, raw", [("quota", "0"), ("quota", "1000000000"), ("quota", "10001"), ("quota", "-1"),
                                        ("quota", "1e3"), ("quota", "٣"), ("jp", "0"), ("jp", "201"), ("jp", "8,5")])
def test_numbers_out_of_range_or_not_whole_are_refused(field, raw):
    with pytest.raises(InvalidInput) as e:
        f.parse_number(field, raw)
    assert e.value.code == f"tra.err.{field}"


def test_texts_are_one_clean_line_within_their_limits():
    assert f.parse_text("title", "  Judul\x00 <b>&</b>\n\tbaru  ") == "Judul <b>&</b> baru"  # kept as typed, escaped on show
    for raw in ("🎓🎓", ".", "x" * 201):
        with pytest.raises(InvalidInput):
            f.parse_text("title", raw)
    assert f.parse_text("topic", "") == ""


def test_golongan_and_agencies_must_exist():
    assert f.parse_golongan(" iii / c ") == "III/c"
    with pytest.raises(InvalidInput):
        f.parse_golongan("V/z")
    assert f.parse_agencies("dinkes, PUPR;dinkes", {"DINKES": 2, "PUPR": 4}) == [2, 4]
    with pytest.raises(InvalidInput) as e:
        f.parse_agencies("DINKES XYZ", {"DINKES": 2})
    assert e.value.params == {"value": "XYZ"}


def _values(**kw):
    v = {"code": "T-1", "title": "Judul", "topic": "", "organiser": "BKPSDM", "starts_at": "2026-12-14T00:00:00+00:00",
         "ends_at": "2026-12-14T08:00:00+00:00", "place": "Aula", "online_url": None, "jp": 8, "quota": 10,
         "registration_closes_at": "2026-12-12T00:00:00+00:00", "min_golongan": None, "max_golongan": None,
         "jabatan_kinds": [], "agency_ids": [], "employment": None}
    return {**v, **kw}


@pytest.mark.parametrize("change, code", [
    ({"ends_at": "2026-12-13T00:00:00+00:00"}, "tra.err.end_before_start"),
    ({"registration_closes_at": "2026-12-15T00:00:00+00:00"}, "tra.err.closes_after_start"),
    ({"min_golongan": "IV/a", "max_golongan": "III/a"}, "tra.err.golongan_order"),
    ({"place": None}, "tra.err.no_place"), ({"quota": 0}, "tra.err.quota"), ({"jp": "x"}, "tra.err.incomplete"),
    ({"min_golongan": "V/z"}, "cs.err.golongan"), ({"employment": "ASN"}, "tra.err.incomplete"),
    ({"starts_at": "not a date"}, "tra.err.incomplete"), ({"code": "a b"}, "tra.err.code"),
])
def test_a_whole_draft_is_checked_again_before_saving(change, code):
    with pytest.raises(InvalidInput) as e:
        f.build(f.TrainingFields.from_json(_values(**change)))
    assert e.value.code == code
    assert f.build(f.TrainingFields.from_json(_values())).quota == 10
