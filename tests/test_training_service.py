"""Training rules through the services, on SQLite and PostgreSQL: eligibility at its edges,
sign-up, waiting list and promotion, deadlines, overlap, attendance and the JP year."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditLog, OutboxMessage
from db.models.training import Training
from handlers.features import bot
from services import civil_service as cs
from services.demo import seed_demo
from services.errors import DomainError, Forbidden, NotFound
from services.training import attendance, catalogue, signup
from services.training.rules import NotEligible, NotLinked, unmet
from tests.training_helpers import AHMAD, BUDI, NUR, SITI, by_code, linked, statuses, training

TZ = "Asia/Makassar"


@pytest.fixture
async def seeded(db, clock):
    async with db.uow() as uow:
        await seed_demo(uow, clock(), bot().demo)
        await uow.commit()
    return db


def _record(golongan: str | None, kind: str | None = "jf_ahli_pertama", employment: str = "PNS",
            agency_id: int | None = 1) -> cs.Record:
    return cs.record(1, SITI, agency_id, golongan, kind, employment, None, None)


def _t(**kw: object) -> Training:
    return Training(min_golongan=kw.get("min"), max_golongan=kw.get("max"), jabatan_kinds=kw.get("kinds", []),
                    agency_ids=kw.get("agencies", []), employment=kw.get("employment"))


def test_eligibility_rules_at_their_edges() -> None:
    assert unmet(_t(min="III/b"), _record("III/b"), {}) == ()  # exactly the minimum is enough
    [u] = unmet(_t(min="III/b"), _record("III/a"), {})
    assert (u.rule, u.need, u.have) == ("min_golongan", ("III/b",), "III/a")
    assert unmet(_t(max="III/b"), _record("III/b"), {}) == ()
    assert unmet(_t(max="III/b"), _record("III/c"), {})[0].rule == "max_golongan"
    # PPPK have no golongan: a minimum is never met, and it says why
    [u] = unmet(_t(min="II/a"), _record(None, employment="PPPK"), {})
    assert u.have is None
    assert unmet(_t(kinds=["jf_ahli_pertama"]), _record("III/b"), {}) == ()
    assert unmet(_t(kinds=["jf_ahli_muda"]), _record("III/b"), {})[0].need == ("jf_ahli_muda",)
    assert unmet(_t(kinds=["jf_ahli_muda"]), _record("III/b", kind=None), {})[0].have is None
    [u] = unmet(_t(agencies=[2]), _record("III/b", agency_id=1), {1: "Dinkes", 2: "Dinas PUPR"})
    assert (u.need, u.have) == (("Dinas PUPR",), "Dinkes")
    assert unmet(_t(employment="PPPK"), _record("III/b"), {})[0].have == "PNS"
    every = unmet(_t(min="IV/a", kinds=["administrator"], agencies=[2], employment="PPPK"), _record("III/b"), {})
    assert [u.rule for u in every] == ["min_golongan", "jabatan", "agency", "employment"]


async def test_sign_up_takes_a_seat_and_a_second_sign_up_is_refused(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        mp = await by_code(uow, "MP-2026-01")
        done = await signup.sign_up(uow, siti, mp.id, clock())
        assert (done.status, done.position) == ("seat", None)
        with pytest.raises(DomainError) as e:
            await signup.sign_up(uow, siti, mp.id, clock())
        assert e.value.code == "tr.err.already_seat"
        await uow.commit()
    async with seeded.uow() as uow:
        v = await catalogue.detail(uow, siti, mp.id, clock())
        assert (v.mine, v.seats_left) == ("seat", 29)


async def test_not_linked_and_unknown_training_are_refused_by_the_service(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        from dataclasses import replace
        with pytest.raises(NotLinked):
            await catalogue.upcoming(uow, replace(siti, employee_id=None), clock())
        with pytest.raises(NotLinked):
            await signup.sign_up(uow, replace(siti, employee_id=None), 1, clock())
        with pytest.raises(NotFound):
            await signup.sign_up(uow, siti, 987654, clock())


async def test_each_unmet_rule_is_refused_with_its_reason(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        for code, rule in (("PKA-2026-01", "min_golongan"), ("JLN-2026-01", "agency"), ("AKP-2026-01", "jabatan")):
            with pytest.raises(NotEligible) as e:
                await signup.sign_up(uow, siti, (await by_code(uow, code)).id, clock())
            assert [u.rule for u in e.value.unmet] == [rule]
        assert siti.employee_id not in await statuses(uow, (await by_code(uow, "JLN-2026-01")).id)


async def test_a_full_training_needs_consent_for_the_waiting_list_and_tells_the_position(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        pp = await by_code(uow, "PP-2026-01")  # quota 2: Ahmad and Budi; Nur waits
        with pytest.raises(DomainError) as e:
            await signup.sign_up(uow, siti, pp.id, clock())
        assert (e.value.code, e.value.params["position"]) == ("tr.err.full", 2)
        assert (await statuses(uow, pp.id)).get(siti.employee_id) is None  # nothing half-saved
        done = await signup.sign_up(uow, siti, pp.id, clock(), waiting_list=True)
        assert (done.status, done.position) == ("waiting", 2)


async def test_a_cancelled_seat_goes_to_the_next_in_line_who_is_told_at_once(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        ahmad = await linked(uow, AHMAD, 700003, role="hr")
        budi = await linked(uow, BUDI, 700004, role="officer")
        nur = await linked(uow, NUR, 700005)
        pp = await by_code(uow, "PP-2026-01")
        await signup.sign_up(uow, siti, pp.id, clock(), waiting_list=True)
        left = await signup.cancel(uow, budi, pp.id, clock(), tz=TZ)
        assert left.was == "seat"
        got = await statuses(uow, pp.id)
        assert (got[nur.employee_id], got[siti.employee_id], got[budi.employee_id]) == ("seat", "waiting", "cancelled")
        assert (await catalogue.detail(uow, siti, pp.id, clock())).position == 1
        await signup.cancel(uow, ahmad, pp.id, clock(), tz=TZ)
        assert (await statuses(uow, pp.id))[siti.employee_id] == "seat"
        await uow.commit()
    async with seeded.uow() as uow:
        rows = list((await uow.session.execute(select(OutboxMessage).where(OutboxMessage.template == "tr.seat")
                                               .order_by(OutboxMessage.id))).scalars())
        assert [(r.user_id, r.params["title"]) for r in rows] == [(nur.id, "Pelayanan Prima"),
                                                                 (siti.id, "Pelayanan Prima")]
        # Budi signs up again: a seat is free? No: Nur and Siti hold both; he goes to the end of the line
        again = await signup.sign_up(uow, budi, pp.id, clock(), waiting_list=True)
        assert (again.status, again.position) == ("waiting", 1)


async def test_nothing_after_the_deadline_and_no_overlap(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        t = await training(uow, clock(), "T-DL", closes_in=timedelta(hours=1))
        nas = await by_code(uow, "NAS-2026-01")  # same morning as K3, where Siti holds a seat
        with pytest.raises(DomainError) as e:
            await signup.sign_up(uow, siti, nas.id, clock())
        assert (e.value.code, e.value.params["title"]) == ("tr.err.overlap_seat",
                                                          "Kesehatan dan Keselamatan Kerja di Puskesmas")
        await signup.sign_up(uow, siti, t.id, clock())
        clock.advance(hours=1)  # exactly the deadline: closed
        with pytest.raises(DomainError) as e:
            await signup.cancel(uow, siti, t.id, clock(), tz=TZ)
        assert e.value.code == "tr.err.cancel_closed"
        other = await linked(uow, AHMAD, 700003, role="hr")
        with pytest.raises(DomainError) as e:
            await signup.sign_up(uow, other, t.id, clock())
        assert e.value.code == "tr.err.closed"
        t.status = "cancelled"
        with pytest.raises(DomainError) as e:
            await signup.sign_up(uow, other, t.id, clock())
        assert e.value.code == "tr.err.cancelled"


async def _race(db, people, training_id, now, **kw):
    """Each person in their own unit of work, all at once, each committing what it got."""
    async def one(p):
        async with db.uow() as uow:
            try:
                r = await signup.sign_up(uow, p, training_id, now, **kw)
            except DomainError as e:
                return e.code
            await uow.commit()
            return r.status
    return await asyncio.gather(*(one(p) for p in people))


async def test_two_people_racing_for_the_last_seat_do_not_both_get_it(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        ahmad = await linked(uow, AHMAD, 700003, role="hr")
        t = await training(uow, clock(), "T-RACE", quota=1)
        await uow.commit()
    got = await _race(seeded, [siti, ahmad], t.id, clock())
    assert sorted(got) == ["seat", "tr.err.full"]
    async with seeded.uow() as uow:
        assert sorted((await statuses(uow, t.id)).values()) == ["seat"]
    # The same person pressing twice at once: one enrolment, the other told they are in already
    got = await _race(seeded, [ahmad, ahmad], t.id, clock(), waiting_list=True)
    async with seeded.uow() as uow:
        assert sorted((await statuses(uow, t.id)).values()) == ["seat", "waiting"]
    assert sorted(got) == ["tr.err.already_waiting", "waiting"] or sorted(got) == ["tr.err.already_seat", "waiting"]


async def test_attendance_is_hr_only_audited_and_credits_the_jp(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)
        hr = await linked(uow, AHMAD, 700003, role="hr")
        t = await training(uow, clock(), "T-ATT", days=1, jp=12, closes_in=timedelta(hours=2))
        await signup.sign_up(uow, siti, t.id, clock())
        with pytest.raises(Forbidden):
            await attendance.mark_attended(uow, siti, t.id, [siti.employee_id], now=clock())
        with pytest.raises(DomainError) as e:
            await attendance.mark_attended(uow, hr, t.id, [siti.employee_id], now=clock())
        assert e.value.code == "tr.err.not_started"
        before = await attendance.my_year(uow, siti, clock(), cs_tz())
        assert (before.counted_jp, before.short_by, before.target) == (8, 12, 20)
        assert before.suggestions and all(v.eligible and v.seats_left for v in before.suggestions)
        clock.advance(days=1, hours=8)
        report = await attendance.mark_attended(uow, hr, t.id, [siti.employee_id, hr.employee_id, 424242,
                                                                siti.employee_id], now=clock())
        assert (report.marked, report.unknown) == ((siti.employee_id, hr.employee_id), (424242,))
        again = await attendance.mark_attended(uow, hr, t.id, [siti.employee_id], now=clock())
        assert (again.marked, again.already) == ((), (siti.employee_id,))
        after = await attendance.my_year(uow, siti, clock(), cs_tz())
        assert (after.total_jp, after.counted_jp, after.short_by, after.suggestions) == (20, 20, 0, ())
        await uow.commit()
    async with seeded.uow() as uow:
        audit = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "training.attended"))).scalars()
        assert [a.target for a in audit] == [f"training:{t.id}", f"training:{t.id}"]


async def test_pppk_jp_is_capped_at_24(seeded, clock):
    async with seeded.uow() as uow:
        nur = await linked(uow, NUR, 700005)
        hr = await linked(uow, AHMAD, 700003, role="hr")
        a = await training(uow, clock(), "T-P1", days=1, jp=16)
        b = await training(uow, clock(), "T-P2", days=2, jp=16)
        clock.advance(days=3)
        for t in (a, b):
            await attendance.mark_attended(uow, hr, t.id, [nur.employee_id], now=clock())
        y = await attendance.my_year(uow, nur, clock(), cs_tz())
        assert (y.total_jp, y.counted_jp, y.cap, y.short_by) == (32, 24, 24, 0)


def cs_tz():
    from zoneinfo import ZoneInfo
    return ZoneInfo(TZ)


async def test_search_needs_a_word_of_the_query_in_the_title_or_topic(seeded, clock):
    async with seeded.uow() as uow:
        siti = await linked(uow, SITI, 700002)

        async def codes(query: str) -> list[str]:
            return [v.code for v in await catalogue.search(uow, siti, query, clock())]

        # Only trainings about data: not "pengadaan", "dashboard" or "digitalisasi" (pieces of words).
        data = await codes("data")
        assert set(data) <= {"DATA-2026-01", "KIP-2026-01", "SIK-2026-01"} and data[0] == "DATA-2026-01", data
        assert "KIP-2026-01" in data
        assert await codes("pelatihan data") == data  # "pelatihan" names no subject
        assert (await codes("literasi data"))[0] == "DATA-2026-01"  # both words first
        # Typos in a word are forgiven, and a word's start names it; best first.
        assert (await codes("manajemen proyk"))[0] == "MP-2026-01"
        assert (await codes("digitalisai pelayanan"))[0] == "DIG-2026-01"
        assert (await codes("digital"))[0] == "DIG-2026-01"
        assert await codes("keamanan") == ["KIP-2026-01"]
        assert await codes("kebun sawit") == []
