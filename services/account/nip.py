"""NIP: 18 digits; for PNS, birth date · TMT CPNS · sex · serial (Perka BKN 22/2007)."""

from __future__ import annotations

import re
from datetime import date

from services.errors import InvalidInput

_DIGITS = re.compile(r"\D")


def clean(raw: str) -> str:
    return _DIGITS.sub("", raw or "")


def validate(raw: str, employment: str = "PNS") -> str:
    """The 18-digit NIP, or InvalidInput naming what is wrong."""
    nip = clean(raw)
    if len(nip) != 18:
        raise InvalidInput("nip.bad_length", length=len(nip))
    if employment.upper() == "PPPK":
        return nip
    try:
        born = date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
        tmt_year, tmt_month = int(nip[8:12]), int(nip[12:14])
    except ValueError:
        raise InvalidInput("nip.bad_birth_date") from None
    if not 1 <= tmt_month <= 12 or tmt_year < born.year + 17 or tmt_year > date.today().year:
        raise InvalidInput("nip.bad_tmt")
    if nip[14] not in "12":
        raise InvalidInput("nip.bad_sex_digit")
    return nip


def mask(nip: str) -> str:
    """`19850312 ****** 1 001`: the middle hidden from everyone but the owner and HR."""
    return f"{nip[:8]} ****** {nip[14]} {nip[15:]}" if len(nip) == 18 else "******"


def normalise_phone(raw: str | None) -> str:
    """Indonesian numbers compared as 62…: '+62 812-…', '0812…' and '62812…' are one number."""
    digits = clean(raw or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits
