"""The vocabulary of the civil service, as data: ranks, position kinds, ratings, JP rights.

One place for each rule (DOMAIN.md names the sources): appraisal, training eligibility and
vacancy requirements all compare ranks and ratings through these functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from services.errors import InvalidInput

# --- golongan / pangkat (17 steps, ordered) -------------------------------------------------

PANGKAT: dict[str, str] = {
    "I/a": "Juru Muda", "I/b": "Juru Muda Tingkat I", "I/c": "Juru", "I/d": "Juru Tingkat I",
    "II/a": "Pengatur Muda", "II/b": "Pengatur Muda Tingkat I", "II/c": "Pengatur", "II/d": "Pengatur Tingkat I",
    "III/a": "Penata Muda", "III/b": "Penata Muda Tingkat I", "III/c": "Penata", "III/d": "Penata Tingkat I",
    "IV/a": "Pembina", "IV/b": "Pembina Tingkat I", "IV/c": "Pembina Utama Muda", "IV/d": "Pembina Utama Madya",
    "IV/e": "Pembina Utama",
}
GOLONGAN: tuple[str, ...] = tuple(PANGKAT)


def golongan(raw: str | None) -> str | None:
    """'iii / C', 'III/c' → 'III/c'; None for empty; InvalidInput for anything else."""
    if raw is None or not raw.strip():
        return None
    roman, _, step = raw.strip().replace(" ", "").partition("/")
    value = f"{roman.upper()}/{step.lower()}"
    if value not in PANGKAT:
        raise InvalidInput("cs.err.golongan", value=raw.strip()[:20])
    return value


def rank(value: str) -> int:
    """The position of a golongan in the order (I/a = 0 … IV/e = 16)."""
    return GOLONGAN.index(value)


def at_least(value: str | None, minimum: str) -> bool:
    """'minimum III/c' as a comparison; no golongan (PPPK, unknown) never meets a minimum."""
    return value is not None and rank(value) >= rank(minimum)


def at_most(value: str | None, maximum: str) -> bool:
    return value is not None and rank(value) <= rank(maximum)


# --- jabatan kinds (UU 20/2023) --------------------------------------------------------------

class JabatanKind(StrEnum):
    JPT_UTAMA = "jpt_utama"
    JPT_MADYA = "jpt_madya"
    JPT_PRATAMA = "jpt_pratama"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    PELAKSANA = "pelaksana"
    JF_AHLI_PERTAMA = "jf_ahli_pertama"
    JF_AHLI_MUDA = "jf_ahli_muda"
    JF_AHLI_MADYA = "jf_ahli_madya"
    JF_AHLI_UTAMA = "jf_ahli_utama"
    JF_PEMULA = "jf_pemula"
    JF_TERAMPIL = "jf_terampil"
    JF_MAHIR = "jf_mahir"
    JF_PENYELIA = "jf_penyelia"

    @property
    def is_jf(self) -> bool:
        return self.value.startswith("jf_")

    @property
    def is_jpt(self) -> bool:
        return self.value.startswith("jpt_")


def jabatan_kind(raw: str | None) -> JabatanKind | None:
    """'JF Ahli Muda', 'jf_ahli_muda', 'Administrator' → the kind; None for empty."""
    if raw is None or not raw.strip():
        return None
    key = "_".join(raw.strip().lower().replace("-", " ").split())
    try:
        return JabatanKind(key)
    except ValueError:
        raise InvalidInput("cs.err.jabatan_kind", value=raw.strip()[:40]) from None


class Employment(StrEnum):
    PNS = "PNS"
    PPPK = "PPPK"


# --- predikat kinerja (PermenPANRB 6/2022) ---------------------------------------------------

class Rating(StrEnum):
    """A result or behaviour rating against expectation."""

    BELOW = "below"
    AS_EXPECTED = "as_expected"
    ABOVE = "above"


class Predikat(StrEnum):
    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"
    SANGAT_KURANG = "sangat_kurang"

    @property
    def order(self) -> int:
        """Higher is better: Sangat Baik 4 … Sangat Kurang 0."""
        return len(PREDIKAT_ORDER) - 1 - PREDIKAT_ORDER.index(self)

    @property
    def credit_percent(self) -> int:
        """For JF: the share of the annual credit-point coefficient (PermenPANRB 1/2023)."""
        return CREDIT_PERCENT[self]


PREDIKAT_ORDER = (Predikat.SANGAT_BAIK, Predikat.BAIK, Predikat.BUTUH_PERBAIKAN, Predikat.KURANG,
                  Predikat.SANGAT_KURANG)
CREDIT_PERCENT = {Predikat.SANGAT_BAIK: 150, Predikat.BAIK: 100, Predikat.BUTUH_PERBAIKAN: 75,
                  Predikat.KURANG: 50, Predikat.SANGAT_KURANG: 25}

# result ↓ × behaviour → (DOMAIN.md's table, read row by row)
_MATRIX: dict[tuple[Rating, Rating], Predikat] = {
    (Rating.ABOVE, Rating.BELOW): Predikat.KURANG,
    (Rating.ABOVE, Rating.AS_EXPECTED): Predikat.BAIK,
    (Rating.ABOVE, Rating.ABOVE): Predikat.SANGAT_BAIK,
    (Rating.AS_EXPECTED, Rating.BELOW): Predikat.KURANG,
    (Rating.AS_EXPECTED, Rating.AS_EXPECTED): Predikat.BAIK,
    (Rating.AS_EXPECTED, Rating.ABOVE): Predikat.BAIK,
    (Rating.BELOW, Rating.BELOW): Predikat.SANGAT_KURANG,
    (Rating.BELOW, Rating.AS_EXPECTED): Predikat.BUTUH_PERBAIKAN,
    (Rating.BELOW, Rating.ABOVE): Predikat.BUTUH_PERBAIKAN,
}


def predikat(result: Rating, behaviour: Rating) -> Predikat:
    """The annual rating from the result rating and the behaviour (BerAKHLAK) rating."""
    return _MATRIX[(result, behaviour)]


# --- competency development (PP 17/2020) -----------------------------------------------------

JP_TARGET_PNS = 20  # at least, a right
JP_CAP_PPPK = 24  # at most


@dataclass(frozen=True)
class JpTarget:
    target: int  # what the person should reach this year
    cap: int | None  # what counts at most (PPPK), None: no cap


def jp_target(employment: str) -> JpTarget:
    """PNS: a right to at least 20 JP; PPPK: at most 24 JP, which is also what they aim for."""
    if employment == Employment.PPPK:
        return JpTarget(JP_CAP_PPPK, JP_CAP_PPPK)
    return JpTarget(JP_TARGET_PNS, None)


def jp_counted(total: int, employment: str) -> int:
    cap = jp_target(employment).cap
    return min(total, cap) if cap is not None else total


# --- dates from the NIP (PNS) ----------------------------------------------------------------

def birth_date(nip: str) -> date | None:
    """YYYYMMDD at the start of a PNS NIP; None when the digits are not a date."""
    try:
        return date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except (ValueError, IndexError):
        return None


def tmt(nip: str) -> date | None:
    """The TMT CPNS (appointment) month, YYYYMM after the birth date, as its first day."""
    try:
        return date(int(nip[8:12]), int(nip[12:14]), 1)
    except (ValueError, IndexError):
        return None


def whole_years(since: date, on: date) -> int:
    """Completed years from `since` to `on` (an age, or years of service)."""
    return on.year - since.year - ((on.month, on.day) < (since.month, since.day))


# --- one person's record, as eligibility rules read it ----------------------------------------

@dataclass(frozen=True)
class Record:
    """What rules compare about a civil servant (from their employee row)."""

    employee_id: int
    nip: str
    agency_id: int | None
    golongan: str | None
    jabatan_kind: JabatanKind | None
    employment: Employment
    birth_date: date | None
    tmt: date | None

    def age_on(self, day: date) -> int | None:
        return whole_years(self.birth_date, day) if self.birth_date else None

    def years_of_service_on(self, day: date) -> int | None:
        return whole_years(self.tmt, day) if self.tmt else None


def record(employee_id: int, nip: str, agency_id: int | None, golongan_: str | None, jabatan_kind_: str | None,
           employment: str, birth: date | None, start: date | None) -> Record:
    """A record from an employee row's values; a PNS's missing dates are read from the NIP."""
    pns = employment != Employment.PPPK
    try:
        kind = JabatanKind(jabatan_kind_) if jabatan_kind_ else None
    except ValueError:
        kind = None  # an old or hand-edited value: treated as unknown, so it meets no kind rule
    return Record(employee_id, nip, agency_id, golongan_ if golongan_ in PANGKAT else None, kind,
                  Employment.PPPK if not pns else Employment.PNS,
                  birth or (birth_date(nip) if pns else None), start or (tmt(nip) if pns else None))
