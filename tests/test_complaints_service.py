"""Complaint services against a real database: the state machine, numbering, notices in the
same transaction, reopening, rating, erasure, working-day deadlines."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from db.engine import Database
from db.models import Complaint, ComplaintEvent, OutboxMessage, User
from handlers.features import bot
from services import workdays
from services.complaints import desk, filing, tracking
from services.complaints import queue as desk_queue
from services.complaints.dto import Draft, Photo
from services.complaints.erase import erase
from services.complaints.rules import RULES, Actor, Policy, Status, allowed, check
from services.complaints.transitions import transition
from services.demo import seed_demo
from services.errors import DomainError, Forbidden, InvalidInput, NotFound
from services.staff.grant import grant_role
from services.users import Person
from tests.harness import Clock

WITA = ZoneInfo("Asia/Makassar")
POLICY = Policy(instance_code="BJB", tz=WITA, per_hour=1000)
LIMITED = Policy(instance_code="BJB", tz=WITA, per_hour=5)
HR, OFFICER = 700003, 700004  # demo personas: BKPSDM, and an officer of Dinas PUPR


@pytest.fixture
async def seeded(db: Database, clock: Clock) -> Database:
    async with db.uow() as uow:
        await seed_demo(uow, clock(), bot().demo)
        await uow.commit()
    return db


async def who(db: Database, external_id: int, name: str = "Rina", username: str | None = None,
              now: datetime | None = None) -> Person:
    """The person with this Telegram id (created as a citizen the first time), as services see them."""
    now = now or datetime.now(UTC)
    async with db.uow() as uow:
        u = await uow.users.by_external("telegram", external_id)
        if u is None:
            u = uow.users.add(User(channel="telegram", external_id=external_id, chat_id=external_id, name=name,
                                   username=username, language_code="id", role="citizen", state_data={},
                                   created_at=now, last_seen_at=now))
            await uow.flush()
        p = Person(id=u.id, chat_id=u.chat_id, external_id=u.external_id, name=u.name or "", username=u.username,
                   role=u.role, agency_id=u.agency_id, employee_id=u.employee_id, locale=u.locale,
                   language_code=u.language_code)
        await uow.commit()
    return p


async def agency_id(db: Database, code: str) -> int:
    async with db.uow() as uow:
        return (await uow.agencies.by_code(code)).id


def draft(text: str = "Jalan berlubang besar di depan SDN 1 Guntung Manggis, bahaya", **kw: object) -> Draft:
    return Draft(kind=str(kw.pop("kind", "pengaduan")), description=text, **kw)  # type: ignore[arg-type]


async def file(db: Database, p: Person, now: datetime, d: Draft | None = None, policy: Policy = POLICY) -> int:
    async with db.uow() as uow:
        r = await filing.file(uow, p, d or draft(), now=now, policy=policy)
        await uow.commit()
    return r.id


async def load(db: Database, cid: int) -> Complaint:
    async with db.uow() as uow:
        return await uow.complaints.get(cid)


async def outbox(db: Database) -> list[tuple[int, str, dict]]:
    async with db.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars()
        return [(r.user_id, r.template, r.params) for r in rows]


async def act(db: Database, p: Person, cid: int, action: str, now: datetime, note: str | None = None) -> str:
    async with db.uow() as uow:
        status = await desk.act(uow, p, cid, action, note=note, now=now)
        await uow.commit()
    return status


# --- the state machine ---------------------------------------------------------------------------------

def test_every_action_from_every_status_for_every_actor():
    """The table decides: legal exactly when the status is a source and the actor is allowed."""
    for action, rule in RULES.items():
        for status in Status:
            for actor in [*Actor, None]:
                legal = status in rule.sources and actor in rule.actors
                if legal:
                    assert check(action, status, actor) is rule
                else:
                    with pytest.raises(DomainError):
                        check(action, status, actor)
    assert allowed(Status.DIPROSES, Actor.OFFICER) == ["answer", "resolve", "return", "reject", "merge"]
    assert allowed(Status.DITOLAK, Actor.HR) == [] and allowed(Status.DIGABUNG, Actor.OFFICER) == []


@pytest.mark.parametrize("action", sorted(RULES))
async def test_each_transition_against_the_database(seeded, clock, action):
    """Every (status, action) pair on a stored report: legal ones move it and leave an event,
    illegal ones leave the report, its events and the outbox untouched."""
    rina = await who(seeded, 1001)
    target = await file(seeded, rina, clock(), draft("Laporan tujuan penggabungan tentang lampu jalan mati"))
    rule = RULES[action]
    actor = rule.actors[0]
    pupr = await agency_id(seeded, "PUPR")
    for status in Status:
        cid = await file(seeded, rina, clock(), draft(f"Uji transisi {action} dari status {status.value}"))
        async with seeded.uow() as uow:
            c = await uow.complaints.get(cid)
            c.status, c.agency_id, c.answered_at = status.value, pupr, clock()
            await uow.commit()
        events_before, outbox_before = await count(seeded, ComplaintEvent), await count(seeded, OutboxMessage)
        async with seeded.uow() as uow:
            c = await uow.complaints.get_for_update(cid)
            merged = await uow.complaints.get(target)
            try:
                await transition(uow, c, action, actor, actor_id=None, now=clock(), note="catatan",
                                 agency_id=pupr, merged_into=merged)
            except DomainError as e:
                assert status not in rule.sources, (action, status, e.code)
                assert e.code == "cx.err.illegal"
                await uow.rollback()
            else:
                assert status in rule.sources, (action, status)
                await uow.commit()
        after = await load(seeded, cid)
        if status in rule.sources:
            assert after.status == rule.target
            assert await count(seeded, ComplaintEvent) == events_before + 1
        else:
            assert after.status == status
            assert await count(seeded, ComplaintEvent) == events_before
            assert await count(seeded, OutboxMessage) == outbox_before


async def count(db: Database, model: type) -> int:
    async with db.uow() as uow:
        return (await uow.session.execute(select(func.count()).select_from(model))).scalar_one()


async def test_the_whole_life_of_a_report_with_events_and_notices(seeded, clock):
    rina = await who(seeded, 1001, "Rina")
    hr, officer = await who(seeded, HR, "Ahmad"), await who(seeded, OFFICER, "Budi")
    cid = await file(seeded, rina, clock(), draft())  # "not sure": HR routes it
    assert [(t, u) for u, t, _ in await outbox(seeded)] == [("cx.new", hr.id)]
    pupr = await agency_id(seeded, "PUPR")
    async with seeded.uow() as uow:
        routed = await desk.route(uow, hr, cid, pupr, now=clock())
        assert (routed.agency, routed.officers) == ("Dinas Pekerjaan Umum dan Penataan Ruang", 1)
        await uow.commit()
    assert (await load(seeded, cid)).status == "didisposisikan"
    assert await act(seeded, officer, cid, "process", clock(), "Tim meninjau lokasi") == "diproses"
    clock.advance(days=1)
    assert await act(seeded, officer, cid, "answer", clock(), "Sudah ditambal hari ini") == "dijawab"
    async with seeded.uow() as uow:
        fb = await tracking.feedback(uow, rina, cid, "fixed", now=clock(), policy=POLICY)
        assert (fb.status, fb.outcome, fb.rating_asked) == ("ditutup", "closed", True)
        await uow.commit()
    async with seeded.uow() as uow:
        events = await uow.complaints.events(cid, ("public", "parties", "staff"))
    assert [(e.action, e.to_status) for e in events] == [
        ("file", "diterima"), ("verify", "diverifikasi"), ("dispose", "didisposisikan"), ("process", "diproses"),
        ("answer", "dijawab"), ("close", "ditutup")]
    assert [e.actor_role for e in events] == ["reporter", "hr", "hr", "officer", "officer", "reporter"]
    assert events[4].note == "Sudah ditambal hari ini" and events[5].detail == "fixed"
    to_rina = [t for u, t, _ in await outbox(seeded) if u == rina.id]
    assert to_rina == ["cx.status", "cx.status", "cx.status", "cx.answer", "cx.rate"]  # not told of her own close
    to_officer = [t for u, t, _ in await outbox(seeded) if u == officer.id]
    assert to_officer == ["cx.new"]


async def test_illegal_transitions_through_the_desk_are_refused(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    with pytest.raises(DomainError) as e:
        await act(seeded, officer, cid, "resolve", clock())  # diterima → selesai skips the work
    assert e.value.code == "cx.err.illegal"
    with pytest.raises(DomainError):
        await act(seeded, officer, cid, "reopen", clock())  # the citizen's, not the desk's
    with pytest.raises(InvalidInput):
        await act(seeded, officer, cid, "reject", clock(), "  ")  # a reason is required
    assert await act(seeded, officer, cid, "reject", clock(), "Bukan wewenang") == "ditolak"
    for action in ("verify", "process", "answer", "close"):
        with pytest.raises(DomainError):
            await act(seeded, officer, cid, action, clock(), "x")
    assert (await load(seeded, cid)).status == "ditolak"


async def test_officers_act_only_on_their_agency_and_citizens_not_at_all(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    other = await file(seeded, rina, clock(), draft("Antrian di puskesmas sangat lama sekali",
                                                    agency_id=await agency_id(seeded, "DINKES")))
    async with seeded.uow() as uow:
        with pytest.raises(NotFound):
            await desk.card(uow, officer, other, now=clock(), tz=WITA)
        with pytest.raises(NotFound):
            await desk.act(uow, officer, other, "verify", note=None, now=clock())
        with pytest.raises(Forbidden):
            await desk_queue.queue(uow, rina, now=clock(), tz=WITA)
        with pytest.raises(Forbidden):
            await desk.card(uow, rina, other, now=clock(), tz=WITA)
        with pytest.raises(NotFound):
            await desk.route(uow, officer, other, 1, now=clock())
        assert (await desk_queue.queue(uow, officer, now=clock(), tz=WITA)).total == 0
    own = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    dlh = await agency_id(seeded, "DLH")
    async with seeded.uow() as uow:
        with pytest.raises(Forbidden):
            await desk.route(uow, officer, own, dlh, now=clock())  # HR routes
        assert (await desk_queue.queue(uow, officer, now=clock(), tz=WITA)).total == 1


async def test_return_to_hr_and_merge(seeded, clock):
    rina, budi = await who(seeded, 1001), await who(seeded, 1002, "Budi warga")
    hr, officer = await who(seeded, HR), await who(seeded, OFFICER)
    pupr = await agency_id(seeded, "PUPR")
    first = await file(seeded, rina, clock(), draft(agency_id=pupr))
    second = await file(seeded, budi, clock(), draft("Sampah menumpuk di pasar, mohon diangkut", agency_id=pupr))
    assert await act(seeded, officer, second, "return", clock(), "Ini urusan DLH") == "diverifikasi"
    assert (await load(seeded, second)).agency_id is None
    assert ("cx.returned", hr.id) in [(t, u) for u, t, _ in await outbox(seeded)]
    dlh = await agency_id(seeded, "DLH")
    async with seeded.uow() as uow:
        with pytest.raises(NotFound):
            await desk.card(uow, officer, second, now=clock(), tz=WITA)  # no longer the officer's
        await desk.route(uow, hr, second, dlh, now=clock())
        await uow.commit()
    third = await file(seeded, budi, clock(), draft("Jalan berlubang di depan SDN 1, sangat bahaya", agency_id=pupr))
    first_number = (await load(seeded, first)).number
    async with seeded.uow() as uow:
        assert await desk.merge(uow, officer, third, first_number.lower(), now=clock()) == "BJB-2026-000001"
        await uow.commit()
    merged = await load(seeded, third)
    assert merged.status == "digabung" and merged.merged_into_id == first
    async with seeded.uow() as uow:
        assert await uow.complaints.followers(first) == [budi.id]  # the duplicate's reporter follows on
    await act(seeded, officer, first, "verify", clock())
    assert ("cx.followed", budi.id) in [(t, u) for u, t, _ in await outbox(seeded)]
    async with seeded.uow() as uow:
        with pytest.raises(DomainError):
            await desk.merge(uow, officer, first, "BJB-2026-000001", now=clock())  # not into itself


async def test_numbers_are_unique_under_concurrent_filing(seeded, clock):
    people = [await who(seeded, 3000 + i, f"Warga {i}") for i in range(8)]

    async def one(p: Person) -> str:
        async with seeded.uow() as uow:
            r = await filing.file(uow, p, draft(f"Lampu jalan mati di gang nomor {p.id} sejak minggu lalu"),
                                      now=clock(), policy=POLICY)
            await uow.commit()
            return r.number

    numbers = await asyncio.gather(*(one(p) for p in people))
    assert sorted(numbers) == [f"BJB-2026-{i:06d}" for i in range(1, 9)]


async def test_the_year_in_the_number_is_the_local_year(seeded):
    rina = await who(seeded, 1001)
    new_year_wita = datetime(2026, 12, 31, 16, 30, tzinfo=UTC)  # 1 January 2027, 00:30 WITA
    cid = await file(seeded, rina, new_year_wita)
    assert (await load(seeded, cid)).number == "BJB-2027-000001"


async def test_notices_commit_with_the_transition_or_not_at_all(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    before = await outbox(seeded)
    async with seeded.uow() as uow:
        await desk.act(uow, officer, cid, "verify", note="Dicek", now=clock())
        assert await count_in(uow) == len(before) + 1  # written in this transaction…
        await uow.rollback()  # …and gone with it
    assert await outbox(seeded) == before
    assert (await load(seeded, cid)).status == "diterima"
    async with seeded.uow() as uow:
        with pytest.raises(DomainError):
            await desk.act(uow, officer, cid, "resolve", note=None, now=clock())
    assert await outbox(seeded) == before


async def count_in(uow) -> int:
    return (await uow.session.execute(select(func.count()).select_from(OutboxMessage))).scalar_one()


async def test_reopen_within_fourteen_days_of_the_answer_only(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    pupr = await agency_id(seeded, "PUPR")
    ids = [await file(seeded, rina, clock(), draft(f"Drainase tersumbat di RT 0{i} sejak hujan", agency_id=pupr))
           for i in range(2)]
    for cid in ids:
        await act(seeded, officer, cid, "verify", clock())
        await act(seeded, officer, cid, "answer", clock(), "Sudah dibersihkan")
    clock.advance(days=14, minutes=-1)
    async with seeded.uow() as uow:
        assert (await tracking.feedback(uow, rina, ids[0], "not", now=clock(), policy=POLICY)).status == "diproses"
        await uow.commit()
    reopened = [(t, p.get("detail")) for u, t, p in await outbox(seeded) if u == officer.id and t == "cx.reopened"]
    assert reopened == [("cx.reopened", "not")]
    clock.advance(minutes=2)
    async with seeded.uow() as uow:
        with pytest.raises(DomainError) as e:
            await tracking.feedback(uow, rina, ids[1], "not", now=clock(), policy=POLICY)
        assert e.value.code == "cx.err.reopen_expired"
    budi = await who(seeded, 1002)
    async with seeded.uow() as uow:
        with pytest.raises(NotFound):
            await tracking.feedback(uow, budi, ids[0], "fixed", now=clock(), policy=POLICY)  # not his


async def test_partly_fixed_reopens_and_a_closed_report_can_be_reopened_in_the_window(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    await act(seeded, officer, cid, "verify", clock())
    await act(seeded, officer, cid, "process", clock())
    await act(seeded, officer, cid, "resolve", clock(), "Sudah diaspal")
    await act(seeded, officer, cid, "close", clock())
    async with seeded.uow() as uow:
        assert (await tracking.feedback(uow, rina, cid, "partly", now=clock(), policy=POLICY)).status == "diproses"
        await uow.commit()
    c = await load(seeded, cid)
    assert c.closed_at is None and c.status == "diproses"


async def test_rating_once_after_closing(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    async with seeded.uow() as uow:
        with pytest.raises(DomainError):
            await tracking.rate(uow, rina, cid, 5, now=clock())  # not closed yet
    await act(seeded, officer, cid, "verify", clock())
    await act(seeded, officer, cid, "answer", clock(), "Sudah")
    await act(seeded, officer, cid, "close", clock())
    async with seeded.uow() as uow:
        with pytest.raises(InvalidInput):
            await tracking.rate(uow, rina, cid, 6, now=clock())
        await tracking.rate(uow, rina, cid, 4, now=clock())
        await tracking.rate_comment(uow, rina, cid, "Cepat, terima kasih")
        await uow.commit()
    async with seeded.uow() as uow:
        with pytest.raises(DomainError) as e:
            await tracking.rate(uow, rina, cid, 1, now=clock())
        assert e.value.code == "cx.err.already_rated"
    c = await load(seeded, cid)
    assert (c.rating, c.rating_comment) == (4, "Cepat, terima kasih")
    # Reopened and closed again: the rating is not asked a second time.
    async with seeded.uow() as uow:
        await tracking.feedback(uow, rina, cid, "not", now=clock(), policy=POLICY)
        await uow.commit()
    await act(seeded, officer, cid, "answer", clock(), "Sudah lagi")
    await act(seeded, officer, cid, "close", clock())
    assert [t for u, t, _ in await outbox(seeded) if u == rina.id].count("cx.rate") == 1


async def test_rate_limit_counts_the_last_hour(seeded, clock):
    rina = await who(seeded, 1001)
    for i in range(5):
        await file(seeded, rina, clock(), draft(f"Laporan nomor {i} tentang sampah di pasar"), LIMITED)
        clock.advance(minutes=5)
    with pytest.raises(DomainError) as e:
        await file(seeded, rina, clock(), policy=LIMITED)
    assert e.value.code == "cx.err.rate_limited" and e.value.params == {"limit": 5, "minutes": 35}
    clock.advance(minutes=36)
    await file(seeded, rina, clock(), policy=LIMITED)


async def test_similar_open_reports_of_the_same_agency_in_thirty_days(seeded, clock):
    rina, budi = await who(seeded, 1001), await who(seeded, 1002)
    pupr, dinkes = await agency_id(seeded, "PUPR"), await agency_id(seeded, "DINKES")
    same = await file(seeded, rina, clock(), draft("Jalan berlubang besar di depan SDN 1 Guntung Manggis", agency_id=pupr))
    await file(seeded, rina, clock(), draft("Jalan berlubang besar di depan SDN 1 Guntung Manggis",
                                            agency_id=pupr, privacy="rahasia"))
    await file(seeded, rina, clock(), draft("Jalan berlubang besar di depan SDN 1 Guntung Manggis", agency_id=dinkes))
    text = "Ada jalan berlubang besar depan SDN 1 Guntung Manggis, bahaya"
    async with seeded.uow() as uow:
        found = await filing.find_similar(uow, budi, text, pupr, now=clock(), policy=POLICY)
        assert [s.id for s in found] == [same]  # not the confidential one, not another agency's
        assert not found[0].own
        assert await filing.find_similar(uow, budi, "Lampu lalu lintas di simpang empat mati total", pupr,
                                             now=clock(), policy=POLICY) == []
        assert await filing.find_similar(uow, budi, text, pupr, now=clock() + timedelta(days=31),
                                             policy=POLICY) == []


@pytest.mark.parametrize(("text", "first"), [
    ("Jalan berlubang di depan sekolah, bahaya untuk anak-anak", "PUPR"),
    ("KTP saya belum jadi sudah tiga bulan", "DUKCAPIL"),
    ("antrian di puskesmas lama sekali", "DINKES"),
    ("sampah menumpuk di TPS pasar", "DLH"),
    ("jalan rusk parah dekat pasar", "PUPR"),  # a typo still finds it
])
async def test_agency_suggestion(seeded, text, first):
    async with seeded.uow() as uow:
        found = await filing.suggest_agencies(uow, text)
    assert found and found[0].code == first


async def test_no_suggestion_for_unrelated_text(seeded):
    async with seeded.uow() as uow:
        assert await filing.suggest_agencies(uow, "halo selamat pagi semuanya") == []


def test_description_limits_and_attachments():
    assert filing.clean_description("  Jalan rusak parah  ", POLICY) == "Jalan rusak parah"
    for bad, code in [("", "cx.err.desc_empty"), ("   \n ", "cx.err.desc_empty"), ("pendek", "cx.err.desc_short"),
                      ("x" * 4001, "cx.err.desc_long")]:
        with pytest.raises(InvalidInput) as e:
            filing.clean_description(bad, POLICY)
        assert e.value.code == code
    assert filing.clean_description("x" * 4000, POLICY) == "x" * 4000  # never cut
    assert filing.check_attachment(True, "f", 1000, "image/jpeg", POLICY) == Photo("photo", "f")
    assert filing.check_attachment(False, "f", 1000, "image/png", POLICY) == Photo("document", "f")
    with pytest.raises(InvalidInput, match="file_too_big"):
        filing.check_attachment(False, "f", 30 * 1024 * 1024, "image/png", POLICY)
    with pytest.raises(InvalidInput, match="not_image"):
        filing.check_attachment(False, "f", 1000, "application/pdf", POLICY)
    assert tracking.parse_number(" bjb-2026-123 ") == "BJB-2026-000123"
    with pytest.raises(InvalidInput):
        tracking.parse_number("nomor saya 123")


async def test_erasure_deidentifies_and_keeps_the_reports(seeded, clock):
    rina = await who(seeded, 1001, "Rina Marlina", username="rina_m")
    hr = await who(seeded, HR)
    cid = await file(seeded, rina, clock(), draft(photos=(Photo("photo", "p1"),)))
    other = await file(seeded, await who(seeded, 1002), clock(), draft("Pohon tumbang menutup jalan di Loktabat"))
    async with seeded.uow() as uow:
        await tracking.follow(uow, rina, other, now=clock())
        assert await erase(uow, rina, now=clock()) == 1
        await uow.commit()
    async with seeded.uow() as uow:
        user = await uow.users.get(rina.id)
        assert (user.name, user.username, user.phone, user.erased) == (None, None, None, True)
        assert user.external_id < 0 and user.chat_id < 0
        assert await uow.users.by_external("telegram", 1001) is None
        c = await uow.complaints.get(cid)
        assert c.reporter_id is None and c.description and c.number == "BJB-2026-000001"
        assert await uow.complaints.followers(other) == []
        card = await desk.card(uow, hr, cid, now=clock(), tz=WITA)
        assert card.reporter is None
        events = await uow.complaints.events(cid, ("public", "parties", "staff"))
        assert all(e.actor_id is None for e in events)
    again = await who(seeded, 1001, "Rina Marlina")  # writing again starts a new person
    assert again.id != rina.id
    officer = await who(seeded, OFFICER)
    async with seeded.uow() as uow:
        assert (await tracking.my_reports(uow, again)).total == 0
        with pytest.raises(Forbidden):
            await erase(uow, officer, now=clock())


async def test_rahasia_reports_are_only_for_their_reporter(seeded, clock):
    rina, budi = await who(seeded, 1001), await who(seeded, 1002)
    cid = await file(seeded, rina, clock(), draft(privacy="rahasia"))
    number = (await load(seeded, cid)).number
    async with seeded.uow() as uow:
        assert (await tracking.lookup(uow, rina, number, now=clock(), policy=POLICY)).is_reporter
        with pytest.raises(DomainError) as e:
            await tracking.lookup(uow, budi, number, now=clock(), policy=POLICY)
        assert e.value.code == "cx.err.confidential"
        with pytest.raises(DomainError):
            await tracking.follow(uow, budi, cid, now=clock())
        with pytest.raises(NotFound):
            await tracking.lookup(uow, budi, "BJB-2026-999999", now=clock(), policy=POLICY)
        assert await filing.privacy_pref(uow, rina) == "rahasia"  # remembered


async def test_answered_reports_close_by_themselves_after_the_window(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    await act(seeded, officer, cid, "verify", clock())
    await act(seeded, officer, cid, "answer", clock(), "Sudah")
    async with seeded.uow() as uow:
        assert await desk.close_answered(uow, now=clock() + timedelta(days=13)) == 0
        assert await desk.close_answered(uow, now=clock() + timedelta(days=15)) == 1
        await uow.commit()
    assert (await load(seeded, cid)).status == "ditutup"
    assert ("cx.rate", rina.id) in [(t, u) for u, t, _ in await outbox(seeded)]


# --- working days ------------------------------------------------------------------------------------

def test_working_days_skip_weekends_and_holidays():
    assert workdays.add_workdays(date(2026, 11, 27), 3) == date(2026, 12, 2)  # Fri → Wed over a weekend
    # Tue 22 Dec: Wed 23, (Thu 24 cuti bersama, Fri 25 Christmas, weekend), Mon 28, Tue 29.
    assert workdays.add_workdays(date(2026, 12, 22), 3) == date(2026, 12, 29)
    assert not workdays.is_workday(date(2026, 8, 17))  # Independence Day
    assert workdays.add_workdays(date(2026, 3, 17), 1) == date(2026, 3, 25)  # Nyepi and Lebaran leave


def test_deadlines_are_computed_in_the_deployment_time_zone():
    thursday_utc = datetime(2026, 11, 26, 16, 30, tzinfo=UTC)  # already Friday 00:30 in WITA
    due = workdays.due_at(thursday_utc, 3, WITA)
    assert due.astimezone(WITA).date() == date(2026, 12, 2)
    assert due.astimezone(WITA).time().hour == 23 and due.tzinfo is not None
    assert workdays.due_at(thursday_utc, 3, ZoneInfo("UTC")).date() == date(2026, 12, 1)


async def test_receipt_deadlines_for_each_kind(seeded):
    rina = await who(seeded, 1001)
    tuesday = datetime(2026, 12, 22, 2, 0, tzinfo=UTC)
    async with seeded.uow() as uow:
        info = await filing.file(uow, rina, draft("Berapa biaya pembuatan akta kelahiran?", kind="informasi"),
                                     now=tuesday, policy=POLICY)
        plain = await filing.file(uow, rina, draft(), now=tuesday, policy=POLICY)
        await uow.commit()
    assert info.response_due_at.astimezone(WITA).date() == date(2026, 12, 29)
    assert info.resolve_days == 5 and info.resolve_due_at.astimezone(WITA).date() == date(2026, 12, 31)
    assert plain.resolve_days == 14
    assert info.agency is None


async def test_users_table_untouched_by_privacy_pref(seeded, clock):
    rina = await who(seeded, 1001)
    async with seeded.uow() as uow:
        assert await filing.privacy_pref(uow, rina) == "normal"
        await uow.complaints.set_privacy_pref(rina.id, "anonim")
        await uow.complaints.set_privacy_pref(rina.id, "rahasia")
        await uow.commit()
    async with seeded.uow() as uow:
        assert await filing.privacy_pref(uow, rina) == "rahasia"
        assert (await uow.session.get(User, rina.id)).name == "Rina"


# --- no dead ends: an agency with no officer, a direct answer, presses after the fact ----------------

async def hr_queue_numbers(db: Database, hr: Person) -> dict[str, str | None]:
    async with db.uow() as uow:
        page = await desk_queue.queue(uow, hr, now=datetime(2026, 11, 23, 2, tzinfo=UTC), tz=WITA)
    return {r.number: r.unstaffed for r in page.items}


async def test_routing_where_nobody_can_act_keeps_the_report_in_hrs_queue(seeded, clock):
    rina, hr, officer = await who(seeded, 1001), await who(seeded, HR), await who(seeded, OFFICER)
    await who(seeded, 700020, "Dewi (BKPSDM)")
    async with seeded.uow() as uow:
        await grant_role(uow, actor="test", external_id=700020, role="hr", agency_code=None, now=clock())
        await uow.commit()
    ahmad2 = await who(seeded, 700020)
    dlh, pupr = await agency_id(seeded, "DLH"), await agency_id(seeded, "PUPR")
    cid = await file(seeded, rina, clock(), draft("Sampah menumpuk di TPS pasar, bau sekali sampai ke rumah"))
    number = (await load(seeded, cid)).number
    async with seeded.uow() as uow:
        targets = {t.agency.code: t.staffed for t in await desk.route_targets(uow, hr)}
        routed = await desk.route(uow, hr, cid, dlh, now=clock())
        await uow.commit()
    assert targets["PUPR"] is True and targets["DLH"] is False  # warned before the choice
    assert (routed.agency, routed.officers) == ("Dinas Lingkungan Hidup", 0)  # nobody there was told
    assert (await load(seeded, cid)).status == "didisposisikan"
    assert await hr_queue_numbers(seeded, hr) == {number: "Dinas Lingkungan Hidup"}  # not gone from every queue
    # The other HR officer hears of it, with why; the one who routed it was just told on the spot.
    assert [(u, p["unstaffed"]) for u, t, p in await outbox(seeded) if t == "cx.new" and p.get("unstaffed")] == [
        (ahmad2.id, "Dinas Lingkungan Hidup")]
    async with seeded.uow() as uow:
        card = await desk.card(uow, hr, cid, now=clock(), tz=WITA)
    assert card.unstaffed and card.can_route and "answer" in card.actions
    # An officer who blocked the bot, or erased, is no officer.
    async with seeded.uow() as uow:
        await grant_role(uow, actor="test", external_id=700021, role="officer", agency_code="DLH", now=clock())
        await uow.flush()
        u = await uow.users.by_external("telegram", 700021)
        u.unreachable = True
        await uow.commit()
    assert await hr_queue_numbers(seeded, hr) == {number: "Dinas Lingkungan Hidup"}
    # HR routes it on to an agency with an officer: it leaves HR's queue for theirs.
    async with seeded.uow() as uow:
        routed = await desk.route(uow, hr, cid, pupr, now=clock())
        await uow.commit()
    assert routed.officers == 1 and await hr_queue_numbers(seeded, hr) == {}
    assert ("cx.new", officer.id) in [(t, u) for u, t, _ in await outbox(seeded)]
    async with seeded.uow() as uow:
        assert [r.number for r in (await desk_queue.queue(uow, officer, now=clock(), tz=WITA)).items] == [number]
        with pytest.raises(DomainError) as e:  # its officers have it now: no routing behind their back
            await desk.route(uow, hr, cid, dlh, now=clock())
        assert e.value.code == "cx.err.illegal"


async def test_filing_to_an_agency_with_no_officer_reaches_hr_then_superadmins(seeded, clock):
    rina, hr = await who(seeded, 1001), await who(seeded, HR)
    dlh = await agency_id(seeded, "DLH")
    async with seeded.uow() as uow:
        r = await filing.file(uow, rina, draft("Sampah menumpuk di TPS pasar, bau sekali", agency_id=dlh),
                                  now=clock(), policy=POLICY)
        await uow.commit()
    assert r.unstaffed and r.agency == "Dinas Lingkungan Hidup"
    assert [(u, t, p.get("unstaffed")) for u, t, p in await outbox(seeded)] == [
        (hr.id, "cx.new", "Dinas Lingkungan Hidup")]
    assert list(await hr_queue_numbers(seeded, hr)) == [r.number]
    # HR has blocked the bot: the superadmins are told instead.
    async with seeded.uow() as uow:
        await uow.users.mark_unreachable(hr.id)
        await grant_role(uow, actor="test", external_id=700030, role="superadmin", agency_code=None, now=clock())
        await uow.commit()
    boss = await who(seeded, 700030)
    async with seeded.uow() as uow:
        r2 = await filing.file(uow, rina, draft("Limbah pabrik tahu mencemari sungai di Loktabat", agency_id=dlh),
                                   now=clock(), policy=POLICY)
        await uow.commit()
    assert [(u, t) for u, t, p in await outbox(seeded) if p.get("number") == r2.number] == [(boss.id, "cx.new")]
    async with seeded.uow() as uow:
        assert r2.number in [x.number for x in (await desk_queue.queue(uow, boss, now=clock(), tz=WITA)).items]
    # A staffed agency: no such note, and the receipt does not mention it.
    async with seeded.uow() as uow:
        r3 = await filing.file(uow, rina, draft(agency_id=await agency_id(seeded, "PUPR")), now=clock(),
                                   policy=POLICY)
        await uow.commit()
    assert not r3.unstaffed
    assert [p.get("unstaffed") for u, t, p in await outbox(seeded) if p.get("number") == r3.number] == [None]


async def test_an_officer_answers_a_new_report_directly_and_the_verification_is_recorded(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    assert "answer" in allowed(Status.DITERIMA, Actor.OFFICER)
    before = len(await outbox(seeded))
    with pytest.raises(InvalidInput):
        await act(seeded, officer, cid, "answer", clock(), "   ")  # no answer: not even the verification
    assert (await load(seeded, cid)).status == "diterima" and len(await outbox(seeded)) == before
    async with seeded.uow() as uow:
        d = await desk.draft_answer(uow, officer, cid, "  Sudah ditambal <b>&</b> 🚧  ")
    assert (d.number, d.text, d.to_reporter) == ((await load(seeded, cid)).number, "Sudah ditambal <b>&</b> 🚧", True)
    assert (await load(seeded, cid)).status == "diterima"  # a draft changes nothing
    assert await act(seeded, officer, cid, "answer", clock(), d.text) == "dijawab"
    async with seeded.uow() as uow:
        events = await uow.complaints.events(cid, ("public", "parties", "staff"))
    assert [(e.action, e.to_status, e.actor_role) for e in events] == [
        ("file", "diterima", "reporter"), ("verify", "diverifikasi", "officer"), ("answer", "dijawab", "officer")]
    to_rina = [(t, p.get("note")) for u, t, p in await outbox(seeded) if u == rina.id]
    assert to_rina == [("cx.answer", "Sudah ditambal <b>&</b> 🚧")]  # one message, not "verified" then the answer
    async with seeded.uow() as uow:
        with pytest.raises(InvalidInput):
            await desk.draft_answer(uow, officer, cid, "x" * (desk.NOTE_MAX + 1))
        with pytest.raises(Forbidden):
            await desk.draft_answer(uow, rina, cid, "Saya jawab sendiri")
    await act(seeded, officer, cid, "close", clock())
    async with seeded.uow() as uow:
        with pytest.raises(DomainError):  # closed: nothing to answer
            await desk.draft_answer(uow, officer, cid, "Tambahan")


async def test_feedback_presses_after_the_fact_change_nothing_and_promise_nothing(seeded, clock):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, clock(), draft(agency_id=await agency_id(seeded, "PUPR")))
    await act(seeded, officer, cid, "answer", clock(), "Sudah ditambal")

    async def press(verdict: str, confirmed: bool = False):
        async with seeded.uow() as uow:
            fb = await tracking.feedback(uow, rina, cid, verdict, now=clock(), policy=POLICY, confirmed=confirmed)
            await uow.commit()
        return fb

    fb = await press("not")
    assert (fb.outcome, fb.status) == ("confirm", "dijawab") and (await load(seeded, cid)).status == "dijawab"
    assert (await press("not", confirmed=True)).outcome == "reopened"
    fb = await press("not", confirmed=True)  # the confirmation pressed twice
    assert (fb.outcome, fb.status) == ("unchanged", "diproses")
    assert [t for u, t, _ in await outbox(seeded) if u == officer.id].count("cx.reopened") == 1
    fb = await press("fixed")  # on an old notice while it is being worked on again
    assert (fb.outcome, fb.status) == ("unchanged", "diproses")
    await act(seeded, officer, cid, "answer", clock(), "Sudah ditambal lagi")
    fb = await press("fixed")
    assert (fb.outcome, fb.rating_asked, fb.can_rate) == ("closed", True, True)
    rows = len(await outbox(seeded))
    fb = await press("fixed")  # "Sudah beres" twice: the state, no second rating request
    assert (fb.outcome, fb.status, fb.rating_asked, fb.can_rate) == ("unchanged", "ditutup", False, True)
    assert len(await outbox(seeded)) == rows
    async with seeded.uow() as uow:
        await tracking.rate(uow, rina, cid, 5, now=clock())
        await uow.commit()
    assert (await press("partly", confirmed=True)).outcome == "reopened"
    await act(seeded, officer, cid, "answer", clock(), "Sisa lubang ditambal")
    fb = await press("fixed")  # rated already: closed, and no rating is promised
    assert (fb.outcome, fb.rating_asked, fb.can_rate) == ("closed", False, False)
    assert [t for u, t, _ in await outbox(seeded) if u == rina.id].count("cx.rate") == 1
