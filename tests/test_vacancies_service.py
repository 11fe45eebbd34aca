"""The open selection's services on SQLite and PostgreSQL: eligibility from the record, the
application life cycle, whose application it is, and HR's results with audit and notices."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from db.models import AuditLog, OutboxMessage, User, VacancyApplication, VacancyDocument
from handlers.features import bot
from services.civil_service import Predikat
from services.demo import seed_demo
from services.errors import DomainError, Forbidden, NotFound
from services.users import person_from_row
from services.vacancies import applications as svc
from services.vacancies import documents, selection
from services.vacancies.dto import LULUS, TIDAK_LULUS
from tests.harness import Clock

TZ = ZoneInfo("Asia/Makassar")
SITI, AHMAD, BUDI = "199001052015032002", "198503122010011001", "197804172005011003"
PDF = {"name": "berkas.pdf", "size": 120_000, "mime": "application/pdf", "is_photo": False, "content": b"%PDF-1.4 x"}
PHOTO = {**PDF, "is_photo": True, "content": b"\xff\xd8\xff\xe0 jpeg"}


@pytest.fixture
async def world(db):
    now = Clock()()
    async with db.uow() as uow:
        await seed_demo(uow, now, bot().demo)
        people = {}
        for i, (key, nip, role) in enumerate((("siti", SITI, "asn"), ("ahmad", AHMAD, "hr"), ("budi", BUDI, "asn"))):
            emp = await uow.employees.by_nip(nip)
            if key == "budi":  # a second applicant for the JF vacancy: same kind and rank as Siti
                emp.golongan, emp.jabatan_kind = "III/c", "jf_ahli_pertama"
            user = uow.users.add(User(channel="telegram", external_id=800000 + i, chat_id=800000 + i, name=key,
                                      role=role, employee_id=emp.id, state_data={}, created_at=now,
                                      last_seen_at=now))
            await uow.flush()
            people[key] = person_from_row(user)
        rina = uow.users.add(User(channel="telegram", external_id=800009, chat_id=800009, name="Rina",
                                  role="citizen", state_data={}, created_at=now, last_seen_at=now))
        await uow.flush()
        people["rina"] = person_from_row(rina)
        jf = await uow.vacancies.by_code("JF-DINKES-2026-01")
        jpt = await uow.vacancies.by_code("JPT-DINKES-2026-01")
        await uow.commit()
    return {"db": db, "now": now, "jf": jf.id, "jpt": jpt.id, **people}


async def applied(db, who, vacancy_id, now, *, submit=True) -> int:
    async with db.uow() as uow:
        app = await svc.apply(uow, who, vacancy_id, now=now, tz=TZ)
        for item in app.vacancy.documents:
            app = await documents.attach(uow, who, app.id, item.code, file_id=f"f-{item.code}-{who.id}", now=now, tz=TZ,
                                   **(PHOTO if item.types == ("image",) else PDF))
        if submit:
            await svc.submit(uow, who, app.id, now=now, tz=TZ)
        await uow.commit()
        return app.id


async def test_siti_meets_one_vacancy_and_not_the_other_with_reasons(world):
    async with world["db"].uow() as uow:
        found = {v.code: v for v in await svc.list_open(uow, world["siti"], now=world["now"], tz=TZ)}
    assert found["JF-DINKES-2026-01"].eligible
    jpt = found["JPT-DINKES-2026-01"]
    assert [u.rule for u in jpt.unmet] == ["golongan", "predikat_none", "jabatan"]
    assert [s.key for s in jpt.stages][0] == "registration" and len(jpt.stages) == 8


async def test_the_predikat_rule_reads_the_history_it_is_given(world):
    async def history(uow, employee_id):
        return {2026: Predikat.BAIK, 2025: Predikat.BUTUH_PERBAIKAN}  # JPT closes in Dec 2026: 2025 and 2024

    async with world["db"].uow() as uow:
        jpt = await svc.view(uow, world["siti"], world["jpt"], now=world["now"], tz=TZ, history=history)
    assert [(u.rule, u.params.get("year")) for u in jpt.unmet] == [
        ("golongan", None), ("predikat_low", 2025), ("predikat_missing", 2024), ("jabatan", None)]


async def test_not_linked_and_unknown_vacancies(world):
    async with world["db"].uow() as uow:
        with pytest.raises(svc.NotLinked):
            await svc.list_open(uow, world["rina"], now=world["now"], tz=TZ)
        with pytest.raises(svc.NotLinked):
            await svc.apply(uow, world["rina"], world["jf"], now=world["now"], tz=TZ)
        with pytest.raises(NotFound):
            await svc.view(uow, world["siti"], 999999, now=world["now"], tz=TZ)


async def test_application_life_cycle(world):
    db, siti, now = world["db"], world["siti"], world["now"]
    async with db.uow() as uow:
        app = await svc.apply(uow, siti, world["jf"], now=now, tz=TZ)
        assert app.status == "draft" and [m.code for m in app.missing] == ["lamaran", "sk_pangkat", "foto"]
        with pytest.raises(DomainError, match="vac.err.incomplete"):
            await svc.submit(uow, siti, app.id, now=now, tz=TZ)
        with pytest.raises(DomainError, match="vac.err.file_type"):
            await documents.attach(uow, siti, app.id, "foto", file_id="x", now=now, tz=TZ, **PDF)
        with pytest.raises(DomainError, match="vac.err.file_too_big"):
            await documents.attach(uow, siti, app.id, "lamaran", file_id="x", now=now, tz=TZ,
                             **{**PDF, "size": 30 * 1024 * 1024})
        with pytest.raises(DomainError, match="vac.err.no_such_document"):
            await documents.attach(uow, siti, app.id, "ijazah", file_id="x", now=now, tz=TZ, **PDF)
        app = await documents.attach(uow, siti, app.id, "lamaran", file_id="first", now=now, tz=TZ, **PDF)
        app = await documents.attach(uow, siti, app.id, "lamaran", file_id="second", now=now, tz=TZ,
                               **{**PDF, "name": "lamaran-baru.pdf"})  # a second upload replaces the first
        assert [d.name for d in app.documents] == ["lamaran-baru.pdf"]
        app = await documents.attach(uow, siti, app.id, "sk_pangkat", file_id="sk", now=now, tz=TZ,
                               name=None, size=5000, mime="image/jpeg", is_photo=True, content=PHOTO["content"])
        again = await svc.apply(uow, siti, world["jf"], now=now, tz=TZ)  # the same draft, resumed
        assert again.id == app.id
        app = await documents.attach(uow, siti, app.id, "foto", file_id="foto", now=now, tz=TZ,
                               name=None, size=3000, mime=None, is_photo=True, content=PHOTO["content"])
        assert app.complete
        app = await svc.submit(uow, siti, app.id, now=now, tz=TZ)
        assert app.status == "submitted"
        with pytest.raises(DomainError, match="vac.err.already_applied"):
            await svc.apply(uow, siti, world["jf"], now=now, tz=TZ)
        with pytest.raises(DomainError, match="vac.err.not_rejected"):  # only a rejected file may change now
            await documents.attach(uow, siti, app.id, "foto", file_id="y", now=now, tz=TZ, **PHOTO)
        await svc.withdraw(uow, siti, app.id, now=now, tz=TZ)
        with pytest.raises(DomainError, match="vac.err.withdrawn"):
            await svc.withdraw(uow, siti, app.id, now=now, tz=TZ)
        back = await svc.apply(uow, siti, world["jf"], now=now, tz=TZ)  # before closing: applying again
        assert (back.id, back.status, back.complete) == (app.id, "draft", True)
        await uow.commit()
    async with db.uow() as uow:
        docs = (await uow.session.execute(select(VacancyDocument).order_by(VacancyDocument.code))).scalars().all()
        assert [(d.code, d.file_id, d.mime) for d in docs] == [
            ("foto", "foto", "image/jpeg"), ("lamaran", "second", "application/pdf"), ("sk_pangkat", "sk", "image/jpeg")]


async def test_not_eligible_cannot_apply(world):
    async with world["db"].uow() as uow:
        with pytest.raises(svc.NotEligible) as e:
            await svc.apply(uow, world["siti"], world["jpt"], now=world["now"], tz=TZ)
    assert [u.rule for u in e.value.unmet] == ["golongan", "predikat_none", "jabatan"]


async def test_someone_elses_application_is_not_found_by_the_service(world):
    db, now = world["db"], world["now"]
    app_id = await applied(db, world["siti"], world["jf"], now, submit=False)
    async with db.uow() as uow:
        for call in (
            svc.application(uow, world["budi"], app_id, now=now, tz=TZ),
            svc.tracking(uow, world["budi"], app_id, now=now, tz=TZ),
            svc.submit(uow, world["budi"], app_id, now=now, tz=TZ),
            svc.withdraw(uow, world["budi"], app_id, now=now, tz=TZ),
            documents.attach(uow, world["budi"], app_id, "lamaran", file_id="forged", now=now, tz=TZ, **PDF),
        ):
            with pytest.raises(NotFound, match="vac.err.no_application"):
                await call
        await uow.commit()
    async with db.uow() as uow:
        app = await uow.session.get(VacancyApplication, app_id)
        assert app.status == "draft"
        files = (await uow.session.execute(select(VacancyDocument.file_id))).scalars().all()
        assert "forged" not in files


async def test_nothing_after_the_closing_date(world):
    db, siti, now = world["db"], world["siti"], world["now"]
    app_id = await applied(db, siti, world["jf"], now, submit=False)
    async with db.uow() as uow:
        closes = (await uow.vacancies.get(world["jf"])).closes_at
    late = closes  # closing is exclusive: at the closing instant registration is over
    async with db.uow() as uow:
        for call in (svc.apply(uow, world["budi"], world["jf"], now=late, tz=TZ),
                     svc.submit(uow, siti, app_id, now=late, tz=TZ),
                     svc.withdraw(uow, siti, app_id, now=late, tz=TZ),
                     documents.attach(uow, siti, app_id, "lamaran", file_id="late", now=late, tz=TZ, **PDF)):
            with pytest.raises(svc.Closed):
                await call
        just_before = closes - timedelta(seconds=1)
        assert (await svc.submit(uow, siti, app_id, now=just_before, tz=TZ)).status == "submitted"


async def test_hr_records_and_publishes_with_audit_and_notices(world):
    db, now = world["db"], world["now"]
    siti_app = await applied(db, world["siti"], world["jf"], now)
    budi_app = await applied(db, world["budi"], world["jf"], now)
    async with db.uow() as uow:
        stages = (await uow.vacancies.stages([world["jf"]]))[world["jf"]]
    first, second = stages[0].id, stages[1].id
    async with db.uow() as uow:
        with pytest.raises(Forbidden):
            await selection.record_result(uow, world["siti"], siti_app, first, LULUS, now=now)
        with pytest.raises(Forbidden):
            await selection.publish_stage(uow, world["siti"], first, now=now)
        with pytest.raises(DomainError, match="vac.err.bad_score"):
            await selection.record_result(uow, world["ahmad"], siti_app, first, LULUS, 101, now=now)
        with pytest.raises(DomainError, match="vac.err.bad_status"):
            await selection.record_result(uow, world["ahmad"], siti_app, first, "<b>maybe", now=now)
        await selection.record_result(uow, world["ahmad"], siti_app, first, LULUS, 82.5, now=now)
        with pytest.raises(DomainError, match="vac.err.results_missing"):
            await selection.publish_stage(uow, world["ahmad"], first, now=now)
        with pytest.raises(DomainError, match="vac.err.earlier_unpublished"):
            await selection.publish_stage(uow, world["ahmad"], second, now=now)
        await selection.record_result(uow, world["ahmad"], budi_app, first, TIDAK_LULUS, 40, now=now)
        # Before the announcement the applicant sees the stage under way and no score.
        tr = await svc.tracking(uow, world["siti"], siti_app, now=now, tz=TZ)
        assert [(p.status, p.score) for p in tr.stages[:2]] == [("berjalan", None), ("belum", None)]
        with pytest.raises(NotFound):
            await svc.announcement(uow, world["siti"], first, now=now, tz=TZ)
        assert await selection.publish_stage(uow, world["ahmad"], first, now=now) == 2
        with pytest.raises(DomainError, match="vac.err.already_published"):
            await selection.publish_stage(uow, world["ahmad"], first, now=now)
        await uow.commit()
    async with db.uow() as uow:
        tr = await svc.tracking(uow, world["siti"], siti_app, now=now, tz=TZ)
        assert (tr.stages[0].status, tr.stages[0].score) == (LULUS, 82.5)
        ann = await svc.announcement(uow, world["budi"], first, now=now, tz=TZ)  # transparent to every applicant
        assert [(r.name, r.status, r.mine) for r in ann.rows] == [
            ("Siti Rahmawati, S.Kep.", LULUS, False), ("Budi Santoso, S.T.", TIDAK_LULUS, True)]
        assert not hasattr(ann.rows[0], "score")
        with pytest.raises(NotFound):  # not an applicant
            await svc.announcement(uow, world["rina"], first, now=now, tz=TZ)
        outbox = (await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars().all()
        assert sorted((o.user_id, o.template, o.params["status"], o.params["score"]) for o in outbox) == sorted([
            (world["siti"].id, "vac.result", LULUS, 82.5), (world["budi"].id, "vac.result", TIDAK_LULUS, 40.0)])
        actions = (await uow.session.execute(select(AuditLog.action))).scalars().all()
        assert actions.count("vacancy.result") == 2 and "vacancy.publish" in actions
        # Budi is out of the running: no result at the next stage, and when it is announced he is told too.
        with pytest.raises(DomainError, match="vac.err.eliminated"):
            await selection.record_result(uow, world["ahmad"], budi_app, second, LULUS, now=now)
        await selection.record_result(uow, world["ahmad"], siti_app, second, LULUS, now=now)
        assert await selection.publish_stage(uow, world["ahmad"], second, now=now) == 2
        await uow.commit()


async def test_a_published_result_is_never_changed_silently(world):
    db, now = world["db"], world["now"]
    siti_app = await applied(db, world["siti"], world["jf"], now)
    async with db.uow() as uow:
        first = (await uow.vacancies.stages([world["jf"]]))[world["jf"]][0].id
        await selection.record_result(uow, world["ahmad"], siti_app, first, TIDAK_LULUS, 55, now=now)
        await selection.record_result(uow, world["ahmad"], siti_app, first, LULUS, 75, now=now)  # before: free
        await selection.publish_stage(uow, world["ahmad"], first, now=now)
        await uow.commit()
    async with db.uow() as uow:
        with pytest.raises(DomainError, match="vac.err.published"):
            await selection.record_result(uow, world["ahmad"], siti_app, first, TIDAK_LULUS, 75, now=now)
        with pytest.raises(DomainError, match="vac.err.published"):
            await selection.record_result(uow, world["ahmad"], siti_app, first, TIDAK_LULUS, 75, now=now, reason="  ")
        fixed = await selection.record_result(uow, world["ahmad"], siti_app, first, LULUS, 78, now=now,
                                              reason="salah input nilai")
        assert (fixed.revision, fixed.score) == (2, 78.0)
        await uow.commit()
    async with db.uow() as uow:
        audit = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "vacancy.result_corrected"))
                 ).scalar_one()
        assert audit.details["old"] == {"status": LULUS, "score": 75.0} and audit.details["reason"] == "salah input nilai"
        notices = (await uow.session.execute(select(OutboxMessage.params))).scalars().all()
        assert [n["corrected"] for n in notices] == [False, True]



async def test_the_predikat_rule_reads_the_appraisal_records(app) -> None:
    """The wiring at merge: a vacancy's minimum predikat is checked against the person's SKP history."""
    from services.appraisal.history import predikat_by_year
    from services.civil_service import Predikat

    async with app.db.uow() as uow:
        siti = await uow.employees.by_nip("199001052015032002")
        history = await predikat_by_year(uow, siti.id)
    # The demo gives Siti three rated years and a current period in progress (no predikat yet).
    assert len(history) == 3 and set(history.values()) <= set(Predikat)
    assert Predikat.SANGAT_BAIK in history.values()
