"""What an SKP row means: periods, stages, ratings as people write them, deadlines, working days.

The predikat matrix itself is services.civil_service.predikat; this module only reads the
words a spreadsheet uses for ratings and predikat and says which period is newer.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from services.civil_service import Predikat, Rating
from services.errors import InvalidInput
from services.workdays import is_workday


class Stage(StrEnum):
    """The four stages of an SKP period, in order (PermenPANRB 6/2022)."""

    PERENCANAAN = "perencanaan"
    PELAKSANAAN = "pelaksanaan"  # pelaksanaan, pemantauan, pembinaan: one stage
    PENILAIAN = "penilaian"
    TINDAK_LANJUT = "tindak_lanjut"

    @property
    def position(self) -> int:
        """0 for perencanaan … 3 for tindak lanjut (a name of its own: `index` would hide str.index)."""
        return STAGES.index(self)


STAGES = (Stage.PERENCANAAN, Stage.PELAKSANAAN, Stage.PENILAIAN, Stage.TINDAK_LANJUT)


def _key(raw: str) -> str:
    return " ".join(re.sub(r"[_\-/]+", " ", (raw or "").strip().lower()).split())


_STAGE_WORDS: dict[str, Stage] = {
    **{w: Stage.PERENCANAAN for w in ("perencanaan", "planning", "plan", "1")},
    **{w: Stage.PELAKSANAAN for w in ("pelaksanaan", "pemantauan", "pembinaan", "pelaksanaan pemantauan",
                                      "pelaksanaan pemantauan pembinaan", "monitoring", "2")},
    **{w: Stage.PENILAIAN for w in ("penilaian", "evaluasi", "penilaian evaluasi", "assessment", "evaluation",
                                    "3")},
    **{w: Stage.TINDAK_LANJUT for w in ("tindak lanjut", "tindaklanjut", "follow up", "4")},
}
# "di atas ekspektasi", "above", "3"...: how BKPSDM's files and e-Kinerja exports write a rating.
_RATING_WORDS: dict[str, Rating] = {
    **{w: Rating.ABOVE for w in ("3", "above", "above expectation", "above expectations", "di atas ekspektasi",
                                 "diatas ekspektasi", "di atas", "diatas", "atas")},
    **{w: Rating.AS_EXPECTED for w in ("2", "as expected", "expected", "sesuai ekspektasi", "sesuai")},
    **{w: Rating.BELOW for w in ("1", "below", "below expectation", "below expectations", "di bawah ekspektasi",
                                 "dibawah ekspektasi", "di bawah", "dibawah", "bawah")},
}
_PREDIKAT_WORDS: dict[str, Predikat] = {
    **{w: Predikat.SANGAT_BAIK for w in ("sangat baik", "very good", "outstanding")},
    **{w: Predikat.BAIK for w in ("baik", "good")},
    **{w: Predikat.BUTUH_PERBAIKAN for w in ("butuh perbaikan", "needs improvement")},
    **{w: Predikat.KURANG for w in ("kurang", "misconduct", "kurang misconduct", "poor")},
    **{w: Predikat.SANGAT_KURANG for w in ("sangat kurang", "very poor")},
}


def stage(raw: str) -> Stage:
    try:
        return _STAGE_WORDS[_key(raw)]
    except KeyError:
        raise InvalidInput("skp.err.stage", value=raw[:40]) from None


def rating(raw: str) -> Rating | None:
    """None for an empty cell (not rated yet)."""
    if not _key(raw):
        return None
    try:
        return _RATING_WORDS[_key(raw)]
    except KeyError:
        raise InvalidInput("skp.err.rating", value=raw[:40]) from None


def predikat_word(raw: str) -> Predikat | None:
    if not _key(raw):
        return None
    try:
        return _PREDIKAT_WORDS[_key(raw)]
    except KeyError:
        raise InvalidInput("skp.err.predikat", value=raw[:40]) from None


# --- periods: "2026" (annual), "2026-S1"/"2026-S2" (semester), "2026-Q1".."2026-Q4" (quarter)

_PERIOD = re.compile(r"(?:(\d{4})\s*[-/ ]?\s*)?(S[12]|Q[1-4]|TW[1-4]|IV|III|II|I)?", re.I)
_ROMAN = {"I": "1", "II": "2", "III": "3", "IV": "4"}
# Month a period ends, and within one end month the annual period comes after its parts.
_END = {"Q1": (3, 0), "Q2": (6, 0), "S1": (6, 1), "Q3": (9, 0), "Q4": (12, 0), "S2": (12, 1), "": (12, 2)}


def period(year: int, raw: str) -> str:
    """The canonical label of a period of `year`: '', '2026' → '2026'; 'S2', '2026-s2' → '2026-S2';
    'Q4', 'TW4', '2026 Q4' → '2026-Q4'. A label naming another year is refused."""
    text = (raw or "").strip().upper()
    m = _PERIOD.fullmatch(text)
    if m is None:
        raise InvalidInput("skp.err.period", value=raw[:20])
    named_year, part = m.group(1), (m.group(2) or "")
    if named_year and int(named_year) != year:
        raise InvalidInput("skp.err.period_year", value=raw[:20], year=year)
    if part.startswith("TW"):
        part = "Q" + part[2:]
    elif part in _ROMAN:  # triwulan I–IV
        part = "Q" + _ROMAN[part]
    return f"{year}-{part}" if part else str(year)


def period_part(label: str) -> str:
    """'' for an annual period, else 'S2', 'Q4'…"""
    return label.partition("-")[2]


def period_order(year: int, label: str) -> tuple[int, int, int]:
    """Sorts periods oldest first: by year, by the month they end, the annual one last."""
    month, tie = _END.get(period_part(label), (12, 2))
    return (year, month, tie)


def year_of(raw: str) -> int:
    text = (raw or "").strip()
    if not re.fullmatch(r"\d{4}", text) or not 2000 <= int(text) <= 2100:
        raise InvalidInput("skp.err.year", value=text[:10])
    return int(text)


# --- deadlines: a date, due at the end of that day in the deployment's zone

_DMY = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")


def deadline_day(raw: str) -> date | None:
    """'2026-11-26', '2026-11-26 00:00:00' (a spreadsheet date cell), '26/11/2026', '26-11-2026'."""
    text = (raw or "").strip()
    if not text:
        return None
    try:
        if m := _DMY.fullmatch(text):
            return date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        return date.fromisoformat(text.split(" ")[0].split("T")[0])
    except ValueError:
        raise InvalidInput("skp.err.deadline", value=text[:20]) from None


def end_of_day(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(23, 59, 59), tzinfo=tz).astimezone(UTC)


def workdays_left(now: datetime, due: datetime, tz: ZoneInfo) -> int:
    """Working days after today up to and including the due day (local dates).

    0: due today (still open until the end of the day); negative: that many working days late.
    """
    today, day = now.astimezone(tz).date(), due.astimezone(tz).date()
    if day == today:
        return 0
    step = 1 if day > today else -1
    n, at = 0, today
    while at != day:
        at += timedelta(days=step)
        if is_workday(at):
            n += step
    # A late deadline that fell on a weekend still counts as late.
    return n if n or day > today else -1
