"""A vacancy's fields as HR types them in the chat: each parsed and checked on its own, no database.

Every function takes the raw text (or a picked option) and returns a clean value or raises
InvalidInput with a catalog key. `manage.save_draft` checks the whole set again before writing,
so a value kept in a conversation's saved state is never trusted as it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo

from services import civil_service
from services.civil_service import JabatanKind, Predikat
from services.errors import InvalidInput
from services.text import visible_length
from services.vacancies.rules import DocumentItem, Requirements, VacancyKind, default_stages

CODE_MAX, JABATAN_MAX, LABEL_MAX, STAGE_MAX = 32, 200, 100, 200
MAX_DOCUMENTS, MAX_STAGES = 15, 12
MAX_DAYS_AHEAD, MAX_OPEN_DAYS = 366, 366  # an opening within a year; open for at most a year
SERVICE_RANGE, AGE_RANGE, PREDIKAT_YEARS = (0, 40), (18, 65), (1, 5)
_CODE = re.compile(r"[A-Z0-9][A-Z0-9/._-]{2,31}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_RUN = re.compile(r"\s+")
_NUMBERS = re.compile(r"[\d,;\s]+")
NONE_WORDS = frozenset({"-", "tidak", "tidak ada", "none", "no", "tanpa", "bebas", "semua", "any"})
JABATAN_KINDS: tuple[JabatanKind, ...] = tuple(JabatanKind)

# The checklist items HR picks from (code, label, accepted types); a custom item is typed.
STANDARD_DOCUMENTS: tuple[DocumentItem, ...] = (
    DocumentItem("lamaran", "Surat lamaran", ("pdf",)),
    DocumentItem("sk_pangkat", "SK pangkat terakhir", ("pdf", "image")),
    DocumentItem("sk_jabatan", "SK jabatan terakhir", ("pdf", "image")),
    DocumentItem("skp", "SKP dua tahun terakhir", ("pdf",)),
    DocumentItem("ijazah", "Ijazah terakhir", ("pdf", "image")),
    DocumentItem("foto", "Pas foto", ("image",)),
    DocumentItem("sehat", "Surat keterangan sehat", ("pdf", "image")),
    DocumentItem("makalah", "Makalah rencana kerja", ("pdf",)),
    DocumentItem("pakta", "Pakta integritas", ("pdf",)),
    DocumentItem("rekomendasi", "Surat rekomendasi atasan", ("pdf",)),
)
_DEFAULT_DOCS: dict[str, tuple[str, ...]] = {VacancyKind.JPT: ("lamaran", "sk_pangkat", "skp", "makalah", "sehat", "pakta")}
_DEFAULT_DOCS_OTHER = ("lamaran", "sk_pangkat", "skp", "foto")


@dataclass(frozen=True)
class VacancyInput:
    """Everything a draft holds, as plain values (what the create flow gathers)."""

    code: str
    jabatan: str
    agency_id: int
    kind: str
    opens_on: date
    closes_on: date
    requirements: Requirements = Requirements()
    documents: tuple[DocumentItem, ...] = ()
    stages: tuple[tuple[str | None, str], ...] = field(default_factory=tuple)


def text(raw: str | None, *, limit: int, code: str) -> str:
    """One line of HR's words: control characters (NUL…) and runs of spaces become one space."""
    value = _RUN.sub(" ", _CONTROL.sub(" ", raw or "")).strip()
    if visible_length(value) < 2:
        raise InvalidInput(code, max=limit)
    if len(value) > limit:
        raise InvalidInput(code, max=limit)
    return value


def vacancy_code(raw: str | None) -> str:
    value = (raw or "").strip().upper()
    if not _CODE.fullmatch(value):
        raise InvalidInput("vaa.err.code", max=CODE_MAX)
    return value


def jabatan(raw: str | None) -> str:
    return text(raw, limit=JABATAN_MAX, code="vaa.err.jabatan")


def kind(raw: str | None) -> str:
    value = (raw or "").strip().lower()
    if value not in {k.value for k in VacancyKind}:
        raise InvalidInput("vaa.err.kind")
    return value


def parse_date(raw: str | None) -> date:
    """'25-12-2026', '25/12/2026', '25.12.2026' or '2026-12-25'."""
    value = (raw or "").strip()
    m = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", value)
    iso = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    try:
        if m:
            return date(int(m[3]), int(m[2]), int(m[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        pass
    raise InvalidInput("vaa.err.date")


def opens_on(raw: str | None, today: date) -> date:
    d = parse_date(raw)
    if d < today:
        raise InvalidInput("vaa.err.date_past")
    if d > today + timedelta(days=MAX_DAYS_AHEAD):
        raise InvalidInput("vaa.err.date_far", days=MAX_DAYS_AHEAD)
    return d


def closes_on(raw: str | None, opening: date, today: date) -> date:
    d = parse_date(raw)
    if d < today:
        raise InvalidInput("vaa.err.date_past")
    if d <= opening:
        raise InvalidInput("vaa.err.closes_before")
    if d > opening + timedelta(days=MAX_OPEN_DAYS):
        raise InvalidInput("vaa.err.date_far", days=MAX_OPEN_DAYS)
    return d


def window(opening: date, closing: date, tz: tzinfo) -> tuple[datetime, datetime]:
    """Open from the opening day's first minute to the closing day's 23.59, in the deployment's zone."""
    return (datetime.combine(opening, time(0, 0), tz), datetime.combine(closing, time(23, 59), tz))


def _none(raw: str | None) -> bool:
    return (raw or "").strip().lower() in NONE_WORDS


def golongan(raw: str | None) -> str | None:
    if _none(raw):
        return None
    try:
        return civil_service.golongan(raw)
    except (InvalidInput, ValueError):
        raise InvalidInput("vaa.err.golongan") from None


def _int(raw: str | None, lo: int, hi: int, code: str) -> int:
    value = (raw or "").strip()
    if not value.isascii() or not value.isdigit() or not lo <= int(value) <= hi:
        raise InvalidInput(code, min=lo, max=hi)
    return int(value)


def service_years(raw: str | None) -> int | None:
    return None if _none(raw) else _int(raw, *SERVICE_RANGE, "vaa.err.service")


def max_age(raw: str | None) -> int | None:
    return None if _none(raw) else _int(raw, *AGE_RANGE, "vaa.err.age")


def _numbers(raw: str, count: int, code: str) -> list[int]:
    """'1, 3 5' → [0, 2, 4] (1-based in, 0-based out), each within 1..count, duplicates dropped."""
    out = []
    for part in re.split(r"[,;\s]+", raw.strip()):
        if not part:
            continue
        if not part.isascii() or not part.isdigit() or not 1 <= int(part) <= count:
            raise InvalidInput(code, max=count)
        out.append(int(part) - 1)
    return list(dict.fromkeys(out))


def jabatan_kinds(raw: str | None) -> tuple[JabatanKind, ...]:
    """Numbers from the listed kinds ('4, 9'); '-' or 'semua': any kind."""
    if _none(raw):
        return ()
    value = raw or ""
    if not _NUMBERS.fullmatch(value):
        raise InvalidInput("vaa.err.jabatan_kinds", max=len(JABATAN_KINDS))
    picked = _numbers(value, len(JABATAN_KINDS), "vaa.err.jabatan_kinds")
    if not picked:
        raise InvalidInput("vaa.err.jabatan_kinds", max=len(JABATAN_KINDS))
    return tuple(JABATAN_KINDS[i] for i in picked)


def predikat(raw: str | None) -> tuple[Predikat | None, int]:
    """'baik 2' (at least Baik in each of the last 2 years), 'sangat_baik 1'; '-': no rule."""
    if _none(raw):
        return None, 0
    parts = (raw or "").strip().lower().replace("sangat baik", "sangat_baik").split()
    if len(parts) != 2 or parts[0] not in (Predikat.BAIK, Predikat.SANGAT_BAIK):
        raise InvalidInput("vaa.err.predikat", max=PREDIKAT_YEARS[1])
    return Predikat(parts[0]), _int(parts[1], *PREDIKAT_YEARS, "vaa.err.predikat")


def default_documents(vacancy_kind: str) -> tuple[DocumentItem, ...]:
    codes = _DEFAULT_DOCS.get(vacancy_kind, _DEFAULT_DOCS_OTHER)
    return tuple(d for d in STANDARD_DOCUMENTS if d.code in codes)


def documents(raw: str | None) -> tuple[DocumentItem, ...]:
    """One line of numbers picks standard items ('1, 2, 6'); any other line is a custom item (PDF)."""
    items: list[DocumentItem] = []
    custom = 0
    for line in (raw or "").splitlines():
        if not line.strip():
            continue
        if _NUMBERS.fullmatch(line):
            items += [STANDARD_DOCUMENTS[i] for i in _numbers(line, len(STANDARD_DOCUMENTS), "vaa.err.doc_number")]
        else:
            custom += 1
            items.append(DocumentItem(f"lain{custom}", text(line, limit=LABEL_MAX, code="vaa.err.doc_label"),
                                      ("pdf",)))
    return check_documents(items)


def check_documents(items: list[DocumentItem] | tuple[DocumentItem, ...]) -> tuple[DocumentItem, ...]:
    unique = list({d.code: d for d in items}.values())
    if not unique:
        raise InvalidInput("vaa.err.docs_empty")
    if len(unique) > MAX_DOCUMENTS:
        raise InvalidInput("vaa.err.docs_many", max=MAX_DOCUMENTS)
    for d in unique:
        text(d.label, limit=LABEL_MAX, code="vaa.err.doc_label")
    return tuple(unique)


def stages(raw: str | None, vacancy_kind: str) -> tuple[tuple[str | None, str], ...]:
    """One stage per line; a line naming a standard stage (or its number in the list) keeps its key."""
    standard = default_stages(vacancy_kind)
    by_name = {name.lower(): (key, name) for key, name in standard}
    out: list[tuple[str | None, str]] = []
    for line in (raw or "").splitlines():
        if not line.strip():
            continue
        value = line.strip()
        if value.isascii() and value.isdigit():
            n = int(value)
            if not 1 <= n <= len(standard):
                raise InvalidInput("vaa.err.stage_number", max=len(standard))
            out.append(standard[n - 1])
            continue
        name = text(value, limit=STAGE_MAX, code="vaa.err.stage_name")
        out.append(by_name.get(name.lower(), (None, name)))
    return check_stages(out)


def check_stages(items: list[tuple[str | None, str]] | tuple[tuple[str | None, str], ...]
                 ) -> tuple[tuple[str | None, str], ...]:
    if not items:
        raise InvalidInput("vaa.err.stages_empty")
    if len(items) > MAX_STAGES:
        raise InvalidInput("vaa.err.stages_many", max=MAX_STAGES)
    for _, name in items:
        text(name, limit=STAGE_MAX, code="vaa.err.stage_name")
    return tuple((k, n) for k, n in items)
