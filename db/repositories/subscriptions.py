from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, select

from db.dialect import upsert
from db.models import Subscription, User
from db.repositories.base import Repo


class SubscriptionRepo(Repo):
    async def of_user(self, user_id: int) -> dict[str, str]:
        """topic → the choice this person stored (topics they never touched are absent)."""
        stmt = select(Subscription.topic, Subscription.choice).where(Subscription.user_id == user_id)
        return {t: c for t, c in (await self.session.execute(stmt)).all()}

    async def put(self, user_id: int, topic: str, choice: str, now: datetime) -> None:
        """One row per person and topic, whichever of two presses lands first."""
        stmt = upsert(self.dialect, Subscription.__table__,
                      {"user_id": user_id, "topic": topic, "choice": choice, "updated_at": now},
                      keys=["user_id", "topic"], update=["choice", "updated_at"])
        await self.session.execute(stmt)

    async def choices(self, topic: str, default: str) -> dict[int, str]:
        """user id → effective choice for `topic`, for every linked civil servant who can be told.

        A person without a row has the topic's default; erased people and accounts no longer
        linked to an employee record are left out.
        """
        stmt = (select(User.id, func.coalesce(Subscription.choice, default))
                .outerjoin(Subscription, and_(Subscription.user_id == User.id, Subscription.topic == topic))
                .where(User.employee_id.is_not(None), User.erased.is_(False))
                .order_by(User.id))
        return {int(uid): str(choice) for uid, choice in (await self.session.execute(stmt)).all()}
