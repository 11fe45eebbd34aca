"""What a vacancy asks of a person, read from its stored data and checked against their record.

Every rule compares through services.civil_service (golongan order, jabatan kinds, predikat order,
age and years of service): nothing here re-implements them. A rule that is not met comes back as an
`Unmet` with plain values; the handler turns it into a sentence in the person's language.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from services import files
from services.civil_service import PANGKAT, JabatanKind, Predikat, Record, at_least
from services.errors import DomainError, InvalidInput

if TYPE_CHECKING:
    from db.uow import UnitOfWork


class VacancyKind(StrEnum):
    JPT = "jpt"
    ADMINISTRATOR = "administrator"
    PENGAWAS = "pengawas"
    JF = "jf"


# Stages are data (rows of vacancy_stages). These are the lists a new vacancy starts from; the key
# names a translated label, the Indonesian name is what is stored. JPT: PermenPANRB 15/2019.
JPT_STAGES: tuple[tuple[str, str], ...] = (
    ("registration", "Pengumuman dan pendaftaran"),
    ("administration", "Seleksi administrasi"),
    ("competency", "Asesmen kompetensi manajerial dan sosial kultural"),
    ("paper", "Penulisan makalah dan presentasi"),
    ("interview", "Wawancara"),
    ("track_record", "Penelusuran rekam jejak"),
    ("health", "Tes kesehatan"),
    ("shortlist", "Tiga nama terbaik"),
)
SIMPLE_STAGES: tuple[tuple[str, str], ...] = (
    ("registration", "Pengumuman dan pendaftaran"),
    ("administration", "Seleksi administrasi"),
    ("competency_test", "Uji kompetensi"),
    ("interview", "Wawancara"),
)
STAGE_KEYS = frozenset(k for k, _ in JPT_STAGES + SIMPLE_STAGES)


def default_stages(kind: str) -> tuple[tuple[str, str], ...]:
    return JPT_STAGES if kind == VacancyKind.JPT else SIMPLE_STAGES


# --- documents ---------------------------------------------------------------------------------

MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download through the Bot API's getFile
FILE_TYPES = ("pdf", "image")
_MIME = {"application/pdf": "pdf", "image/jpeg": "image", "image/png": "image"}
_EXT = {".pdf": "pdf", ".jpg": "image", ".jpeg": "image", ".png": "image"}


@dataclass(frozen=True)
class DocumentItem:
    """One line of a vacancy's checklist: a code, the label HR wrote, the file types it accepts."""

    code: str
    label: str
    types: tuple[str, ...]

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> DocumentItem:
        types = tuple(t for t in data.get("types", ("pdf",)) if t in FILE_TYPES) or ("pdf",)
        return cls(str(data["code"]), str(data["label"]), types)

    def to_data(self) -> dict[str, Any]:
        return {"code": self.code, "label": self.label, "types": list(self.types)}


def file_type(*, is_photo: bool, name: str | None, mime: str | None) -> str | None:
    """'pdf', 'image' or None. Telegram's MIME type decides; the name only when it says nothing."""
    if is_photo:
        return "image"
    kind = _MIME.get((mime or "").lower())
    if kind is None and (mime or "application/octet-stream").lower() == "application/octet-stream" and name:
        dot = name.rfind(".")
        kind = _EXT.get(name[dot:].lower()) if dot >= 0 else None
    return kind


def check_file(item: DocumentItem, *, is_photo: bool, name: str | None, mime: str | None, size: int | None) -> str:
    """The file's type if `item` accepts it; InvalidInput saying why not (size first: it is absolute)."""
    if size is not None and size > MAX_FILE_BYTES:
        raise InvalidInput("vac.err.file_too_big", size_mb=-(-size // (1024 * 1024)),
                           max_mb=MAX_FILE_BYTES // (1024 * 1024))
    kind = file_type(is_photo=is_photo, name=name, mime=mime)
    if kind not in item.types:
        raise InvalidInput("vac.err.file_type", types=",".join(item.types))
    return kind


def check_content(claimed: str, content: bytes) -> str:
    """The format the bytes are (files.PDF/JPEG/PNG) when they are what the name and type claimed;
    InvalidInput naming what was expected otherwise. Sizes as downloaded, not as announced."""
    if not content:
        raise InvalidInput("vac.err.file_empty")
    if len(content) > MAX_FILE_BYTES:
        raise InvalidInput("vac.err.file_too_big", size_mb=-(-len(content) // (1024 * 1024)),
                           max_mb=MAX_FILE_BYTES // (1024 * 1024))
    fmt = files.sniff(content)
    if fmt is None or files.FAMILY[fmt] != claimed:
        raise InvalidInput("vac.err.not_pdf" if claimed == "pdf" else "vac.err.not_image")
    return fmt


def checklist_item(documents: list[dict[str, Any]] | None, code: str) -> DocumentItem:
    """A vacancy's checklist item by its code."""
    found = next((DocumentItem.from_data(d) for d in documents or () if d.get("code") == code), None)
    if found is None:
        raise InvalidInput("vac.err.no_such_document")
    return found


ACCEPTED, REJECTED = "accepted", "rejected"  # HR's review of a file; None: not reviewed (yet)


def check_correctable(review: str | None, *, corrected: bool) -> None:
    """Perbaikan berkas: once an application is submitted only a file HR rejected may be replaced;
    an accepted one, one not reviewed yet and a correction waiting for its review stay as they are."""
    if review == REJECTED:
        return
    if review == ACCEPTED:
        raise DomainError("vac.err.doc_accepted")
    raise DomainError("vac.err.doc_corrected" if corrected else "vac.err.not_rejected")


# --- requirements ------------------------------------------------------------------------------

@dataclass(frozen=True)
class Requirements:
    min_golongan: str | None = None
    min_predikat: Predikat | None = None
    predikat_years: int = 0  # the last N appraisal years before the closing year
    jabatan_kinds: tuple[JabatanKind, ...] = ()  # any of these; empty: any kind
    max_age: int | None = None  # on the closing date
    min_service_years: int | None = None  # from the TMT, on the closing date

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Requirements:
        golongan = data.get("min_golongan")
        if golongan is not None and golongan not in PANGKAT:
            raise ValueError(f"unknown golongan {golongan!r}")
        predikat = data.get("min_predikat")
        return cls(
            min_golongan=golongan,
            min_predikat=Predikat(predikat) if predikat else None,
            predikat_years=int(data.get("predikat_years") or (1 if predikat else 0)),
            jabatan_kinds=tuple(JabatanKind(k) for k in data.get("jabatan_kinds") or ()),
            max_age=data.get("max_age"),
            min_service_years=data.get("min_service_years"),
        )

    def to_data(self) -> dict[str, Any]:
        return {"min_golongan": self.min_golongan,
                "min_predikat": self.min_predikat.value if self.min_predikat else None,
                "predikat_years": self.predikat_years, "jabatan_kinds": [k.value for k in self.jabatan_kinds],
                "max_age": self.max_age, "min_service_years": self.min_service_years}


@dataclass(frozen=True)
class Unmet:
    """A rule the person does not meet, and the values that say why."""

    rule: str  # golongan | predikat_none | predikat_missing | predikat_low | jabatan | age | age_unknown |
    #            service | service_unknown
    params: dict[str, Any] = field(default_factory=dict)


class PredikatHistory(Protocol):
    """The person's annual predikat by year: the appraisal feature supplies the real one."""

    def __call__(self, uow: UnitOfWork, employee_id: int) -> Awaitable[dict[int, Predikat]]: ...


async def no_history(uow: UnitOfWork, employee_id: int) -> dict[int, Predikat]:
    """Until the appraisal records are wired in: nothing on record, so a predikat rule is unmet."""
    return {}


def check(rec: Record, req: Requirements, closes_on: date, history: Mapping[int, Predikat]) -> list[Unmet]:
    """Every unmet rule, in the order the vacancy lists them; [] means the person may apply."""
    out: list[Unmet] = []
    if req.min_golongan and not at_least(rec.golongan, req.min_golongan):
        out.append(Unmet("golongan", {"have": rec.golongan, "need": req.min_golongan}))
    if req.min_predikat and req.predikat_years > 0:
        if not history:
            out.append(Unmet("predikat_none", {"need": req.min_predikat, "years": req.predikat_years}))
        else:
            for year in range(closes_on.year - 1, closes_on.year - 1 - req.predikat_years, -1):
                got = history.get(year)
                if got is None:
                    out.append(Unmet("predikat_missing", {"year": year, "need": req.min_predikat}))
                elif got.order < req.min_predikat.order:
                    out.append(Unmet("predikat_low", {"year": year, "have": got, "need": req.min_predikat}))
    if req.jabatan_kinds and rec.jabatan_kind not in req.jabatan_kinds:
        out.append(Unmet("jabatan", {"have": rec.jabatan_kind, "need": req.jabatan_kinds}))
    if req.max_age is not None:
        age = rec.age_on(closes_on)
        if age is None:
            out.append(Unmet("age_unknown", {"max": req.max_age}))
        elif age > req.max_age:
            out.append(Unmet("age", {"on": closes_on, "age": age, "max": req.max_age}))
    if req.min_service_years is not None:
        years = rec.years_of_service_on(closes_on)
        if years is None:
            out.append(Unmet("service_unknown", {"min": req.min_service_years}))
        elif years < req.min_service_years:
            out.append(Unmet("service", {"on": closes_on, "years": years, "min": req.min_service_years}))
    return out
