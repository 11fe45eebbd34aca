"""The desk's services: urgency order with holidays, filters and pages, claims, questions to the
reporter, forwarding, followers moving on merge, and the audit of every staff change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from db.models import AuditLog, Complaint, ComplaintEvent, ComplaintFollower
from handlers.features import bot
from services.complaints import asking, claims, desk, forwarding, tracking
from services.complaints import queue as desk_queue
from services.complaints.dto import QueueFilter
from services.complaints.urgency import workdays_left
from services.demo import seed_demo
from services.errors import DomainError, Forbidden, InvalidInput, NotFound
from services.staff.grant import grant_role
from tests.test_complaints_service import (
    HR,
    OFFICER,
    WITA,
    agency_id,
    draft,
    file,
    load,
    outbox,
    who,
)


@pytest.fixture
async def seeded(db):
    async with db.uow() as uow:
        await seed_demo(uow, TUE, bot().demo)
        await uow.commit()
    return db


COLLEAGUE = 700030  # a second officer of Dinas PUPR
TUE = datetime(2026, 12, 22, 2, 0, tzinfo=UTC)  # Tuesday 10:00 WITA; 24 and 25 December are holidays


async def colleague(db, now: datetime):
    async with db.uow() as uow:
        await grant_role(uow, actor="test", external_id=COLLEAGUE, role="officer", agency_code="PUPR", now=now)
        await uow.flush()
        (await uow.users.by_external("telegram", OFFICER)).name = "Budi (Dinas PUPR)"
        (await uow.users.by_external("telegram", COLLEAGUE)).name = "Dedi (Dinas PUPR)"
        await uow.commit()
    return await who(db, COLLEAGUE)


async def set_status(db, cid: int, status: str) -> None:
    async with db.uow() as uow:
        await uow.session.execute(update(Complaint).where(Complaint.id == cid).values(status=status))
        await uow.commit()


async def audits(db, action: str) -> list[AuditLog]:
    async with db.uow() as uow:
        return list((await uow.session.execute(
            select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id))).scalars())


def test_working_days_left_skip_weekends_and_holidays():
    # From Tuesday 22 December to Tuesday 29: Wed 23, Mon 28, Tue 29 (Christmas and its joint holiday skipped).
    assert workdays_left(TUE, datetime(2026, 12, 29, 15, 59, 59, tzinfo=UTC), WITA) == 3
    assert workdays_left(TUE, datetime(2026, 12, 22, 15, 59, 59, tzinfo=UTC), WITA) == 0  # due tonight
    # Thursday 17 December passed: Fri 18, Mon 21, Tue 22 → three working days late.
    assert workdays_left(TUE, datetime(2026, 12, 17, 15, 59, 59, tzinfo=UTC), WITA) == -3
    # Passed on a Friday, read on the Saturday: late, by at least one.
    sat = datetime(2026, 12, 19, 2, 0, tzinfo=UTC)
    assert workdays_left(sat, datetime(2026, 12, 18, 15, 59, 59, tzinfo=UTC), WITA) == -1


async def test_the_queue_is_most_urgent_first_with_working_days_left(seeded):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    pupr = await agency_id(seeded, "PUPR")
    d = lambda text, **kw: draft(text, agency_id=pupr, **kw)  # noqa: E731
    # Filed in an order that is not the urgency order, so id order cannot pass for it.
    answered = await file(seeded, rina, TUE - timedelta(days=20), d("Sudah dijawab: lampu jalan mati di Kenanga"))
    info = await file(seeded, rina, TUE, d("Minta informasi jadwal perbaikan jalan", kind="informasi"))
    fresh = await file(seeded, rina, TUE, d("Jalan berlubang baru di depan pasar Bauntung"))
    monday = await file(seeded, rina, TUE - timedelta(days=1), d("Got mampet di Jalan Kemuning sejak kemarin"))
    late = await file(seeded, rina, TUE - timedelta(days=8), d("Trotoar rusak di Jalan Panglima Batur"))
    await set_status(seeded, answered, "dijawab")
    await set_status(seeded, info, "diproses")  # its resolution date applies: 5 working days
    async with seeded.uow() as uow:
        page = await desk_queue.queue(uow, officer, now=TUE, tz=WITA)
    got = [(r.id, r.days_left) for r in page.items]
    assert got == [(late, -3), (monday, 2), (fresh, 3), (info, 5), (answered, None)], got
    # Holiday aware: Thursday 24 and Friday 25 December count for none of them.
    by_id = {r.id: r for r in page.items}
    assert by_id[fresh].deadline.astimezone(WITA).date().isoformat() == "2026-12-29"
    assert by_id[info].deadline.astimezone(WITA).date().isoformat() == "2026-12-31"
    # Filters: one kind, one status, both; a filter outside the open statuses is refused.
    async with seeded.uow() as uow:
        only_info = await desk_queue.queue(uow, officer, now=TUE, tz=WITA, only=QueueFilter(kind="informasi"))
        received = await desk_queue.queue(uow, officer, now=TUE, tz=WITA, only=QueueFilter(status="diterima"))
        none = await desk_queue.queue(uow, officer, now=TUE, tz=WITA,
                                      only=QueueFilter(status="dijawab", kind="informasi"))
        for bad in (QueueFilter(status="ditolak"), QueueFilter(kind="<b>&"), QueueFilter(status="\x00")):
            with pytest.raises(InvalidInput):
                await desk_queue.queue(uow, officer, now=TUE, tz=WITA, only=bad)
    assert [r.id for r in only_info.items] == [info]
    assert [r.id for r in received.items] == [late, monday, fresh] and received.total == 3
    assert none.total == 0 and none.items == ()


async def test_pages_keep_the_order_and_a_page_past_the_end_shows_the_last(seeded):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    pupr = await agency_id(seeded, "PUPR")
    for i in range(10):  # later filing, later deadline: the first filed is the most urgent
        await file(seeded, rina, TUE + timedelta(days=i), draft(f"Laporan nomor {i} tentang jalan rusak", agency_id=pupr))
    async with seeded.uow() as uow:
        p1 = await desk_queue.queue(uow, officer, 1, now=TUE, tz=WITA)
        p2 = await desk_queue.queue(uow, officer, 2, now=TUE, tz=WITA)
        p9 = await desk_queue.queue(uow, officer, 9, now=TUE, tz=WITA)
        p0 = await desk_queue.queue(uow, officer, -5, now=TUE, tz=WITA)
    assert (p1.pages, p1.total, len(p1.items), len(p2.items)) == (2, 10, 8, 2)
    dues = [r.deadline for r in p1.items + p2.items]
    assert dues == sorted(dues)
    assert p9.page == 2 and p9.items == p2.items and p0.page == 1


async def test_claim_is_shown_to_colleagues_taken_over_and_released_all_audited(seeded):
    rina, officer, hr = await who(seeded, 1001), await who(seeded, OFFICER), await who(seeded, HR)
    budi2 = await colleague(seeded, TUE)
    cid = await file(seeded, rina, TUE, draft(agency_id=await agency_id(seeded, "PUPR")))
    async with seeded.uow() as uow:
        assert (await claims.claim(uow, officer, cid, now=TUE)).previous is None
        await uow.commit()
    async with seeded.uow() as uow:
        mine = await desk.card(uow, officer, cid, now=TUE, tz=WITA)
        theirs = await desk.card(uow, budi2, cid, now=TUE, tz=WITA)
        line = (await desk_queue.queue(uow, budi2, now=TUE, tz=WITA)).items[0]
        view = await tracking.view(uow, rina, cid, now=TUE, policy=tracking.Policy())
    assert mine.claimed_by_me and not mine.can_claim
    assert theirs.claimed_by == "Budi (Dinas PUPR)" and not theirs.claimed_by_me and theirs.can_claim
    assert line.claimed_by == "Budi (Dinas PUPR)"
    assert all(e.action != "claim" for e in view.events)  # the citizen never sees who took it
    async with seeded.uow() as uow:
        with pytest.raises(DomainError) as e:  # a colleague's: taking over is a second press
            await claims.claim(uow, budi2, cid, now=TUE)
        assert e.value.code == "cx.err.claimed" and e.value.params["name"] == "Budi (Dinas PUPR)"
        with pytest.raises(Forbidden):  # only its claimant (or HR) lets it go
            await claims.release(uow, budi2, cid, now=TUE)
        assert (await claims.claim(uow, budi2, cid, now=TUE, take_over=True)).previous == "Budi (Dinas PUPR)"
        await uow.commit()
    assert (await load(seeded, cid)).claimed_by_id == budi2.id
    async with seeded.uow() as uow:
        await claims.release(uow, hr, cid, now=TUE)
        await uow.commit()
    assert (await load(seeded, cid)).claimed_by_id is None
    [first, second] = await audits(seeded, "complaint.claim")
    assert (first.actor_user_id, first.details["before"]["claimed_by"], first.details["after"]["claimed_by"]) == (officer.id, None, officer.id)
    assert (second.details["before"]["claimed_by"], second.details["after"]["claimed_by"], second.details["taken_over"]) == (
        officer.id, budi2.id, True)
    [rel] = await audits(seeded, "complaint.release")
    assert rel.actor_user_id == hr.id and rel.details["after"]["claimed_by"] is None and rel.details["at"]


async def test_asking_the_reporter_and_their_answer_returning_into_the_report(seeded):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, TUE, draft(agency_id=await agency_id(seeded, "PUPR"), privacy="anonim"))
    async with seeded.uow() as uow:
        for bad in ("", "   ", "\u200b", "x" * 4001):
            with pytest.raises(InvalidInput):
                await asking.draft_question(uow, officer, cid, bad)
        preview = await asking.draft_question(uow, officer, cid, "  Di sisi jalan yang mana? <b>&</b> 🙏 ")
        assert preview.text == "Di sisi jalan yang mana? <b>&</b> 🙏"
        await asking.ask_info(uow, officer, cid, preview.text, now=TUE)
        await uow.commit()
    c = await load(seeded, cid)
    assert c.info_requested_at == TUE and c.status == "diterima"
    [(uid, template, params)] = [x for x in await outbox(seeded) if x[1] == "cx.ask"]
    assert uid == rina.id and params["note"] == preview.text
    later = TUE + timedelta(hours=2)
    async with seeded.uow() as uow:
        assert (await desk_queue.queue(uow, officer, now=later, tz=WITA)).items[0].awaiting_info
        await tracking.reply(uow, rina, cid, "Sisi kiri dari arah Banjarbaru", now=later)
        await uow.commit()
    assert (await load(seeded, cid)).info_requested_at is None
    async with seeded.uow() as uow:
        card = await desk.card(uow, officer, cid, now=later, tz=WITA)
    assert [(e.action, e.note, e.detail) for e in card.events if e.action in ("ask", "reply")] == [
        ("ask", preview.text, None), ("reply", "Sisi kiri dari arah Banjarbaru", "info")]
    assert ("cx.reply", officer.id) in [(t, u) for u, t, _ in await outbox(seeded)]
    [a] = await audits(seeded, "complaint.ask")
    assert a.actor_user_id == officer.id and a.details["after"]["info_requested_at"] and a.details["before"]["info_requested_at"] is None


async def test_asking_is_refused_when_nobody_can_answer_or_it_is_over(seeded):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    pupr = await agency_id(seeded, "PUPR")
    erased = await file(seeded, rina, TUE, draft(agency_id=pupr))
    answered = await file(seeded, rina, TUE, draft("Lampu jalan mati di Kenanga sejak seminggu", agency_id=pupr))
    async with seeded.uow() as uow:
        await uow.session.execute(update(Complaint).where(Complaint.id == erased).values(reporter_id=None))
        await uow.commit()
    await set_status(seeded, answered, "dijawab")
    async with seeded.uow() as uow:
        with pytest.raises(DomainError) as e:
            await asking.ask_info(uow, officer, erased, "Di mana tepatnya?", now=TUE)
        assert e.value.code == "cx.err.no_reporter"
        with pytest.raises(DomainError) as e:
            await asking.ask_info(uow, officer, answered, "Di mana tepatnya?", now=TUE)
        assert e.value.code == "cx.err.illegal"
        assert not (await desk.card(uow, officer, erased, now=TUE, tz=WITA)).can_ask


async def test_an_officer_forwards_to_another_agency_whose_officers_are_told(seeded):
    rina, officer, hr = await who(seeded, 1001), await who(seeded, OFFICER), await who(seeded, HR)
    pupr, dinkes = await agency_id(seeded, "PUPR"), await agency_id(seeded, "DINKES")
    async with seeded.uow() as uow:
        await grant_role(uow, actor="test", external_id=700040, role="officer", agency_code="DINKES", now=TUE)
        await uow.commit()
    nurse = await who(seeded, 700040)
    cid = await file(seeded, rina, TUE, draft("Antrian puskesmas sangat panjang sejak pagi hari", agency_id=pupr))
    async with seeded.uow() as uow:
        await claims.claim(uow, officer, cid, now=TUE)
        targets = await forwarding.forward_targets(uow, officer, cid)
        assert pupr not in [t.agency.id for t in targets] and dinkes in [t.agency.id for t in targets]
        with pytest.raises(InvalidInput):
            await forwarding.forward(uow, officer, cid, pupr, now=TUE)  # where it already is
        with pytest.raises(InvalidInput):
            await forwarding.forward(uow, officer, cid, 999_999, now=TUE)
        with pytest.raises(DomainError):
            await forwarding.forward(uow, hr, cid, dinkes, now=TUE)  # HR routes with "dispose"
        routed = await forwarding.forward(uow, officer, cid, dinkes, now=TUE)
        await uow.commit()
    assert routed.officers == 1
    c = await load(seeded, cid)
    assert (c.agency_id, c.status, c.claimed_by_id) == (dinkes, "didisposisikan", None)
    assert ("cx.new", nurse.id) in [(t, u) for u, t, _ in await outbox(seeded)]
    async with seeded.uow() as uow:
        with pytest.raises(NotFound):  # no longer the PUPR officer's
            await forwarding.forward(uow, officer, cid, pupr, now=TUE)
    [a] = await audits(seeded, "complaint.forward")
    assert a.details["before"]["agency_id"] == pupr and a.details["after"]["agency_id"] == dinkes and a.details["agency"] == "DINKES"


async def test_merge_moves_the_followers_to_the_original(seeded):
    rina, budi, sari = await who(seeded, 1001), await who(seeded, 1002, "Budi"), await who(seeded, 1003, "Sari")
    officer = await who(seeded, OFFICER)
    pupr = await agency_id(seeded, "PUPR")
    original = await file(seeded, rina, TUE, draft(agency_id=pupr))
    dup = await file(seeded, budi, TUE, draft("Lubang besar di depan SDN 1 Guntung Manggis", agency_id=pupr))
    async with seeded.uow() as uow:
        await tracking.follow(uow, sari, dup, now=TUE)
        await tracking.follow(uow, rina, dup, now=TUE)  # the original's reporter follows the duplicate too
        number = (await uow.complaints.get(original)).number
        assert await desk.merge(uow, officer, dup, number, now=TUE) == number
        await uow.commit()
    async with seeded.uow() as uow:
        rows = (await uow.session.execute(select(ComplaintFollower.complaint_id, ComplaintFollower.user_id))).all()
        events = (await uow.session.execute(select(ComplaintEvent.action).where(
            ComplaintEvent.complaint_id == dup))).scalars().all()
    assert sorted(rows) == sorted([(original, budi.id), (original, sari.id)])  # moved; not its own reporter
    assert "merge" in events
    # Sari heard of the merge while she still followed the duplicate.
    assert ("cx.followed", sari.id) in [(t, u) for u, t, _ in await outbox(seeded)]
    [a] = await audits(seeded, "complaint.merge")
    assert (a.details["before"]["status"], a.details["after"]["status"], a.details["followers_moved"]) == ("diterima", "digabung", 2)


async def test_every_status_change_is_audited_with_before_and_after(seeded):
    rina, officer = await who(seeded, 1001), await who(seeded, OFFICER)
    cid = await file(seeded, rina, TUE, draft(agency_id=await agency_id(seeded, "PUPR")))
    async with seeded.uow() as uow:
        await desk.act(uow, officer, cid, "answer", note="Sudah ditambal", now=TUE)  # verifies first
        await desk.act(uow, officer, cid, "close", note=None, now=TUE)
        await uow.commit()
    got = [(a.action, a.details["before"].get("status"), a.details["after"].get("status"), a.actor_user_id)
           for a in await audits(seeded, "complaint.verify") + await audits(seeded, "complaint.answer")
           + await audits(seeded, "complaint.close")]
    assert got == [("complaint.verify", "diterima", "diverifikasi", officer.id),
                   ("complaint.answer", "diverifikasi", "dijawab", officer.id),
                   ("complaint.close", "dijawab", "ditutup", officer.id)]
    [answer] = await audits(seeded, "complaint.answer")
    assert answer.details["note"] == "Sudah ditambal" and answer.target == (await load(seeded, cid)).number
