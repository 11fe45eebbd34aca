"""Shared by the reminder tests: a world of linked civil servants, and outbox/mark readers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from db.models import OutboxMessage, ReminderMark
from handlers.features import bot
from services.demo import seed_demo
from services.settings import Settings
from tests.training_helpers import AHMAD, BUDI, NUR, SITI, linked

# Monday 23 Nov 2026, 10:00 WITA (02:00 UTC): the training tests' clock.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
NIPS = {"siti": SITI, "ahmad": AHMAD, "budi": BUDI, "nur": NUR}
EXTERNAL = {"siti": 810001, "ahmad": 810002, "budi": 810003, "nur": 810004}


async def world(db, now: datetime = NOW) -> dict:  # noqa: ANN001
    """Demo data plus the four demo employees linked to chat accounts; name → Person."""
    async with db.uow() as uow:
        await seed_demo(uow, now, bot().demo)
        await uow.flush()
        people = {k: await linked(uow, nip, EXTERNAL[k]) for k, nip in NIPS.items()}
        await uow.commit()
    return people


async def rows(db, prefix: str = "rm:") -> list[OutboxMessage]:  # noqa: ANN001
    async with db.uow() as uow:
        stmt = select(OutboxMessage).where(OutboxMessage.dedupe_key.like(f"{prefix}%")).order_by(OutboxMessage.id)
        return list((await uow.session.execute(stmt)).scalars())


async def marks(db, prefix: str = "") -> dict[str, str]:  # noqa: ANN001
    async with db.uow() as uow:
        stmt = select(ReminderMark.key, ReminderMark.outcome).where(ReminderMark.key.like(f"{prefix}%"))
        return dict((await uow.session.execute(stmt)).all())


def zone(settings: Settings, tz: str) -> Settings:
    return settings.model_copy(update={"timezone": tz})
