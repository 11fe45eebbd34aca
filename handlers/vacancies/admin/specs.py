"""What each step of writing a vacancy offers as buttons and what a value (typed or picked) does.

An option's value is what HR could have typed: a picked button and typed text go the same way
through services/vacancies/fields (and `manage` for what needs the database).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta

from handlers.router import Chat
from handlers.vacancies.admin.steps import Create, DraftData
from services.civil_service import GOLONGAN
from services.errors import DomainError
from services.vacancies import fields, manage
from services.vacancies.rules import default_stages

Options = list[tuple[str, str]]  # (button label, the value it stands for, as if typed)


@dataclass(frozen=True)
class Spec:
    options: Callable[[Chat, DraftData], Awaitable[Options] | Options]
    apply: Callable[[Chat, DraftData, str], Awaitable[DraftData]]


def _today(chat: Chat) -> date:
    return chat.now.astimezone(chat.settings.tz).date()


def _day(d: date) -> str:
    return d.strftime("%d-%m-%Y")


# --- each step: its options and what a value does ---------------------------------------------------

async def _code(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, code=await manage.check_code(chat.uow, chat.person, raw, d.vacancy_id or None))


async def _jabatan(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, jabatan=fields.jabatan(raw))


async def _agency_options(chat: Chat, d: DraftData) -> Options:
    return [(a.code, str(a.id)) for a in await manage.agencies(chat.uow, chat.person)]


async def _agency(chat: Chat, d: DraftData, raw: str) -> DraftData:
    a = await manage.check_agency(chat.uow, chat.person, raw)
    return replace(d, agency_id=a.id, agency=a.name)


def _kind_options(chat: Chat, d: DraftData) -> Options:
    return [(chat.t(f"vac.kind.{k}"), k) for k in ("jpt", "administrator", "pengawas", "jf")]


async def _kind(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, kind=fields.kind(raw))


def _opens_options(chat: Chat, d: DraftData) -> Options:
    today = _today(chat)
    return [(chat.t("vaa.opt.today"), _day(today)), (chat.t("vaa.opt.tomorrow"), _day(today + timedelta(days=1)))]


async def _opens(chat: Chat, d: DraftData, raw: str) -> DraftData:
    # A closing day the new opening passes is refused when the draft is saved (the summary says so).
    return replace(d, opens=fields.opens_on(raw, _today(chat)).isoformat())


def _closes_options(chat: Chat, d: DraftData) -> Options:
    if not d.opens:
        return []
    start = date.fromisoformat(d.opens)
    return [(chat.t("vaa.opt.days", n=n), _day(start + timedelta(days=n))) for n in (14, 21, 30)]


async def _closes(chat: Chat, d: DraftData, raw: str) -> DraftData:
    if not d.opens:  # the opening comes first
        raise DomainError("vaa.err.opens_first")
    return replace(d, closes=fields.closes_on(raw, date.fromisoformat(d.opens), _today(chat)).isoformat())


def _none_option(chat: Chat) -> tuple[str, str]:
    return (chat.t("vaa.opt.none"), "-")


def _golongan_options(chat: Chat, d: DraftData) -> Options:
    return [_none_option(chat)] + [(g, g) for g in GOLONGAN]


async def _golongan(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, golongan=fields.golongan(raw))


def _any_kind(chat: Chat, d: DraftData) -> Options:
    return [(chat.t("vaa.opt.any_kind"), "-")]


async def _jabatan_kinds(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, jabatan_kinds=[k.value for k in fields.jabatan_kinds(raw)])


def _none_only(chat: Chat, d: DraftData) -> Options:
    return [_none_option(chat)]


async def _service(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, service=fields.service_years(raw))


async def _age(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, age=fields.max_age(raw))


def _predikat_options(chat: Chat, d: DraftData) -> Options:
    out = [_none_option(chat)]
    for p in ("baik", "sangat_baik"):
        for years in (1, 2):
            out.append((chat.t("vaa.opt.predikat", predikat=chat.t(f"cs.predikat.{p}"), years=years),
                        f"{p} {years}"))
    return out


async def _predikat(chat: Chat, d: DraftData, raw: str) -> DraftData:
    p, years = fields.predikat(raw)
    return replace(d, predikat=p.value if p else None, predikat_years=years)


def _documents_options(chat: Chat, d: DraftData) -> Options:
    picked = ",".join(str(fields.STANDARD_DOCUMENTS.index(x) + 1) for x in fields.default_documents(d.kind))
    return [(chat.t("vaa.opt.standard_docs", n=len(picked.split(","))), picked)]


async def _documents(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, documents=[x.to_data() for x in fields.documents(raw)])


def _stages_options(chat: Chat, d: DraftData) -> Options:
    standard = default_stages(d.kind)
    return [(chat.t("vaa.opt.standard_stages", n=len(standard)), "\n".join(str(i) for i in
                                                                           range(1, len(standard) + 1)))]


async def _stages(chat: Chat, d: DraftData, raw: str) -> DraftData:
    return replace(d, stages=[list(s) for s in fields.stages(raw, d.kind)])


SPECS: dict[str, Spec] = {
    Create.code.name: Spec(lambda c, d: [], _code),
    Create.jabatan.name: Spec(lambda c, d: [], _jabatan),
    Create.agency.name: Spec(_agency_options, _agency),
    Create.kind.name: Spec(_kind_options, _kind),
    Create.opens.name: Spec(_opens_options, _opens),
    Create.closes.name: Spec(_closes_options, _closes),
    Create.golongan.name: Spec(_golongan_options, _golongan),
    Create.jabatan_kinds.name: Spec(_any_kind, _jabatan_kinds),
    Create.service.name: Spec(_none_only, _service),
    Create.age.name: Spec(_none_only, _age),
    Create.predikat.name: Spec(_predikat_options, _predikat),
    Create.documents.name: Spec(_documents_options, _documents),
    Create.stages.name: Spec(_stages_options, _stages),
}
ROW = {Create.golongan.name: 4, Create.agency.name: 3}  # buttons per row; 1 otherwise
