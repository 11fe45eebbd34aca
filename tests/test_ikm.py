"""IKM arithmetic (PermenPANRB 14/2017) against worked examples and every grade boundary."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from services.survey import ikm

# Four respondents, nine elements (U1 persyaratan … U9 sarana), scores 1–4.
WORKED = [
    [4, 4, 3, 4, 3, 3, 4, 2, 3],
    [3, 3, 3, 4, 3, 3, 3, 3, 3],
    [4, 3, 2, 4, 3, 4, 4, 3, 3],
    [3, 4, 3, 4, 4, 3, 4, 2, 4],
]


def test_hand_worked_example():
    # Element totals:  U1 14, U2 14, U3 11, U4 16, U5 13, U6 13, U7 15, U8 10, U9 13
    # Element means:   3.50, 3.50, 2.75, 4.00, 3.25, 3.25, 3.75, 2.50, 3.25  (sum 29.75)
    # Mean of means:   29.75 / 9 = 3.30555…
    # IKM:             3.30555… × 25 = 82.6388… → 82.64, grade B (Baik: 76.61–88.30)
    r = ikm.compute(WORKED)
    assert r.responses == 4
    assert r.element_means == tuple(Fraction(x) for x in ("3.5", "3.5", "2.75", "4", "3.25", "3.25", "3.75",
                                                            "2.5", "3.25"))
    assert sum(r.element_means) == Fraction("29.75")
    assert ikm.index_exact(r.element_means) == Fraction(2975, 36)  # 82.6388…
    assert r.index == Decimal("82.64")
    assert (r.grade.letter, r.grade.label) == ("B", "Baik")
    assert [str(r.mean(i)) for i in range(9)] == ["3.50", "3.50", "2.75", "4.00", "3.25", "3.25", "3.75",
                                                  "2.50", "3.25"]


def test_same_result_from_stored_totals():
    r = ikm.from_totals([14, 14, 11, 16, 13, 13, 15, 10, 13], 4)
    assert r == ikm.compute(WORKED)


def test_exact_mean_not_the_worksheets_0_111_weight():
    # The regulation's worksheet weights each element by 0.111: 29.75 × 0.111 × 25 = 82.55625.
    # DOMAIN.md says "mean of the nine element means": 1/9 exactly, so a perfect score is 100.
    assert Fraction("29.75") * Fraction("0.111") * 25 == Fraction("82.55625")
    assert ikm.compute(WORKED).index == Decimal("82.64")
    assert ikm.compute([[4] * 9]).index == Decimal("100.00")
    assert ikm.compute([[1] * 9]).index == Decimal("25.00")


@pytest.mark.parametrize(("value", "letter", "label"), [
    ("100", "A", "Sangat Baik"),
    ("88.31", "A", "Sangat Baik"),
    ("88.305", "A", "Sangat Baik"),     # rounds half up to 88.31
    ("88.3049", "B", "Baik"),           # rounds to 88.30
    ("88.30", "B", "Baik"),
    ("76.61", "B", "Baik"),
    ("76.605", "B", "Baik"),            # → 76.61
    ("76.6049", "C", "Kurang Baik"),    # → 76.60
    ("76.60", "C", "Kurang Baik"),
    ("65.00", "C", "Kurang Baik"),
    ("64.995", "C", "Kurang Baik"),     # → 65.00
    ("64.9949", "D", "Tidak Baik"),     # → 64.99
    ("64.99", "D", "Tidak Baik"),
    ("25", "D", "Tidak Baik"),
])
def test_grade_boundaries(value, letter, label):
    g = ikm.grade(Decimal(value))
    assert (g.letter, g.label) == (letter, label)
    assert ikm.grade(value) == g  # strings and Decimals alike


def test_float_boundary_is_read_as_written():
    # 88.305 as a binary float is 88.30499999…; it is read through its repr, as written.
    assert ikm.grade(88.305).letter == "A"
    assert ikm.grade(76.605).letter == "B"
    assert ikm.grade(Fraction(17661 * 25, 5000)).letter == "A"  # = 88.305 exactly


@pytest.mark.parametrize("value", ["24.99", "24.994", "100.01", "0", "-5"])
def test_grade_outside_the_scale_is_an_error(value):
    with pytest.raises(ValueError):
        ikm.grade(value)


def test_boundaries_reached_by_real_totals():
    # 5000 respondents, every element totalling 17661: mean 3.5322, IKM 3.5322 × 25 = 88.305 exactly → A.
    at = ikm.from_totals([17661] * 9, 5000)
    assert ikm.index_exact(at.element_means) == Fraction("88.305")
    assert (at.index, at.grade.letter) == (Decimal("88.31"), "A")
    # One point less in one element: 158948 / 45000 × 25 = 88.30444… → 88.30 → B.
    below = ikm.from_totals([17661] * 8 + [17660], 5000)
    assert (below.index, below.grade.letter) == (Decimal("88.30"), "B")
    # 15321 / 5000 = 3.0642 → 76.605 → 76.61 → B;   12999 / 5000 = 2.5998 → 64.995 → 65.00 → C.
    assert (ikm.from_totals([15321] * 9, 5000).index, ikm.from_totals([15321] * 9, 5000).grade.letter) == (
        Decimal("76.61"), "B")
    assert (ikm.from_totals([12999] * 9, 5000).index, ikm.from_totals([12999] * 9, 5000).grade.letter) == (
        Decimal("65.00"), "C")


def test_round_half_up_is_exact():
    assert ikm.round_half_up(Fraction(1, 200)) == Decimal("0.01")  # 0.005
    assert ikm.round_half_up(Fraction(1, 201)) == Decimal("0.00")
    assert ikm.round_half_up(Fraction(2975, 36)) == Decimal("82.64")
    assert ikm.round_half_up(Fraction(7, 3), 3) == Decimal("2.333")


@pytest.mark.parametrize("bad", [[], [4] * 8, [4] * 10, [0] + [4] * 8, [5] + [4] * 8, [True] + [4] * 8,
                                 ["4"] + [4] * 8, [3.5] + [4] * 8])
def test_invalid_answers_are_refused(bad):
    with pytest.raises(ValueError):
        ikm.compute([bad])


def test_totals_must_be_consistent():
    with pytest.raises(ValueError):
        ikm.from_totals([14] * 9, 0)
    with pytest.raises(ValueError):
        ikm.from_totals([17] * 9, 4)  # mean 4.25: impossible
    with pytest.raises(ValueError):
        ikm.from_totals([14] * 8, 4)
