"""The seam for broadcast delivery rates in the statistics.

Broadcasts are built in parallel; when they land, `services.broadcasts.delivery_summary(uow,
person, since, until)` is adapted to `DeliveryProvider` (one function returning the DTO below)
and passed to `summary.summary(..., delivery=...)`, which the handler does through `PROVIDER`.
Until then `PROVIDER` is None and the summary has no broadcast section. Nothing here imports
the broadcasts module, so this package works before and after it exists.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from db.uow import UnitOfWork
from services.users import Person


@dataclass(frozen=True)
class BroadcastDelivery:
    broadcasts: int  # broadcasts sent in the window
    recipients: int  # messages queued for them
    delivered: int
    failed: int
    unreachable: int  # blocked the bot / never started it

    @property
    def delivered_share(self) -> float | None:
        return self.delivered / self.recipients if self.recipients else None


DeliveryProvider = Callable[[UnitOfWork, Person, datetime, datetime], Awaitable[BroadcastDelivery | None]]

# Set at merge time to an adapter around services.broadcasts.delivery_summary; None: no section.
PROVIDER: DeliveryProvider | None = None
