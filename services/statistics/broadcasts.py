"""Broadcast delivery rates in the statistics: `services.broadcasts.delivery_summary` adapted.

`summary.summary(..., delivery=PROVIDER)` takes any `DeliveryProvider`, so tests can pass a fake;
the real one reads the broadcasts of the period. Broadcasts are HR's: an officer's statistics have
no broadcast section.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from db.uow import UnitOfWork
from services.broadcasts.progress import delivery_summary
from services.roles import ADMINS
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



async def from_broadcasts(uow: UnitOfWork, person: Person, since: datetime, until: datetime,
                          ) -> BroadcastDelivery | None:
    """The period's broadcasts and how their copies ended; None for officers or a period without any."""
    if person.role not in ADMINS:
        return None
    s = await delivery_summary(uow, person, since, until)
    if not s.broadcasts:
        return None
    return BroadcastDelivery(broadcasts=s.broadcasts, recipients=s.rows - s.cancelled, delivered=s.sent,
                             failed=s.failed, unreachable=s.unreachable)


PROVIDER: DeliveryProvider | None = from_broadcasts
