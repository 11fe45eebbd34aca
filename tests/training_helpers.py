"""Shared by the training tests: linked civil servants, trainings made for a test, audit rows."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from db.models import AuditLog, User
from db.models.training import Enrolment, Training
from db.uow import UnitOfWork
from services.users import Person

SITI, AHMAD, BUDI, NUR = "199001052015032002", "198503122010011001", "197804172005011003", "199512202023212004"


async def linked(uow: UnitOfWork, nip: str, external_id: int, role: str = "asn") -> Person:
    """A chat account linked to the demo employee `nip` (what /tautkan leaves behind)."""
    emp = await uow.employees.by_nip(nip)
    assert emp is not None
    u = await uow.users.by_external("telegram", external_id)
    if u is None:
        u = uow.users.add(User(channel="telegram", external_id=external_id, chat_id=external_id, name=emp.name,
                               role=role, state_data={}))
    u.employee_id = emp.id
    await uow.flush()
    return Person(id=u.id, chat_id=u.chat_id, external_id=u.external_id, name=u.name or "", username=None,
                  role=u.role, agency_id=u.agency_id, employee_id=emp.id, locale=None, language_code="id")


async def training(uow: UnitOfWork, now: datetime, code: str = "T-1", *, quota: int = 10, days: int = 10,
                   hours: int = 8, closes_in: timedelta | None = None, **kw: object) -> Training:
    starts = now + timedelta(days=days)
    closes = now + closes_in if closes_in is not None else starts - timedelta(days=2)
    t = uow.trainings.add(Training(
        code=code, title=kw.pop("title", f"Pelatihan {code}"), topic=kw.pop("topic", ""), organiser="BKPSDM",
        starts_at=starts, ends_at=starts + timedelta(hours=hours), place="Aula", online_url=None, jp=kw.pop("jp", 8),
        quota=quota, registration_closes_at=closes, status="open", jabatan_kinds=kw.pop("jabatan_kinds", []),
        agency_ids=kw.pop("agency_ids", []), **kw))
    await uow.flush()
    return t


async def by_code(uow: UnitOfWork, code: str) -> Training:
    return (await uow.session.execute(select(Training).where(Training.code == code))).scalar_one()


async def statuses(uow: UnitOfWork, training_id: int) -> dict[int, str]:
    rows = (await uow.session.execute(select(Enrolment).where(Enrolment.training_id == training_id))).scalars()
    return {e.employee_id: e.status for e in rows}


async def audit_rows(app, action: str) -> list[AuditLog]:  # noqa: ANN001
    """The audit log's entries of one action, oldest first."""
    async with app.db.uow() as uow:
        stmt = select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)
        return list((await uow.session.execute(stmt)).scalars())
