from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select

from db.dialect import upsert
from db.models import User
from db.models.choices import NumberedChoices
from db.repositories.base import Repo


class ChoiceRepo(Repo):
    async def remember(self, channel: str, external_id: int, data: list[str], now: datetime) -> None:
        """The person's newest numbered choices (none: the numbers mean nothing any more)."""
        user_id = (await self.session.execute(select(User.id).where(
            User.channel == channel, User.external_id == external_id))).scalar()
        if user_id is None:
            return
        if not data:
            await self.session.execute(delete(NumberedChoices).where(NumberedChoices.user_id == user_id))
            return
        await self.session.execute(upsert(self.dialect, NumberedChoices, {"user_id": user_id, "data": data, "at": now},
                                          ["user_id"], ["data", "at"]))

    async def recall(self, channel: str, external_id: int) -> list[str]:
        stmt = (select(NumberedChoices.data).join(User, User.id == NumberedChoices.user_id)
                .where(User.channel == channel, User.external_id == external_id))
        data = (await self.session.execute(stmt)).scalar()
        return [str(d) for d in data] if isinstance(data, list) else []
