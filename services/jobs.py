"""A scheduled job as data: a feature's manifest lists its jobs, the scheduler runs them.

Jobs own no state: each run computes from the database what is due and writes outbox rows
whose dedupe keys make a repeated run harmless.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from db.engine import Database
    from services.settings import Settings

JobFunc = Callable[["Database", "Settings", datetime], Awaitable[None]]


@dataclass(frozen=True)
class Job:
    """`func(db, settings, now)` on an APScheduler trigger.

    `trigger` holds the trigger's arguments: `{"minutes": 1}` for an interval,
    `{"hour": 7, "minute": 0}` with kind="cron" (in the deployment's time zone).
    """

    name: str
    func: JobFunc
    trigger: dict[str, Any] = field(default_factory=lambda: {"minutes": 1})
    kind: Literal["interval", "cron"] = "interval"
    run_at_start: bool = True  # interval jobs: catch up at once instead of one interval later
