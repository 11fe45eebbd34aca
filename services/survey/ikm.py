"""IKM arithmetic (Indeks Kepuasan Masyarakat, PermenPANRB 14/2017): pure functions, no I/O.

Each of the nine elements (unsur U1–U9) is scored 1–4 by every respondent.

- element mean (NRR per unsur) = sum of that element's scores / number of respondents
- IKM = mean of the nine element means × 25, a value in 25–100
- grade: A 88.31–100 Sangat Baik · B 76.61–88.30 Baik · C 65.00–76.60 Kurang Baik ·
  D 25.00–64.99 Tidak Baik

Exactness: means are kept as `Fraction`s, so nothing is lost before the one rounding step.
The index is rounded once, to two decimals, half up (88.305 → 88.31, 88.3049… → 88.30),
and the grade is read from that rounded value. The grade table is written with two decimals
and has gaps (88.30 | 88.31): rounding first is what makes every value fall in exactly one
grade, so 88.305 is A and 76.605 is B.

The regulation's worksheet weights each element by 0.111 (1/9 rounded to three places),
which makes a perfect score 99.9; DOMAIN.md and this module use the exact mean (1/9), so
all-4 answers give 100.00.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

# Order of PermenPANRB 14/2017 (and DOMAIN.md); stored as answer columns q1…q9.
ELEMENTS = (
    "persyaratan", "prosedur", "waktu", "biaya", "produk",
    "kompetensi", "perilaku", "pengaduan", "sarana",
)
N_ELEMENTS = len(ELEMENTS)
MIN_SCORE, MAX_SCORE = 1, 4
MIN_INDEX, MAX_INDEX = Decimal("25.00"), Decimal("100.00")


@dataclass(frozen=True)
class Grade:
    letter: str  # A–D, the "mutu pelayanan"
    label: str  # "kinerja unit pelayanan" in the regulation's words
    lower: Decimal  # inclusive lower bound of the two-decimal index


# Highest first: the first grade whose lower bound the rounded index reaches.
GRADES = (
    Grade("A", "Sangat Baik", Decimal("88.31")),
    Grade("B", "Baik", Decimal("76.61")),
    Grade("C", "Kurang Baik", Decimal("65.00")),
    Grade("D", "Tidak Baik", Decimal("25.00")),
)


@dataclass(frozen=True)
class IkmResult:
    responses: int
    element_means: tuple[Fraction, ...]  # exact, one per element, in ELEMENTS order
    index: Decimal  # 25.00–100.00, two decimals
    grade: Grade

    def mean(self, i: int, places: int = 2) -> Decimal:
        """Element i's mean rounded for display (half up)."""
        return round_half_up(self.element_means[i], places)


def round_half_up(value: Fraction | int, places: int = 2) -> Decimal:
    """Exact half-up rounding of a rational to `places` decimals (no binary floats involved)."""
    scale = 10**places
    n = math.floor(Fraction(value) * scale + Fraction(1, 2))
    return Decimal(n).scaleb(-places)


def _exact(value: Decimal | Fraction | int | float | str) -> Fraction:
    # A float goes through its shortest repr, so 88.305 means 88.305 and not 88.30499999….
    if isinstance(value, float):
        return Fraction(repr(value))
    return Fraction(value)


def validate_answers(answers: Sequence[int]) -> tuple[int, ...]:
    """Nine scores, each 1–4; ValueError otherwise."""
    if len(answers) != N_ELEMENTS:
        raise ValueError(f"expected {N_ELEMENTS} answers, got {len(answers)}")
    out = []
    for a in answers:
        if isinstance(a, bool) or not isinstance(a, int) or not MIN_SCORE <= a <= MAX_SCORE:
            raise ValueError(f"answer {a!r} is not an integer {MIN_SCORE}–{MAX_SCORE}")
        out.append(a)
    return tuple(out)


def element_means(totals: Sequence[int], responses: int) -> tuple[Fraction, ...]:
    """Exact mean per element from the per-element score totals of `responses` respondents."""
    if responses <= 0:
        raise ValueError("no responses")
    if len(totals) != N_ELEMENTS:
        raise ValueError(f"expected {N_ELEMENTS} totals, got {len(totals)}")
    means = tuple(Fraction(int(t), responses) for t in totals)
    for m in means:
        if not MIN_SCORE <= m <= MAX_SCORE:
            raise ValueError(f"element mean {m} outside {MIN_SCORE}–{MAX_SCORE}")
    return means


def index_exact(means: Sequence[Fraction]) -> Fraction:
    """Mean of the element means × 25, unrounded."""
    if len(means) != N_ELEMENTS:
        raise ValueError(f"expected {N_ELEMENTS} means, got {len(means)}")
    return sum(means, Fraction(0)) / N_ELEMENTS * 25


def ikm_index(means: Sequence[Fraction]) -> Decimal:
    """The IKM, 25.00–100.00, rounded once to two decimals half up."""
    return round_half_up(index_exact(means), 2)


def grade(index: Decimal | Fraction | int | float | str) -> Grade:
    """The grade of an index; the value is first rounded to two decimals half up (see module doc)."""
    value = round_half_up(_exact(index), 2)
    if not MIN_INDEX <= value <= MAX_INDEX:
        raise ValueError(f"IKM {value} outside {MIN_INDEX}–{MAX_INDEX}")
    for g in GRADES:
        if value >= g.lower:
            return g
    raise AssertionError("unreachable: D starts at the minimum")


def from_totals(totals: Sequence[int], responses: int) -> IkmResult:
    """The IKM of `responses` respondents whose scores add up to `totals` per element."""
    means = element_means(totals, responses)
    index = ikm_index(means)
    return IkmResult(responses, means, index, grade(index))


def compute(answers: Sequence[Sequence[int]]) -> IkmResult:
    """The IKM of a list of complete responses (nine scores each)."""
    rows = [validate_answers(a) for a in answers]
    totals = [sum(r[i] for r in rows) for i in range(N_ELEMENTS)]
    return from_totals(totals, len(rows))
