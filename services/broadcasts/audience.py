"""Who a broadcast reaches: a small value, stored as JSON on the broadcast, resolved in one query.

Civil servants' filters combine (all must hold): agencies, a golongan range, jabatan kinds,
PNS or PPPK, a subscription topic. Citizens are a separate audience: only those who opted in
(`/kabar`). "Reachable" everywhere means linked, not marked unreachable, not erased.

Subscription topics belong to the features that offer them: the caller passes the registered
ones when HR picks one, and the audience keeps the topic's default with it, so resolving an
audience needs no other feature.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from db.repositories.broadcasts import Filter
from db.uow import UnitOfWork
from services import civil_service as cs
from services.errors import InvalidInput

CITIZEN_TOPIC = "news"  # citizens' opt-in, stored beside the civil servants' subscriptions
MAX_AGENCIES = 30
LEGACY_DEFAULT = "on"  # any choice but "off": who never chose counts, as every topic's default did
KIND_GROUPS = {  # what HR may type for a whole family of jabatan kinds
    "jpt": [k for k in cs.JabatanKind if k.is_jpt],
    "ja": [cs.JabatanKind.ADMINISTRATOR, cs.JabatanKind.PENGAWAS, cs.JabatanKind.PELAKSANA],
    "jf": [k for k in cs.JabatanKind if k.is_jf],
}


@dataclass(frozen=True)
class Audience:
    citizens: bool = False
    agencies: tuple[str, ...] = ()  # agency codes
    gol_min: str | None = None
    gol_max: str | None = None
    kinds: tuple[str, ...] = ()
    employment: str | None = None  # PNS | PPPK
    topic: str | None = None  # a subscription topic
    # The topic's choice for who never chose, as registered when HR picked the topic. None: an
    # audience stored before it was kept, when every topic's default counted the person in.
    topic_default: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(self).items()}

    @classmethod
    def from_json(cls, raw: dict[str, Any] | None) -> Audience:
        """What a broadcast row stores; unknown or ill-typed keys fall back to the default."""
        raw = raw if isinstance(raw, dict) else {}
        out = cls()
        for f in dataclasses.fields(cls):
            v = raw.get(f.name)
            # Any: the field is chosen at run time; the checks above keep its value to its type.
            change: dict[str, Any] = {}
            if isinstance(v, list) and all(isinstance(x, str) for x in v):
                change[f.name] = tuple(v)
            elif isinstance(v, bool | str) and not isinstance(getattr(out, f.name), tuple):
                change[f.name] = v
            if change:
                out = replace(out, **change)
        return out

    @property
    def everyone(self) -> bool:
        """All civil servants: no filter at all."""
        return self == Audience()


def citizens() -> Audience:
    return Audience(citizens=True)


def with_employment(a: Audience, value: str) -> Audience:
    if value not in (cs.Employment.PNS, cs.Employment.PPPK):
        raise InvalidInput("bc.err.employment")
    return replace(a, citizens=False, employment=value)


def with_topic(a: Audience, topic: str, topics: Mapping[str, str]) -> Audience:
    """`topics`: the registered subscription topics, each with the choice of who never chose."""
    if topic not in topics:
        raise InvalidInput("sub.err.topic")
    return replace(a, citizens=False, topic=topic, topic_default=topics[topic])


_RANGE = re.compile(r"^\s*([IViv]+\s*/\s*[a-eA-E])\s*(?:(-|–|s/?d|sampai)\s*([IViv]+\s*/\s*[a-eA-E])?)?\s*$")


def with_golongan(a: Audience, typed: str) -> Audience:
    """'III/a-III/d', 'III/c' (that one), 'III/c-' (III/c and above)."""
    m = _RANGE.match(typed or "")
    if not m:
        raise InvalidInput("bc.err.golongan", value=(typed or "").strip()[:20])
    low = cs.golongan(m.group(1))
    high = cs.golongan(m.group(3)) if m.group(3) else (cs.GOLONGAN[-1] if m.group(2) else low)
    assert low is not None and high is not None
    if cs.rank(low) > cs.rank(high):
        low, high = high, low
    return replace(a, citizens=False, gol_min=low, gol_max=high)


def with_kinds(a: Audience, typed: str) -> Audience:
    """'JF Ahli Muda, pelaksana' or a family: 'JPT', 'JA', 'JF'."""
    kinds: list[str] = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;\n]", typed or ""))):
        group = KIND_GROUPS.get(part.lower())
        found = [str(k) for k in group] if group else [str(cs.jabatan_kind(part))]
        kinds += [k for k in found if k not in kinds]
    if not kinds:
        raise InvalidInput("bc.err.kinds")
    return replace(a, citizens=False, kinds=tuple(kinds))


async def with_agencies(uow: UnitOfWork, a: Audience, typed: str) -> Audience:
    """Agency codes, comma separated ('PUPR, DINKES'); each must exist."""
    codes: list[str] = []
    for part in filter(None, (p.strip().upper() for p in re.split(r"[,;\s]+", typed or ""))):
        agency = await uow.agencies.by_code(part[:32])
        if agency is None:
            raise InvalidInput("bc.err.agency", agency=part[:32])
        if agency.code not in codes:
            codes.append(agency.code)
    if not codes:
        raise InvalidInput("bc.err.agency_none")
    if len(codes) > MAX_AGENCIES:
        raise InvalidInput("bc.err.agency_many", limit=MAX_AGENCIES)
    return replace(a, citizens=False, agencies=tuple(codes))


async def to_filter(uow: UnitOfWork, a: Audience) -> Filter:
    """The repository's filter: codes to ids, a range to its values."""
    if a.citizens:
        return Filter(citizens=True, citizen_topic=CITIZEN_TOPIC)
    ids: list[int] = []
    for code in a.agencies:
        agency = await uow.agencies.by_code(code)
        ids.append(agency.id if agency else -1)  # an agency gone since: nobody through it
    golongan = None
    if a.gol_min and a.gol_max and a.gol_min in cs.GOLONGAN and a.gol_max in cs.GOLONGAN:
        golongan = cs.GOLONGAN[cs.rank(a.gol_min): cs.rank(a.gol_max) + 1]
    return Filter(agency_ids=ids, golongan=golongan, kinds=a.kinds, employment=a.employment, topic=a.topic,
                  topic_default=a.topic_default or LEGACY_DEFAULT)
