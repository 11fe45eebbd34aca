"""The other reminder jobs on a fake clock: vacancies, SKP, complaints, JP, housekeeping, batches."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select, update

from db.models import (
    ActivationCode,
    Agency,
    Appraisal,
    Complaint,
    Enrolment,
    User,
    Vacancy,
    VacancyApplication,
    VacancyDocument,
)
from handlers import build_router
from handlers.features import bot
from handlers.notices import render_notice
from services import subscriptions as subs
from services.appraisal.reminders import skp_reminders
from services.complaints.reminders import complaint_reminders
from services.reminders import core, prefs
from services.reminders.housekeeping import housekeeping
from services.training.jp import jp_nudges
from services.training.reminder_notices import JpNudge
from services.vacancies.reminders import vacancy_reminders
from tests.reminder_helpers import NOW, marks, rows, world
from tests.training_helpers import training

build_router()


async def _vacancy(db, *, published: datetime | None, opens: datetime, closes: datetime,  # noqa: ANN001
                   requirements: dict | None = None) -> int:
    async with db.uow() as uow:
        agency = await uow.agencies.by_code("PUPR")
        v = uow.vacancies.add(Vacancy(code=f"RM-{opens.timestamp():.0f}", jabatan="Kepala <Bidang> & Jalan",
                                      agency_id=agency.id, kind="administrator", requirements=requirements or {},
                                      documents=[{"code": "cv", "label": "Riwayat hidup", "types": ["pdf"]},
                                                 {"code": "sk", "label": "SK <pangkat>", "types": ["pdf"]}],
                                      opens_at=opens, closes_at=closes, published_at=published, created_at=NOW))
        await uow.commit()
        return v.id


async def test_a_vacancy_is_announced_once_published_with_each_persons_verdict(db, settings) -> None:  # noqa: ANN001
    people = await world(db)
    vid = await _vacancy(db, published=None, opens=NOW, closes=NOW + timedelta(days=20),
                         requirements={"min_golongan": "IV/a"})
    async with db.uow() as uow:
        await subs.set(uow, people["siti"], "vacancy", "all", topics=bot().topics, now=NOW)
        await subs.set(uow, people["nur"], "vacancy", "off", topics=bot().topics, now=NOW)
        await uow.commit()
    await vacancy_reminders(db, settings, NOW + timedelta(minutes=1))
    assert await rows(db, f"rm:vac:new:{vid}:") == []  # HR's draft: nobody hears of it
    async with db.uow() as uow:  # HR presses publish
        await uow.session.execute(update(Vacancy).where(Vacancy.id == vid).values(published_at=NOW + timedelta(hours=1)))
        await uow.commit()
    for minute in (61, 62):
        await vacancy_reminders(db, settings, NOW + timedelta(minutes=minute))
    got = {r.user_id: r for r in await rows(db, f"rm:vac:new:{vid}:")}
    # Budi (IV/a) is eligible; Siti (III/b) chose "all" and hears with her verdict; Ahmad (III/c)
    # has the default "eligible only"; Nur switched vacancies off.
    assert set(got) == {people["budi"].id, people["siti"].id}
    assert got[people["budi"].id].params["unmet"] == "" and got[people["siti"].id].params["unmet"] == "golongan"
    id_text = render_notice("rm.vac.new", got[people["siti"].id].params, "id").text
    en_text = render_notice("rm.vac.new", got[people["budi"].id].params, "en").text
    assert "Kepala &lt;Bidang&gt; &amp; Jalan" in id_text and "golongan" in id_text and "belum terpenuhi" in id_text
    assert "you are eligible" in en_text


async def test_closing_soon_reaches_applicants_with_documents_missing(db, settings) -> None:  # noqa: ANN001
    people = await world(db)
    closes = NOW + timedelta(days=5)
    vid = await _vacancy(db, published=NOW, opens=NOW, closes=closes)
    async with db.uow() as uow:
        apps = {}
        for name in ("siti", "ahmad", "budi"):
            a = await uow.vacancies.add_application({"vacancy_id": vid, "employee_id": people[name].employee_id,
                                                     "user_id": people[name].id, "status": "draft"})
            apps[name] = a.id
        for code in ("cv", "sk"):  # Ahmad has everything
            uow.vacancies.add(VacancyDocument(application_id=apps["ahmad"], code=code, file_id=f"f-{code}"))
        uow.vacancies.add(VacancyDocument(application_id=apps["siti"], code="cv", file_id="f-cv"))
        await uow.session.execute(update(VacancyApplication).where(VacancyApplication.id == apps["budi"])
                                  .values(status="submitted"))
        await uow.commit()
    await vacancy_reminders(db, settings, closes - timedelta(hours=72, minutes=1))
    assert await rows(db, f"rm:vac:docs:{vid}:") == []
    await vacancy_reminders(db, settings, closes - timedelta(hours=72))
    got = await rows(db, f"rm:vac:docs:{vid}:")
    assert [r.user_id for r in got] == [people["siti"].id] and got[0].params["missing"] == "SK <pangkat>"
    assert "• SK &lt;pangkat&gt;" in render_notice("rm.vac.docs", got[0].params, "id").text


async def _appraisal(db, people, name: str, deadline: datetime, **kw) -> int:  # noqa: ANN001
    async with db.uow() as uow:
        a = uow.appraisals.add(Appraisal(employee_id=people[name].employee_id, year=2027, period="2027-Q1",
                                         stage=kw.get("stage", "pelaksanaan"), deadline=deadline,
                                         missing=kw.get("missing", ["Bukti dukung <triwulan>"])))
        await uow.commit()
        return a.id


async def test_skp_reminders_seven_and_one_day_before_only_to_the_incomplete(db, settings) -> None:  # noqa: ANN001
    people = await world(db)
    deadline = datetime(2026, 12, 10, 15, 59, 59, tzinfo=UTC)  # 10 Dec, end of day WITA
    await _appraisal(db, people, "siti", deadline)
    await _appraisal(db, people, "ahmad", deadline, stage="tindak_lanjut", missing=[])  # complete
    await _appraisal(db, people, "budi", deadline)
    async with db.uow() as uow:
        await prefs.switch(uow, people["budi"], "skp", False, kinds=bot().reminders, topics=bot().topics, now=NOW, settings=settings)
        await uow.commit()
    seven = datetime(2026, 12, 3, 6, tzinfo=settings.tz)
    await skp_reminders(db, settings, seven - timedelta(minutes=1))
    assert await rows(db, "rm:skp:2027-Q1") == []
    await skp_reminders(db, settings, seven)
    await skp_reminders(db, settings, seven + timedelta(hours=1))
    got = await rows(db, "rm:skp:2027-Q1")
    assert [(r.user_id, r.template, r.params["days"]) for r in got] == [(people["siti"].id, "rm.skp", 7)]
    text = render_notice("rm.skp", got[0].params, "en").text
    assert "7 day(s) away" in text and "10 Dec 2026, 23.59 WITA" in text and "&lt;triwulan&gt;" in text
    # HR makes the period mandatory: Budi, who switched SKP off, hears the 1-day reminder, marked so.
    must = settings.model_copy(update={"skp_mandatory": "2027-Q1"})
    await skp_reminders(db, must, datetime(2026, 12, 9, 6, tzinfo=settings.tz))
    one = [(r.user_id, r.template) for r in await rows(db, "rm:skp:2027-Q1") if r.params["days"] == 1]
    assert sorted(one) == sorted([(people["siti"].id, "rm.skp.must"), (people["budi"].id, "rm.skp.must")])
    assert "wajib" in render_notice("rm.skp.must", (await rows(db, "rm:skp:2027-Q1"))[-1].params, "id").text


async def test_complaint_one_working_day_left_then_overdue_escalation(db, settings) -> None:  # noqa: ANN001
    await world(db)
    async with db.uow() as uow:
        pupr = await uow.agencies.by_code("PUPR")
        await uow.session.execute(update(Agency).where(Agency.id == pupr.id).values(head_telegram_id=700099))
        uow.users.add(User(channel="telegram", external_id=700099, chat_id=700099, name="Kadis", role="asn",
                           state_data={}))
        due = datetime(2026, 11, 30, 15, 59, 59, tzinfo=UTC)  # Monday 30 Nov, end of day WITA
        c = Complaint(number="BJB-2026-000777", kind="pengaduan", description="Jalan rusak", agency_id=pupr.id,
                      status="diterima", response_due_at=due, resolve_due_at=due + timedelta(days=14))
        uow.complaints.add(c)
        await uow.commit()
        staff = {u.external_id: u.id for u in await uow.users.with_role(["officer", "hr"])}
        head = (await uow.users.by_external("telegram", 700099)).id
    friday = datetime(2026, 11, 27, 6, tzinfo=settings.tz)  # the working day before Monday
    await complaint_reminders(db, settings, friday - timedelta(minutes=1))
    assert await rows(db, f"rm:cx:due:{c.id}:") == []
    await complaint_reminders(db, settings, friday)
    await complaint_reminders(db, settings, friday + timedelta(minutes=5))
    soon = await rows(db, f"rm:cx:due:{c.id}:")
    assert [r.user_id for r in soon] == [staff[700004]]  # the PUPR officer, not HR
    assert "1 hari kerja" in render_notice("rm.cx.due", soon[0].params, "id").text
    await complaint_reminders(db, settings, due + timedelta(minutes=1))
    over = await rows(db, f"rm:cx:over:{c.id}:")
    assert sorted(r.user_id for r in over) == sorted([staff[700003], head])
    assert "Dinas Pekerjaan Umum" in render_notice("rm.cx.overdue", over[0].params, "en").text or \
        "PUPR" in render_notice("rm.cx.overdue", over[0].params, "en").text


async def test_jp_nudge_from_july_to_those_below_target_with_fitting_trainings(db, settings) -> None:  # noqa: ANN001
    july = datetime(2027, 7, 1, 6, tzinfo=settings.tz)
    people = await world(db, july - timedelta(days=40))
    async with db.uow() as uow:
        done = await training(uow, july - timedelta(days=60), "JP-DONE", days=0, jp=24)
        uow.trainings.add_enrolment(Enrolment(training_id=done.id, employee_id=people["ahmad"].employee_id,
                                              status="attended"))
        await training(uow, july, "JP-OPEN", days=10, title="Manajemen <ASN>", closes_in=timedelta(days=5))
        await uow.commit()
    await jp_nudges(db, settings, datetime(2027, 6, 30, 6, tzinfo=settings.tz))
    assert await rows(db, "rm:jp:") == []
    await jp_nudges(db, settings, july)
    await jp_nudges(db, settings, july + timedelta(days=3))
    got = {r.user_id: r for r in await rows(db, "rm:jp:2027-07:")}
    assert people["ahmad"].id not in got and people["siti"].id in got  # Ahmad has his 24 JP
    nudge = JpNudge.from_params(got[people["siti"].id].params)
    assert nudge.counted < 20 and nudge.target == 20  # the demo gives her some JP already
    assert "Manajemen <ASN>" in [i["title"] for i in json.loads(nudge.trainings)]
    text = render_notice("rm.jp", got[people["siti"].id].params, "id").text
    assert "Manajemen &lt;ASN&gt;" in text and f"{nudge.counted} dari target 20 JP" in text
    await jp_nudges(db, settings, datetime(2027, 8, 1, 6, tzinfo=settings.tz))
    assert len(await rows(db, "rm:jp:2027-08:")) == len(got)


async def test_housekeeping_expires_codes_and_stale_drafts(db, settings) -> None:  # noqa: ANN001
    people = await world(db)
    async with db.uow() as uow:
        for days, used in ((-1, None), (5, None), (-3, NOW)):
            uow.session.add(ActivationCode(employee_id=people["siti"].employee_id, salt="0" * 32, digest="0" * 64,
                                           expires_at=NOW + timedelta(days=days), used_at=used, issued_by="t"))
        await uow.session.execute(update(User).where(User.id == people["siti"].id).values(
            state="cx.describe", state_data={"draft": "x"}, last_seen_at=NOW - timedelta(days=31)))
        await uow.session.execute(update(User).where(User.id == people["ahmad"].id).values(
            state="cx.describe", state_data={"draft": "y"}, last_seen_at=NOW - timedelta(days=2)))
        await uow.commit()
    await housekeeping(db, settings, NOW)
    async with db.uow() as uow:
        left = (await uow.session.execute(select(func.count(ActivationCode.id)))).scalar_one()
        siti, ahmad = await uow.users.get(people["siti"].id), await uow.users.get(people["ahmad"].id)
    assert left == 2  # the live one and the used one (history)
    assert siti.state is None and siti.state_data == {} and ahmad.state == "cx.describe"


async def test_many_recipients_are_written_in_batches_and_a_rerun_adds_nothing(db, settings) -> None:  # noqa: ANN001
    people = await world(db)
    ids = [p.id for p in people.values()]
    notice = JpNudge(year=2027, counted=0, target=20, trainings="[]", tz=settings.timezone)
    commits = []

    async def recipients(uow):  # noqa: ANN001, ANN202
        return [(ids[i % len(ids)], notice) for i in range(len(ids))]
    occasion = core.Occasion("test:batch", NOW - timedelta(minutes=1), NOW + timedelta(days=1), "", recipients)
    real = db.uow

    def counting():  # noqa: ANN202
        commits.append(1)
        return real()
    db.uow = counting
    try:
        out = await core.run_occasions(db, settings, NOW, [occasion], batch=1)
    finally:
        db.uow = real
    assert out.queued == len(ids) and len(await rows(db, "rm:test:batch:")) == len(ids)
    assert len(commits) >= len(ids)  # one short transaction per batch
    again = await core.run_occasions(db, settings, NOW, [occasion], batch=1)
    assert again.queued == 0 and again.done == [] and "test:batch" in await marks(db, "test:")


async def test_hr_publishing_a_draft_through_the_console_is_announced_when_it_opens(db, settings) -> None:  # noqa: ANN001
    from services import users
    from services.vacancies import manage
    from services.vacancies.demo import seed_hr_desk

    people = await world(db)
    async with db.uow() as uow:
        await seed_hr_desk(uow, NOW)
        draft = (await uow.session.execute(select(Vacancy).where(Vacancy.published_at.is_(None)))).scalars().first()
        await subs.set(uow, people["siti"], "vacancy", "all", topics=bot().topics, now=NOW)
        hr = users.person_from_row(await uow.users.by_external("telegram", 700003))
        await uow.commit()
    await vacancy_reminders(db, settings, NOW + timedelta(hours=1))
    assert await rows(db, f"rm:vac:new:{draft.id}:") == []  # a draft: nobody hears of it
    async with db.uow() as uow:
        await manage.publish(uow, hr, draft.id, now=NOW + timedelta(hours=2))
        await uow.commit()
    await vacancy_reminders(db, settings, NOW + timedelta(hours=3))
    assert await rows(db, f"rm:vac:new:{draft.id}:") == []  # published, but it opens in two days
    await vacancy_reminders(db, settings, draft.opens_at)
    await vacancy_reminders(db, settings, draft.opens_at + timedelta(minutes=1))
    got = await rows(db, f"rm:vac:new:{draft.id}:")
    assert people["siti"].id in [r.user_id for r in got] and len(got) == len({r.user_id for r in got})
