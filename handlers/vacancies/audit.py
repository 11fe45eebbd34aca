"""How the audit log reads the vacancies' entries (`vacancy.*`): their targets, kinds and stages."""

from __future__ import annotations

from typing import Any

from handlers.i18n import has, t
from services.staff.audit import AuditFamily


def _is_stage(value: Any) -> bool:
    return isinstance(value, list | tuple) and len(value) == 2 and isinstance(value[1], str) \
        and (value[0] is None or isinstance(value[0], str))


def stage_words(loc: str, value: Any) -> str:
    """A vacancy's stages as recorded: [standard key or None, HR's name] each; the standard's words."""
    if _is_stage(value):
        key = f"vac.stage.{value[0]}"
        return t(loc, key) if value[0] and has(key) else " ".join(value[1].split())
    if isinstance(value, list | tuple):
        return ", ".join(stage_words(loc, v) for v in value)
    return " ".join(str(value).split())


FAMILY = AuditFamily(
    "vacancy", "vaa.audit.family", order=60,
    targets={"application": "vaa.audit.application", "vacancy": "vaa.audit.vacancy", "stage": "vaa.audit.stage"},
    values={"kind": "vac.kind.{}"},  # a vacancy's snapshot (the only "kind" the log records)
    words={"stages": stage_words}, free_text=frozenset({"vacancy"}))
