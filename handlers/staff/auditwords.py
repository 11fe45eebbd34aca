"""An audit entry in words, in the reader's language: the action's label, what changed as
"field: before → after", the rest as "field: value", times in the deployment's zone.

Plain text: the chat escapes it, the XLSX writes it as is. The log keeps what services recorded
(codes, ids, UTC ISO times); only the reading is translated, so an entry written by an older
version still reads: an action or field without a label shows its code in words, never JSON.

What a feature's entries mean (its targets, message codes, coded values, details with words of
their own) is its `AuditFamily`, listed in its manifest: this module reads `bot().audit`.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import UTC, datetime, tzinfo
from typing import Any

from handlers.dates import moment, short_day
from handlers.features import bot
from handlers.i18n import has, t
from services.errors import DomainError
from services.roles import Role
from services.staff.audit import Entry
from services.statistics.period import Period

ROLE_KEYS = frozenset({"role", "previous"})
# Shown elsewhere in the entry: the Telegram id beside the target, `at` is the entry's own time.
SKIPPED = frozenset({"telegram_id", "at"})
# What a person typed or a name: never looked up as a status word (a family adds its own).
FREE_TEXT = frozenset({"name", "note", "reason", "jabatan", "title", "topic", "organiser", "place", "keywords",
                       "prefix", "online_url", "code", "mime", "file_id", "into", "agency"})
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_CODE = re.compile(r"^[a-z][a-z_]*$")
# Codes of the shared civil-service vocabulary, by the field that records them (a family adds its own).
VALUE_KEYS = {"jabatan_kinds": "cs.kind.{}", "min_predikat": "cs.predikat.{}"}
_PARAM = re.compile(r"\{\w+\}")
_TAG = re.compile(r"<[^>]+>")
TARGETS = ("user", "employee", "cmd", "job")  # the runtime's own; a family adds its feature's


def _feature_of(kind: str, rest: str) -> str | None:
    """The feature a refused button prefix (`btn:sf:a`) or conversation step (`step:sf.who`) belongs to."""
    for feature in bot().features:
        table = feature.router.callbacks if kind == "btn" else feature.router.states
        if rest in table:
            return feature.name
    return None


def _tried(loc: str, kind: str, rest: str) -> str:
    """'tombol di Staf & audit', 'pesan (foto)': what a refused update was, never its raw data."""
    if kind == "msg":
        key = f"sf.kind.{rest}"
        return t(loc, "sf.tg.msg", kind=t(loc, key) if has(key) else rest)
    name = _feature_of(kind, rest)
    if name is None or not has(f"sf.feature.{name}"):
        return t(loc, f"sf.tg.{kind}.unknown")
    return t(loc, f"sf.tg.{kind}", feature=t(loc, f"sf.feature.{name}"))


def action_label(loc: str, action: str) -> str:
    """'Mengirim siaran' for broadcast.confirm; an action no catalog knows reads as its code."""
    key = f"sf.act.{action}"
    return t(loc, key) if has(key) else action


def field_label(loc: str, field: str) -> str:
    if field.isdigit():  # a roll call keys its before/after by employee id
        return t(loc, "sf.tg.employee", id=field)
    key = f"sf.f.{field}"
    return t(loc, key) if has(key) else field.replace("_", " ")


def target_text(loc: str, target: str | None) -> str:
    """'pengguna #12', 'perintah /staf'; a complaint number or an agency code as it is."""
    if not target:
        return "—"
    kind, _, rest = target.partition(":")
    if rest and kind in TARGETS:
        return t(loc, f"sf.tg.{kind}", id=rest)
    if rest and (key := bot().audit.targets.get(kind)) is not None:
        return t(loc, key, id=rest)
    if rest and kind in ("btn", "step", "msg"):
        return _tried(loc, kind, rest)
    if rest and kind in _exports():  # a statistics export: the period it covered
        try:
            p = Period.from_token(rest)
        except DomainError:
            return target
        return t(loc, f"sf.tg.{kind}", start=short_day(loc, p.start), end=short_day(loc, p.end))
    return target


def _exports() -> set[str]:
    """What the statistics' sections export ("reports:<period>" is the target of one)."""
    return {e.what for s in bot().stats for e in s.exports}


def _prefix(loc: str, value: str) -> str | None:
    """An audit export's filter: one action, or a family, in words; typed text: None."""
    if has(key := f"sf.act.{value}"):
        return t(loc, key)
    family = bot().audit.family(value)
    return t(loc, family.label) if family is not None and family.label else None


def _when(text: str) -> datetime | None:
    if not _ISO.match(text):
        return None
    try:
        dt = datetime.fromisoformat(text)
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC)  # services record UTC


def value_text(loc: str, field: str, value: Any, tz: tzinfo) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    book = bot().audit
    if (words := book.words.get(field)) is not None:
        # The feature that recorded it words it, with the renderer its own screens use: a
        # broadcast's empty audience is "semua ASN", not a list of empty fields.
        return words(loc, value)
    if isinstance(value, bool):
        return t(loc, "sf.v.yes" if value else "sf.v.no")
    if isinstance(value, str):
        if field in ROLE_KEYS and value in set(Role):
            return t(loc, f"role.{value}")
        pattern = VALUE_KEYS.get(field) or book.values.get(field)
        if pattern is not None and has(key := pattern.format(value)):
            return t(loc, key)
        if field == "prefix" and (text := _prefix(loc, value)) is not None:
            return text
        if field == "agency" and value == "*":  # a statistics export over every agency
            return t(loc, "sf.v.all_agencies")
        if (dt := _when(value)) is not None:
            return moment(loc, dt, tz)
        if field not in FREE_TEXT | book.free_text and _CODE.match(value):
            for key in (f"sf.v.{value}", *(codes.format(value) for codes in book.codes)):
                if has(key):
                    return t(loc, key)
        return " ".join(value.split())
    if isinstance(value, list | tuple):
        return ", ".join(value_text(loc, field, v, tz) for v in value)
    if isinstance(value, dict):  # what is empty says nothing
        return "; ".join(f"{field_label(loc, str(k))}: {value_text(loc, str(k), v, tz)}" for k, v in value.items()
                         if v not in (None, "", [], {}, False)) or "—"
    return str(value)


def _role(loc: str, value: dict[str, Any]) -> str:
    name = t(loc, f"role.{value.get('role')}")
    return t(loc, "sf.role_at", role=name, agency=value["agency"]) if value.get("agency") else name


def _is_role(value: Any) -> bool:
    return isinstance(value, dict) and set(value) <= {"role", "agency"} and value.get("role") in set(Role)


def changes(loc: str, before: Any, after: Any, tz: tzinfo) -> list[str]:
    """'peran: ASN → BKPSDM', one line per field that has a before or an after."""
    if before is None and after is None:
        return []
    if (before is None or _is_role(before)) and _is_role(after):
        old = _role(loc, before) if before else "—"
        return [t(loc, "sf.audit.field", field=field_label(loc, "role"),
                  value=t(loc, "sf.audit.change", before=old, after=_role(loc, after)))]
    if isinstance(before, dict | None) and isinstance(after, dict | None):
        keys = list(dict.fromkeys([*(before or {}), *(after or {})]))
        lines = []
        for k in keys:
            new = value_text(loc, k, (after or {}).get(k), tz)
            text = new if before is None else t(loc, "sf.audit.change",
                                                 before=value_text(loc, k, before.get(k), tz), after=new)
            lines.append(t(loc, "sf.audit.field", field=field_label(loc, k), value=text))
        return lines
    return [t(loc, "sf.audit.change", before=value_text(loc, "", before, tz), after=value_text(loc, "", after, tz))]


def message_text(loc: str, key: str, family: str) -> str:
    """A recorded message key as the sentence it stands for, without its markup (this is plain
    text); the family's words when the key is unknown or needs params that were not recorded."""
    text = t(loc, key) if has(key) else ""
    if not text or _PARAM.search(text):
        return t(loc, family)
    return " ".join(html.unescape(_TAG.sub("", text)).split())


def _fact(loc: str, action: str, field: str, value: Any, tz: tzinfo) -> str:
    if (m := bot().audit.messages.get((action, field))) is not None and isinstance(value, str):
        return t(loc, "sf.audit.field", field=field_label(loc, "reason"),
                 value=message_text(loc, m[0].format(value), m[1]))
    return t(loc, "sf.audit.field", field=field_label(loc, field), value=value_text(loc, field, value, tz))


def rest(loc: str, details: dict[str, Any], tz: tzinfo, *, shown: frozenset[str] = frozenset(),
         action: str = "") -> list[str]:
    """The other recorded facts, 'baris: 3', skipping what is empty or already `shown`."""
    return [_fact(loc, action, k, v, tz) for k, v in details.items()
            if k not in SKIPPED | shown and v not in (None, "", [], {})]


def in_changes(e: Entry) -> frozenset[str]:
    """Detail fields the before/after already says (a grant records its role both ways)."""
    keys = {k for side in (e.before, e.after) if isinstance(side, dict) for k in side}
    return frozenset(keys | ({"previous"} if "role" in keys else set()))


def details(loc: str, e: Entry, tz: tzinfo) -> list[str]:
    return rest(loc, e.details, tz, shown=in_changes(e), action=e.action)


def lines(loc: str, e: Entry, tz: tzinfo) -> list[str]:
    return changes(loc, e.before, e.after, tz) + details(loc, e, tz)


def actor_text(loc: str, label: str, name: str | None) -> str:
    """'Ahmad (pengguna #1)'; the configuration, the demo seed and the command line in words."""
    key = f"sf.actor.{label}"
    who = t(loc, key) if has(key) else target_text(loc, label)
    return f"{name} ({who})" if name else who


def joined(parts: Iterable[str]) -> str | None:
    text = "\n".join(parts)
    return text or None
