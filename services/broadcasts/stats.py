"""The broadcasts' section of `/statistik`: how the period's broadcasts were delivered.

Broadcasts are HR's: an officer's statistics have no broadcast section (`compute` is None).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from db.uow import UnitOfWork
from services.broadcasts import progress
from services.roles import ADMINS
from services.statistics.section import Section, Window, Words


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


async def compute(uow: UnitOfWork, w: Window) -> BroadcastDelivery | None:
    """The period's broadcasts and how their copies ended; None for officers or a period without any."""
    if w.person.role not in ADMINS:
        return None
    s = await progress.delivery_summary(uow, w.person, w.since, w.until)
    if not s.broadcasts:
        return None
    return BroadcastDelivery(broadcasts=s.broadcasts, recipients=s.rows - s.cancelled, delivered=s.sent,
                             failed=s.failed, unreachable=s.unreachable)


def text(words: Words, b: BroadcastDelivery) -> Sequence[str]:
    return (words.t("stx.broadcasts", count=b.broadcasts, delivered=b.delivered, recipients=b.recipients,
                    share=words.pct(b.delivered_share), failed=b.failed, unreachable=b.unreachable),)


SECTION = Section("broadcasts", compute, text, order=40)
