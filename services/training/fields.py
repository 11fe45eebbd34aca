"""What HR types for each field of a training, checked one field at a time and all together.

The chat asks one field per step; `parse` turns the typed text into the value the draft keeps
(`draft.TrainingFields`) or raises `InvalidInput` with a catalog key, and `check_field`
compares it with the fields already known (an end before the start is refused at
the end's step). `build` checks a whole set of values again before anything is saved, so a
draft that went stale (an edit made the start later than the end) never reaches the table.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from db.models.training import Training
from services import civil_service as cs
from services.errors import InvalidInput
from services.training.draft import FIELDS as FIELDS
from services.training.draft import NUMBERS as NUMBERS
from services.training.draft import TIMES as TIMES
from services.training.draft import FieldName as FieldName
from services.training.draft import FieldValue as FieldValue
from services.training.draft import TrainingFields as TrainingFields

TEXTS = {"title": (2, 200), "topic": (0, 300), "organiser": (2, 200), "place": (0, 300)}
NOTIFY = ("starts_at", "ends_at", "place", "online_url")  # a change people who signed up are told about
DEFAULT_TIME = {"starts_at": (8, 0), "ends_at": (16, 0), "registration_closes_at": (23, 59)}
_CODE = re.compile(r"[A-Z0-9][A-Z0-9_-]{1,31}")
_URL = re.compile(r"https?://[^\s<>\"']{3,490}")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_TIME = re.compile(r"(\d{1,2})[:.](\d{2})")
_SPLIT = re.compile(r"[,;|\s]+")


@dataclass(frozen=True)
class TrainingInput:
    """A whole, checked training as HR describes it (times in UTC)."""

    code: str
    title: str
    topic: str
    organiser: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    jp: int
    quota: int
    registration_closes_at: datetime
    min_golongan: str | None
    max_golongan: str | None
    jabatan_kinds: tuple[str, ...]
    agency_ids: tuple[int, ...]
    employment: str | None

    def columns(self) -> dict[str, Any]:
        """The values as the table's columns take them."""
        out: dict[str, Any] = {f: getattr(self, f) for f in FIELDS}
        out["jabatan_kinds"], out["agency_ids"] = list(self.jabatan_kinds), list(self.agency_ids)
        return out


def clean_text(raw: str) -> str:
    """One line: control characters become spaces, runs of space one."""
    return " ".join("".join(" " if unicodedata.category(c) in ("Cc", "Cf") else c for c in raw).split())


def _visible(text: str) -> int:
    return sum(1 for c in text if c.isalnum())


def parse_text(field: str, raw: str) -> str:
    lo, hi = TEXTS[field]
    text = clean_text(raw)
    if len(text) > hi:
        raise InvalidInput("tra.err.too_long", limit=hi, length=len(text))
    if lo and (len(text) < lo or _visible(text) < 2):  # emoji or punctuation alone are no title
        raise InvalidInput("tra.err.too_short", minimum=lo)
    return text


def parse_code(raw: str) -> str:
    code = clean_text(raw).upper()
    if not _CODE.fullmatch(code):
        raise InvalidInput("tra.err.code")
    return code


def parse_number(field: str, raw: str) -> int:
    lo, hi = NUMBERS[field]
    text = clean_text(raw).replace(".", "")
    if not (text.isascii() and text.isdigit()) or len(text) > 9 or not lo <= int(text) <= hi:
        raise InvalidInput(f"tra.err.{field}", low=lo, high=hi)
    return int(text)


def parse_time(field: str, raw: str, tz: ZoneInfo, now: datetime) -> str:
    """'2026-12-14 08:00', '14/12/2026 08.00', '14-12-2026' (a default hour) → ISO UTC."""
    text = clean_text(raw)
    day = _ISO.search(text)
    if day:
        y, m, d = (int(x) for x in day.groups())
    elif day := _DMY.search(text):
        d, m, y = (int(x) for x in day.groups())
    else:
        raise InvalidInput("tra.err.when")
    rest = text[:day.start()] + " " + text[day.end():]
    clock = _TIME.search(rest)
    hour, minute = (int(clock.group(1)), int(clock.group(2))) if clock else DEFAULT_TIME[field]
    try:
        local = datetime(y, m, d, hour, minute, tzinfo=tz)
    except ValueError:
        raise InvalidInput("tra.err.when") from None
    if not now - timedelta(days=366) <= local <= now + timedelta(days=3 * 366):
        raise InvalidInput("tra.err.when_range")
    return local.astimezone(ZoneInfo("UTC")).isoformat()


def parse_url(raw: str) -> str:
    url = clean_text(raw)
    if not _URL.fullmatch(url):
        raise InvalidInput("tra.err.url")
    return url


def parse_golongan(raw: str) -> str:
    value = cs.golongan(clean_text(raw))  # InvalidInput("cs.err.golongan") for "V/z"
    if value is None:
        raise InvalidInput("cs.err.golongan", value="")
    return value


def parse_agencies(raw: str, by_code: dict[str, int]) -> list[int]:
    ids: list[int] = []
    for code in (c.upper() for c in _SPLIT.split(clean_text(raw)) if c):
        if code not in by_code:
            raise InvalidInput("tra.err.agency", value=code[:32])
        ids.append(by_code[code])
    if not ids:
        raise InvalidInput("tra.err.agency", value="")
    return list(dict.fromkeys(ids))


def check_field(field: str, known: TrainingFields, now: datetime) -> None:
    """`known` with `field` just answered: InvalidInput when that answer clashes with the others."""
    starts, ends, closes = known.starts_at, known.ends_at, known.registration_closes_at
    if field == "starts_at" and starts is not None and starts <= now:
        raise InvalidInput("tra.err.start_past")
    if starts and ends and ends <= starts and field in ("starts_at", "ends_at"):
        raise InvalidInput("tra.err.end_before_start")
    if starts and closes and closes > starts and field in ("starts_at", "registration_closes_at"):
        raise InvalidInput("tra.err.closes_after_start")
    lo, hi = known.min_golongan, known.max_golongan
    if lo and hi and cs.rank(lo) > cs.rank(hi):
        raise InvalidInput("tra.err.golongan_order")
    place, url = known.place, known.online_url
    if field == "online_url" and not place and not url:
        raise InvalidInput("tra.err.no_place")
    if field == "place" and not place and not url and url is not None:  # the link was answered: none
        raise InvalidInput("tra.err.no_place")


def _required(value: Any) -> Any:
    if value is None:
        raise InvalidInput("tra.err.incomplete")
    return value


def build(values: TrainingFields) -> TrainingInput:
    """A whole training from the draft's values, every rule checked again; InvalidInput if not."""
    v = values
    try:
        inp = TrainingInput(
            code=parse_code(_required(v.code)),
            title=parse_text("title", _required(v.title)), topic=parse_text("topic", v.topic or ""),
            organiser=parse_text("organiser", _required(v.organiser)),
            starts_at=_required(v.starts_at), ends_at=_required(v.ends_at),
            place=parse_text("place", v.place or "") or None,
            online_url=parse_url(v.online_url) if v.online_url else None,
            jp=_required(v.jp), quota=_required(v.quota),
            registration_closes_at=_required(v.registration_closes_at),
            min_golongan=cs.golongan(v.min_golongan or None),
            max_golongan=cs.golongan(v.max_golongan or None),
            jabatan_kinds=tuple(k.value for k in (cs.jabatan_kind(k) for k in v.jabatan_kinds or ()) if k),
            agency_ids=v.agency_ids or (),
            employment=v.employment or None)
    except (TypeError, ValueError):
        raise InvalidInput("tra.err.incomplete") from None
    for field, (lo, hi) in NUMBERS.items():
        if not lo <= getattr(inp, field) <= hi:
            raise InvalidInput(f"tra.err.{field}", low=lo, high=hi)
    if inp.employment not in (None, "PNS", "PPPK"):
        raise InvalidInput("tra.err.incomplete")
    if inp.ends_at <= inp.starts_at:
        raise InvalidInput("tra.err.end_before_start")
    if inp.registration_closes_at > inp.starts_at:
        raise InvalidInput("tra.err.closes_after_start")
    if inp.min_golongan and inp.max_golongan and cs.rank(inp.min_golongan) > cs.rank(inp.max_golongan):
        raise InvalidInput("tra.err.golongan_order")
    if not inp.place and not inp.online_url:
        raise InvalidInput("tra.err.no_place")
    return inp


def values_of(t: Training) -> TrainingFields:
    """A stored training as the form's values (what editing one field starts from)."""
    return TrainingFields(
        code=t.code, title=t.title, topic=t.topic or "", organiser=t.organiser, starts_at=t.starts_at,
        ends_at=t.ends_at, place=t.place or "", online_url=t.online_url or "", jp=t.jp, quota=t.quota,
        registration_closes_at=t.registration_closes_at, min_golongan=t.min_golongan or "",
        max_golongan=t.max_golongan or "", jabatan_kinds=tuple(t.jabatan_kinds or ()),
        agency_ids=tuple(t.agency_ids or ()), employment=t.employment or "")
