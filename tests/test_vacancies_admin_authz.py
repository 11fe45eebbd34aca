"""Every HR action of the open selection × six kinds of person, at the service layer.

A handler that forgot its check must not open a hole: each service refuses anyone but HR and a
superadmin with Forbidden, and writes nothing. HR and the superadmin succeed. Each call runs in
its own unit of work, rolled back, so one action's effect does not feed another's.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.models import (
    AuditLog,
    OutboxMessage,
    User,
    Vacancy,
    VacancyApplication,
    VacancyDocument,
    VacancyStage,
)
from services.errors import Forbidden
from services.users import person_from_row
from services.vacancies import demo, export, manage, review, selection
from services.vacancies.dto import LULUS
from services.vacancies.fields import VacancyInput

TZ = ZoneInfo("Asia/Makassar")
ROLES = {  # name → (role, linked to an employee record)
    "citizen": ("citizen", False), "asn_linked": ("asn", True), "officer": ("officer", False),
    "hr": ("hr", False), "superadmin": ("superadmin", False), "unlinked": ("asn", False),
}
ALLOWED = {"hr", "superadmin"}


def _input(today, code="JF-TEST-2026-01") -> VacancyInput:
    from services.vacancies.fields import STANDARD_DOCUMENTS
    from services.vacancies.rules import Requirements
    return VacancyInput(code, "Analis Uji", 1, "jf", today + timedelta(days=1), today + timedelta(days=20),
                        Requirements(min_golongan="III/a"), STANDARD_DOCUMENTS[:2],
                        (("administration", "Seleksi administrasi"), (None, "Tes tulis")))


async def _world(app):
    now = app.clock()
    async with app.db.uow() as uow:
        await demo.seed_hr_desk(uow, now)
        employee = (await uow.vacancies.employee(1))
        people = {}
        for i, (name, (role, linked)) in enumerate(ROLES.items()):
            u = uow.users.add(User(channel="telegram", external_id=880000 + i, chat_id=880000 + i, name=name,
                                   role=role, employee_id=employee.id if linked else None))
            await uow.flush()
            people[name] = person_from_row(u)
        draft = (await uow.session.execute(select(Vacancy).where(Vacancy.published_at.is_(None)))).scalar_one()
        application = (await uow.session.execute(select(VacancyApplication))).scalar_one()
        document = (await uow.session.execute(select(VacancyDocument).order_by(VacancyDocument.id))).scalars().first()
        stage = (await uow.session.execute(select(VacancyStage).where(
            VacancyStage.vacancy_id == application.vacancy_id).order_by(VacancyStage.position))).scalars().first()
        await uow.commit()
    return people, {"draft": draft.id, "vacancy": application.vacancy_id, "application": application.id,
                    "document": document.id, "stage": stage.id}


async def setup(name, uow, person, ids, now) -> None:
    """What must be there before the call under test (done as HR, before anything is counted)."""
    if name == "publish_stage":
        await selection.record_result(uow, replace(person, role="hr"), ids["application"], ids["stage"], LULUS, 80,
                                      now=now)


def actions(ids, now):
    today = now.astimezone(TZ).date()

    return {
        "check_access": lambda uow, p: _sync(manage.check_access, p),
        "list_vacancies": lambda uow, p: manage.list_vacancies(uow, p),
        "card": lambda uow, p: manage.card(uow, p, ids["vacancy"]),
        "agencies": lambda uow, p: manage.agencies(uow, p),
        "check_code": lambda uow, p: manage.check_code(uow, p, "JF-NEW-2026-01"),
        "check_agency": lambda uow, p: manage.check_agency(uow, p, "PUPR"),
        "input_of": lambda uow, p: manage.input_of(uow, p, ids["draft"], tz=TZ),
        "save_new_draft": lambda uow, p: manage.save_draft(uow, p, _input(today), now=now, tz=TZ),
        "edit_draft": lambda uow, p: manage.save_draft(uow, p, _input(today, "ADM-BKPSDM-2026-01"),
                                                       vacancy_id=ids["draft"], now=now, tz=TZ),
        "publish": lambda uow, p: manage.publish(uow, p, ids["draft"], now=now),
        "applicants": lambda uow, p: review.applicants(uow, p, ids["vacancy"]),
        "applicant": lambda uow, p: review.applicant(uow, p, ids["application"]),
        "application_of": lambda uow, p: review.application_of(uow, p, ids["document"]),
        "document_file": lambda uow, p: review.document_file(uow, p, ids["document"]),
        "accept_document": lambda uow, p: review.review_document(uow, p, ids["document"], accept=True, now=now),
        "reject_document": lambda uow, p: review.review_document(uow, p, ids["document"], accept=False,
                                                                 reason="Buram", now=now),
        "stage_sheet": lambda uow, p: review.stage_sheet(uow, p, ids["stage"]),
        "record_result": lambda uow, p: selection.record_result(uow, p, ids["application"], ids["stage"], LULUS, 75,
                                                                now=now),
        "publish_stage": lambda uow, p: selection.publish_stage(uow, p, ids["stage"], now=now),
        "export_xlsx": lambda uow, p: export.applicants_file(uow, p, ids["vacancy"]),
    }


async def _sync(fn, *args):
    return fn(*args)


async def _rows(uow, model) -> int:
    return len((await uow.session.execute(select(model))).scalars().all())


@pytest.mark.parametrize("role", list(ROLES))
async def test_every_action_for_every_role(app, role):
    people, ids = await _world(app)
    person = people[role]
    for name, action in actions(ids, app.clock()).items():
        async with app.db.uow() as uow:
            await setup(name, uow, person, ids, app.clock())
            audits, outbox = await _rows(uow, AuditLog), await _rows(uow, OutboxMessage)
            if role in ALLOWED:
                await action(uow, person)
                if name in ("save_new_draft", "edit_draft", "publish", "accept_document", "reject_document",
                            "record_result", "publish_stage"):
                    assert await _rows(uow, AuditLog) > audits, (role, name)  # every change is audited
            else:
                with pytest.raises(Forbidden):
                    await action(uow, person)
                assert (await _rows(uow, AuditLog), await _rows(uow, OutboxMessage)) == (audits, outbox)
            await uow.rollback()


async def test_the_matrix_covers_every_public_service_function(app):
    """A new HR function in these modules must be added to the matrix above."""
    import inspect
    people, ids = await _world(app)
    covered = set(actions(ids, app.clock()))
    names = {n for mod in (manage, review, export) for n, f in vars(mod).items()
             if inspect.iscoroutinefunction(f) and not n.startswith("_") and f.__module__ == mod.__name__}
    names |= {"check_access"}
    missing = names - covered - {"get", "save_draft", "review_document", "applicants_file"}
    assert missing == set(), missing
