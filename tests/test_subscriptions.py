"""Subscriptions as data: defaults, one's own choice only, and who the senders will reach."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import update

from db.models import Employee, User
from handlers.features import bot
from services import subscriptions as subs
from services.demo import seed_demo
from services.errors import InvalidInput
from services.training.reminders import TOPIC as TRAINING
from services.users import Person
from services.vacancies.reminders import TOPIC as VACANCY

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


async def _people(db) -> list[Person]:  # noqa: ANN001
    """Four users: three linked civil servants (one of them erased later) and one citizen."""
    async with db.uow() as uow:
        await seed_demo(uow, NOW, bot().demo)
        await uow.flush()
        emps = list((await uow.session.execute(
            Employee.__table__.select().order_by(Employee.id))).all())
        people = []
        for i, emp_id in enumerate([e.id for e in emps[:3]] + [None]):
            u = uow.users.add(User(channel="telegram", external_id=5000 + i, chat_id=5000 + i, name=f"u{i}",
                                   role="asn" if emp_id else "citizen", employee_id=emp_id, state_data={},
                                   created_at=NOW, last_seen_at=NOW))
            await uow.flush()
            people.append(Person(id=u.id, chat_id=u.chat_id, external_id=u.external_id, name=u.name,
                                 username=None, role=u.role, agency_id=None, employee_id=emp_id, locale="id",
                                 language_code="id"))
        await uow.commit()
    return people


async def test_defaults_choices_and_subscribers(db) -> None:  # noqa: ANN001
    a, b, c, citizen = await _people(db)
    async with db.uow() as uow:
        first = await subs.get(uow, a, topics=bot().topics)
        assert [(x.topic, x.choice, x.is_default) for x in first.choices] == [
            ("vacancy", "eligible", True), ("training", "on", True)]
        await subs.set(uow, a, "vacancy", "all", topics=bot().topics, now=NOW)
        await subs.set(uow, b, "vacancy", "off", topics=bot().topics, now=NOW)
        await subs.set(uow, b, "training", "off", topics=bot().topics, now=NOW)
        again = await subs.set(uow, b, "training", "off", topics=bot().topics, now=NOW)  # idempotent
        assert again.of("training") == "off" and not again.choices[1].is_default
        await uow.commit()
    async with db.uow() as uow:
        assert await subs.choices(uow, VACANCY) == {a.id: "all", b.id: "off", c.id: "eligible"}
        assert await subs.subscribers(uow, VACANCY) == [a.id, c.id]
        assert await subs.subscribers(uow, TRAINING) == [a.id, c.id]
        # An erased person and an account no longer linked are told nothing.
        await uow.session.execute(update(User).where(User.id == c.id).values(erased=True))
        await uow.session.execute(update(User).where(User.id == a.id).values(employee_id=None))
        assert await subs.subscribers(uow, VACANCY) == []
        assert citizen.id not in await subs.subscribers(uow, TRAINING)


async def test_bad_topics_and_choices_and_citizens_are_refused(db) -> None:  # noqa: ANN001
    a, _, _, citizen = await _people(db)
    async with db.uow() as uow:
        for topic, choice in (("vacancy", "on"), ("training", "all"), ("news", "on"), ("", ""),
                              ("vacancy", "<b>&"), ("training", "\x00")):
            with pytest.raises(InvalidInput):
                await subs.set(uow, a, topic, choice, topics=bot().topics, now=NOW)
        with pytest.raises(subs.NotLinked):
            await subs.get(uow, citizen, topics=bot().topics)
        with pytest.raises(subs.NotLinked):
            await subs.set(uow, citizen, "training", "on", topics=bot().topics, now=NOW)
        assert subs.find(bot().topics, "news") is None  # citizens' opt-in, not a civil servants' topic
        assert (await subs.get(uow, a, topics=bot().topics)).of("vacancy") == "eligible"
