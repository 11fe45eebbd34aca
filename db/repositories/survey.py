from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import exists, func, select, update

from db.dialect import insert_ignore
from db.models import Agency, ServiceUnit, SurveyResponse
from db.repositories.base import Repo, rowcount

SCORES = (SurveyResponse.q1, SurveyResponse.q2, SurveyResponse.q3, SurveyResponse.q4, SurveyResponse.q5,
          SurveyResponse.q6, SurveyResponse.q7, SurveyResponse.q8, SurveyResponse.q9)


class SurveyRepo(Repo):
    async def units(self, *, agency_id: int | None = None, active_only: bool = True
                    ) -> list[tuple[ServiceUnit, Agency]]:
        """Units with their agency, ordered by agency then unit name."""
        stmt = select(ServiceUnit, Agency).join(Agency, Agency.id == ServiceUnit.agency_id)
        if active_only:
            stmt = stmt.where(ServiceUnit.active.is_(True))
        if agency_id is not None:
            stmt = stmt.where(ServiceUnit.agency_id == agency_id)
        stmt = stmt.order_by(Agency.name, ServiceUnit.name, ServiceUnit.id)
        return [(u, a) for u, a in (await self.session.execute(stmt)).all()]

    async def unit_by_code(self, code: str) -> tuple[ServiceUnit, Agency] | None:
        stmt = (select(ServiceUnit, Agency).join(Agency, Agency.id == ServiceUnit.agency_id)
                .where(ServiceUnit.code == code.upper()))
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def unit(self, unit_id: int) -> tuple[ServiceUnit, Agency] | None:
        stmt = (select(ServiceUnit, Agency).join(Agency, Agency.id == ServiceUnit.agency_id)
                .where(ServiceUnit.id == unit_id))
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    def add_unit(self, unit: ServiceUnit) -> ServiceUnit:
        self.session.add(unit)
        return unit

    async def responded_on(self, unit_id: int, user_id: int, day: date) -> bool:
        stmt = select(exists().where(SurveyResponse.unit_id == unit_id, SurveyResponse.user_id == user_id,
                                     SurveyResponse.local_date == day))
        return bool((await self.session.execute(stmt)).scalar())

    async def add_response_once(self, values: dict[str, Any]) -> int | None:
        """Insert a response; None when the person already answered for that unit that day."""
        stmt = insert_ignore(self.dialect, SurveyResponse, values).returning(SurveyResponse.id)
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def totals(self, unit_ids: list[int], start: date, end: date) -> dict[int, tuple[int, list[int]]]:
        """Per unit: (number of responses, score total per element) between two local dates inclusive."""
        if not unit_ids:
            return {}
        stmt = (select(SurveyResponse.unit_id, func.count(), *(func.sum(c) for c in SCORES))
                .where(SurveyResponse.unit_id.in_(unit_ids), SurveyResponse.local_date >= start,
                       SurveyResponse.local_date <= end)
                .group_by(SurveyResponse.unit_id))
        rows = (await self.session.execute(stmt)).all()
        return {int(r[0]): (int(r[1]), [int(v) for v in r[2:]]) for r in rows}

    async def comments(self, unit_id: int, start: date, end: date, limit: int) -> list[tuple[date, str]]:
        """The newest comments for a unit in a period, without who wrote them."""
        stmt = (select(SurveyResponse.local_date, SurveyResponse.comment)
                .where(SurveyResponse.unit_id == unit_id, SurveyResponse.comment.is_not(None),
                       SurveyResponse.local_date >= start, SurveyResponse.local_date <= end)
                .order_by(SurveyResponse.id.desc()).limit(limit))
        # The WHERE keeps NULLs out: the cast drops None from the column's type.
        return [(d, cast(str, c)) for d, c in (await self.session.execute(stmt)).all()]

    async def forget_person(self, user_id: int) -> int:
        """Answers stay in the index; who gave them does not."""
        res = await self.session.execute(
            update(SurveyResponse).where(SurveyResponse.user_id == user_id).values(user_id=None))
        return rowcount(res)

    async def survey_rows(self, start: date, end: date, agency_id: int | None, limit: int,
                          ) -> list[tuple[SurveyResponse, str, str, str]]:
        """(response, unit code, unit name, agency name) between two local dates inclusive, oldest first."""
        stmt = (select(SurveyResponse, ServiceUnit.code, ServiceUnit.name, Agency.name)
                .join(ServiceUnit, ServiceUnit.id == SurveyResponse.unit_id)
                .join(Agency, Agency.id == ServiceUnit.agency_id)
                .where(SurveyResponse.local_date >= start, SurveyResponse.local_date <= end))
        if agency_id is not None:
            stmt = stmt.where(ServiceUnit.agency_id == agency_id)
        stmt = stmt.order_by(SurveyResponse.local_date, SurveyResponse.id).limit(limit)
        return [(r, code, name, agency) for r, code, name, agency in (await self.session.execute(stmt)).all()]
