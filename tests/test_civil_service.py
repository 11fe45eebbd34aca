"""Ranks, ratings and JP rights at their edges: one place for each rule."""

from __future__ import annotations

from datetime import date

import pytest

from services import civil_service as cs
from services.civil_service import Predikat, Rating
from services.errors import InvalidInput


@pytest.mark.parametrize(("result", "behaviour", "expected"), [
    (Rating.ABOVE, Rating.BELOW, Predikat.KURANG),
    (Rating.ABOVE, Rating.AS_EXPECTED, Predikat.BAIK),
    (Rating.ABOVE, Rating.ABOVE, Predikat.SANGAT_BAIK),
    (Rating.AS_EXPECTED, Rating.BELOW, Predikat.KURANG),
    (Rating.AS_EXPECTED, Rating.AS_EXPECTED, Predikat.BAIK),
    (Rating.AS_EXPECTED, Rating.ABOVE, Predikat.BAIK),
    (Rating.BELOW, Rating.BELOW, Predikat.SANGAT_KURANG),
    (Rating.BELOW, Rating.AS_EXPECTED, Predikat.BUTUH_PERBAIKAN),
    (Rating.BELOW, Rating.ABOVE, Predikat.BUTUH_PERBAIKAN),
])
def test_the_predikat_matrix_cell_by_cell(result: Rating, behaviour: Rating, expected: Predikat) -> None:
    assert cs.predikat(result, behaviour) is expected


def test_predikat_order_and_credit_points() -> None:
    orders = [p.order for p in cs.PREDIKAT_ORDER]
    assert orders == sorted(orders, reverse=True) and Predikat.SANGAT_BAIK.order > Predikat.BAIK.order
    assert [p.credit_percent for p in cs.PREDIKAT_ORDER] == [150, 100, 75, 50, 25]


def test_golongan_is_ordered_and_minimum_is_inclusive() -> None:
    assert len(cs.GOLONGAN) == 17 and cs.GOLONGAN[0] == "I/a" and cs.GOLONGAN[-1] == "IV/e"
    assert cs.golongan(" iii / C ") == "III/c" and cs.PANGKAT["III/c"] == "Penata"
    assert cs.at_least("III/c", "III/c") and not cs.at_least("III/b", "III/c") and cs.at_least("IV/a", "III/d")
    assert not cs.at_least(None, "I/a") and cs.at_most("II/d", "II/d") and not cs.at_most("III/a", "II/d")
    for bad in ("V/a", "III/e", "<b>&", "III"):
        with pytest.raises(InvalidInput):
            cs.golongan(bad)
    assert cs.golongan("") is None


def test_jabatan_kinds() -> None:
    assert cs.jabatan_kind("JF Ahli Muda") is cs.JabatanKind.JF_AHLI_MUDA
    assert cs.jabatan_kind("jpt-pratama").is_jpt and cs.jabatan_kind("jf_penyelia").is_jf
    assert not cs.jabatan_kind("Administrator").is_jf
    with pytest.raises(InvalidInput):
        cs.jabatan_kind("kepala")


def test_jp_rights_pns_at_least_20_pppk_at_most_24() -> None:
    assert cs.jp_target("PNS") == cs.JpTarget(20, None) and cs.jp_counted(31, "PNS") == 31
    assert cs.jp_target("PPPK") == cs.JpTarget(24, 24) and cs.jp_counted(31, "PPPK") == 24
    assert cs.jp_counted(24, "PPPK") == 24 and cs.jp_counted(23, "PPPK") == 23


def test_dates_from_a_nip_and_whole_years() -> None:
    nip = "199001052015032002"
    assert cs.birth_date(nip) == date(1990, 1, 5) and cs.tmt(nip) == date(2015, 3, 1)
    assert cs.whole_years(date(1970, 11, 30), date(2026, 11, 30)) == 56  # the birthday itself counts
    assert cs.whole_years(date(1970, 12, 1), date(2026, 11, 30)) == 55
    assert cs.birth_date("999999999999999999") is None and cs.tmt("19900105201513") is None


def test_a_record_reads_a_pns_dates_from_the_nip_but_never_a_pppks() -> None:
    pns = cs.record(1, "199001052015032002", 3, "III/b", "jf_ahli_pertama", "PNS", None, None)
    assert pns.birth_date == date(1990, 1, 5) and pns.tmt == date(2015, 3, 1)
    assert pns.age_on(date(2026, 1, 4)) == 35 and pns.age_on(date(2026, 1, 5)) == 36
    assert pns.years_of_service_on(date(2026, 12, 1)) == 11 and pns.jabatan_kind is cs.JabatanKind.JF_AHLI_PERTAMA
    pppk = cs.record(2, "199512202023212004", 3, None, "bogus", "PPPK", None, None)
    assert pppk.birth_date is None and pppk.age_on(date(2026, 1, 1)) is None and pppk.jabatan_kind is None
    assert pppk.employment is cs.Employment.PPPK
