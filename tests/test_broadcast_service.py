"""Broadcast services on SQLite and PostgreSQL: the authorisation matrix, the text, audiences,
confirmation (one row per recipient, never twice), cancelling, quiet hours and the summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from db.models import AuditLog, Broadcast, OutboxMessage, User
from handlers.features import bot
from services.broadcasts import audience as aud
from services.broadcasts import demo, manage, progress
from services.broadcasts.compose import MAX_CHARS, compose, safe_html, to_html
from services.errors import DomainError, Forbidden, InvalidInput
from services.quiet_hours import QuietHours
from services.users import Person

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 WITA
TZ = ZoneInfo("Asia/Makassar")
QUIET = QuietHours.parse("21:00-06:00")
ROLES = ("citizen", "asn", "officer", "hr", "superadmin", "unlinked")


def _person(user: User, role: str) -> Person:
    return Person(id=user.id, chat_id=user.chat_id, external_id=user.external_id, name=user.name or "",
                  username=None, role=role, agency_id=user.agency_id, employee_id=user.employee_id, locale=None,
                  language_code="id")


async def people(uow) -> dict[str, Person]:
    """One person per role; the civil servant is linked, the 'unlinked' one has the ASN role without a record."""
    [asn_uid] = await demo.add_civil_servants(uow, 1, first_id=880_001, now=NOW, agencies=["PUPR"])
    out = {"asn": _person(await uow.users.get(asn_uid), "asn")}
    for i, role in enumerate(("citizen", "officer", "hr", "superadmin", "unlinked")):
        u = uow.users.add(User(channel="telegram", external_id=881_000 + i, chat_id=881_000 + i, name=role,
                               role="asn" if role == "unlinked" else role, state_data={}))
        await uow.flush()
        out[role] = _person(u, "asn" if role == "unlinked" else role)
    return out


@pytest.fixture
async def world(app):
    async with app.db.uow() as uow:
        who = await people(uow)
        await uow.commit()
    return app.db, who


async def _audits(uow) -> int:
    return int((await uow.session.execute(select(func.count()).select_from(AuditLog)
                                          .where(AuditLog.action.like("broadcast.%")))).scalar() or 0)


# --- who may do what ----------------------------------------------------------------------------

ACTIONS = ("check", "create", "get", "set_audience", "audience_of", "confirm", "cancel", "undelivered", "summary")


async def _act(uow, action: str, p: Person, bid: int) -> object:
    match action:
        case "check":
            return manage.check(p)
        case "create":
            return await manage.create(uow, p, "Rapat *penting* besok", now=NOW)
        case "get":
            return await manage.get(uow, p, bid)
        case "set_audience":
            return await manage.set_audience(uow, p, bid, aud.Audience(employment="PNS"))
        case "audience_of":
            return await manage.audience_of(uow, p, bid)
        case "confirm":
            return await manage.confirm(uow, p, bid, now=NOW, quiet=QUIET, tz=TZ)
        case "cancel":
            return await manage.cancel(uow, p, bid, now=NOW)
        case "undelivered":
            return await progress.undelivered(uow, p, bid)
        case "summary":
            return await progress.delivery_summary(uow, p, NOW - timedelta(days=1), NOW + timedelta(days=1))
    raise AssertionError(action)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ACTIONS)
async def test_only_hr_and_superadmin_may_act_on_broadcasts(world, role: str, action: str):
    db, who = world
    async with db.uow() as uow:
        bid = (await manage.create(uow, who["hr"], "Pengumuman", now=NOW)).id
        await uow.commit()
    async with db.uow() as uow:
        audits, rows = await _audits(uow), await uow.outbox.counts()
        if role in ("hr", "superadmin"):
            await _act(uow, action, who[role], bid)
            if action in ("create", "confirm", "cancel"):
                assert await _audits(uow) == audits + 1  # every create/confirm/cancel is audited
        else:
            with pytest.raises(Forbidden):
                await _act(uow, action, who[role], bid)
            assert (await _audits(uow), await uow.outbox.counts()) == (audits, rows)
            b = (await uow.session.execute(select(Broadcast).where(Broadcast.id == bid))).scalar_one()
            assert (b.status, b.audience) == ("draft", aud.Audience().to_json())


@pytest.mark.parametrize("role", ROLES)
async def test_anyone_chooses_their_own_news_opt_in(world, role: str):
    db, who = world
    async with db.uow() as uow:
        assert await progress.news(uow, who[role]) is False
        await progress.set_news(uow, who[role], True, now=NOW)
        assert await progress.news(uow, who[role]) is True


# --- the text ----------------------------------------------------------------------------------

def test_the_markup_becomes_balanced_telegram_html_and_everything_else_stays_text():
    assert to_html("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert to_html("*tebal* _miring_ [situs](https://bkpsdm.example.go.id/a?b=1&c=2)") == (
        '<b>tebal</b> <i>miring</i> <a href="https://bkpsdm.example.go.id/a?b=1&amp;c=2">situs</a>')
    assert to_html("nama_file_baru 2*3*4 https://x.id/a_b_c") == "nama_file_baru 2*3*4 https://x.id/a_b_c"
    assert to_html("[x](javascript:alert(1))") == "[x](javascript:alert(1))"  # only http(s) links
    assert to_html("<b>bukan tag</b> 🎉") == "&lt;b&gt;bukan tag&lt;/b&gt; 🎉"
    for typed in ("*a _b* c_", "_*x*_", "*_x_*", "**", "[a](https://x) *[b](https://y)*"):
        assert safe_html(to_html(typed)) == to_html(typed)  # balanced: nothing for Telegram to refuse


def test_safe_html_neutralises_a_row_written_by_anything_else():
    assert safe_html('<script>x</script><b>ok') == "&lt;script&gt;x&lt;/script&gt;<b>ok</b>"
    assert safe_html('<a href="javascript:x">y</a>') == '&lt;a href="javascript:x"&gt;y&lt;/a&gt;'
    assert safe_html("</i><b><b>z</b>") == "&lt;/i&gt;<b>&lt;b&gt;z</b>"


@pytest.mark.parametrize("typed,code", [("", "bc.err.empty"), ("  \n\t ", "bc.err.empty"), ("\x00\x01", "bc.err.empty"),
                                        ("x" * (MAX_CHARS + 1), "bc.err.too_long")])
def test_bad_texts_are_refused_with_a_reason(typed: str, code: str):
    with pytest.raises(InvalidInput) as e:
        compose(typed)
    assert e.value.code == code


def test_control_characters_are_dropped_and_a_photo_needs_no_caption():
    assert compose("a\x00b\r\nc").body == "ab\nc"
    c = compose("", attachment_kind="photo", file_id="F1")
    assert (c.body, c.attachment_kind, c.attachment_file_id) == ("", "photo", "F1")
    with pytest.raises(InvalidInput):
        compose("x", attachment_kind="video", file_id="F1")


# --- audiences ---------------------------------------------------------------------------------

async def test_audiences_are_counted_by_the_filters_and_only_reachable_people_count(app):
    async with app.db.uow() as uow:
        hr = (await people(uow))["hr"]
        uids = await demo.add_civil_servants(uow, 70, first_id=890_001, now=NOW, agencies=["PUPR", "DINKES"])
        await demo.add_citizens(uow, 5, first_id=899_001, now=NOW)
        await uow.session.execute(update(User).where(User.id.in_(uids[:3])).values(unreachable=True))
        await uow.session.execute(update(User).where(User.id.in_(uids[3:5])).values(erased=True))
        d = await manage.create(uow, hr, "Halo", now=NOW)

        async def count(a: aud.Audience) -> int:
            return (await manage.set_audience(uow, hr, d.id, a)).reachable

        everyone = await count(aud.Audience())
        assert everyone == 70 + 1 - 5  # + the one of `people`, − unreachable and erased
        pupr = await count(await aud.with_agencies(uow, aud.Audience(), "pupr"))
        assert 30 <= pupr <= 40 and pupr + await count(await aud.with_agencies(uow, aud.Audience(), "DINKES")) == everyone
        assert await count(await aud.with_agencies(uow, aud.Audience(), "PUPR, DINKES")) == everyone
        pns = await count(aud.with_employment(aud.Audience(), "PNS"))
        assert pns + await count(aud.with_employment(aud.Audience(), "PPPK")) == everyone
        gol = aud.with_golongan(aud.Audience(), "III/a - III/d")
        assert (gol.gol_min, gol.gol_max) == ("III/a", "III/d")
        assert 0 < await count(gol) < pns
        assert await count(aud.with_golongan(aud.Audience(), "I/a-IV/e")) == pns  # PPPK have no golongan
        jf = await count(aud.with_kinds(aud.Audience(), "JF"))
        assert 0 < jf < everyone
        both = aud.with_employment(await aud.with_agencies(uow, aud.with_kinds(aud.Audience(), "JF"), "PUPR"), "PNS")
        assert 0 < await count(both) < jf  # filters combine
        assert await count(aud.citizens()) == 5
        assert await count(aud.with_topic(aud.Audience(), "training", {tp.key: tp.default for tp in bot().topics})) == everyone  # the default is "on"
        # The topics are the ones passed in, each with its default: a topic nobody chose yet and
        # whose default is "off" reaches nobody; one the caller does not offer is refused.
        assert await count(aud.with_topic(aud.Audience(), "parking", {"parking": "off"})) == 0
        with pytest.raises(InvalidInput):
            aud.with_topic(aud.Audience(), "parking", {tp.key: tp.default for tp in bot().topics})
        # Stored before the default was kept with the topic: counted as every topic's default did.
        assert await count(aud.Audience.from_json({"topic": "training"})) == everyone
        for bad in ("XX/a", "", "III"):
            with pytest.raises(InvalidInput):
                aud.with_golongan(aud.Audience(), bad)
        with pytest.raises(DomainError):
            aud.with_kinds(aud.Audience(), "menteri")
        with pytest.raises(InvalidInput) as e:
            await aud.with_agencies(uow, aud.Audience(), "PUPR, <b>NOPE</b>")
        assert e.value.code == "bc.err.agency"


def test_an_audience_survives_its_json_and_a_garbled_one_falls_back():
    a = aud.Audience(agencies=("PUPR",), gol_min="III/a", gol_max="IV/e", kinds=("pelaksana",), employment="PNS",
                     topic="vacancy")
    assert aud.Audience.from_json(a.to_json()) == a
    assert aud.Audience.from_json({"agencies": "PUPR", "citizens": 3, "zzz": 1}) == aud.Audience()
    assert aud.Audience.from_json(None) == aud.Audience()  # type: ignore[arg-type]


# --- confirming, cancelling --------------------------------------------------------------------

async def test_confirming_writes_one_row_per_recipient_once_in_batches(app):
    async with app.db.uow() as uow:
        hr = (await people(uow))["hr"]
        await demo.add_civil_servants(uow, 1200, first_id=890_001, now=NOW)
        d = await manage.create(uow, hr, "Apel pagi <wajib> & tepat waktu 🙏", now=NOW)
        done = await manage.confirm(uow, hr, d.id, now=NOW, quiet=QUIET, tz=TZ, progress_chat_id=1,
                                    progress_message_id=5, instance="Pemerintah Kota Banjarbaru")
        await uow.commit()
    assert done.status == "queued" and done.reachable == 1201 and done.starts_at == NOW
    async with app.db.uow() as uow:
        rows = (await uow.session.execute(select(OutboxMessage).where(OutboxMessage.broadcast_id == d.id))).scalars().all()
        assert len(rows) == 1201 == len({r.user_id for r in rows}) == len({r.dedupe_key for r in rows})
        assert {r.priority for r in rows} == {1} and {r.template for r in rows} == {"broadcast"}
        assert all(r.params == {"broadcast_id": d.id, "body": "", "attachment_kind": None,
                                "attachment_file_id": None, "attachment_name": None,
                                "sender": "Pemerintah Kota Banjarbaru"} for r in rows[:3])  # no agency: the instance
        with pytest.raises(InvalidInput) as e:
            await manage.confirm(uow, hr, d.id, now=NOW, quiet=QUIET, tz=TZ)  # a second press
        assert e.value.code == "bc.err.not_draft"
        audit = (await uow.session.execute(select(AuditLog).where(AuditLog.action == "broadcast.confirm"))).scalar_one()
        assert audit.details["recipients"] == 1201 and audit.actor_user_id == hr.id


async def test_cancelling_counts_the_unsent_rows_and_a_draft_is_dropped(app):
    async with app.db.uow() as uow:
        hr = (await people(uow))["hr"]
        await demo.add_civil_servants(uow, 10, first_id=890_001, now=NOW)
        draft = await manage.create(uow, hr, "Draf", now=NOW)
        assert (await manage.cancel(uow, hr, draft.id, now=NOW)).cancelled == 0
        d = await manage.create(uow, hr, "Jalan", now=NOW)
        await manage.confirm(uow, hr, d.id, now=NOW, quiet=QUIET, tz=TZ)
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.broadcast_id == d.id,
                                                              OutboxMessage.id % 3 == 0).values(status="sent"))
        sent = (await uow.broadcasts.counts([d.id]))[d.id]["sent"]
        r = await manage.cancel(uow, hr, d.id, now=NOW)
        assert r.started and r.cancelled == 11 - sent
        assert (await uow.broadcasts.counts([d.id]))[d.id] == {"sent": sent, "cancelled": 11 - sent}
        with pytest.raises(InvalidInput):
            await manage.cancel(uow, hr, d.id, now=NOW)  # already over
        [p] = await progress.due(uow, now=NOW, rate=25, quiet=QUIET, tz=TZ)
        assert p.finished and (p.status, p.sent, p.cancelled) == ("cancelled", sent, 11 - sent)


async def test_quiet_hours_hold_a_broadcast_until_morning_unless_urgent(app):
    night = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # 22:00 WITA
    async with app.db.uow() as uow:
        hr = (await people(uow))["hr"]
        a = await manage.create(uow, hr, "Besok pagi", now=night)
        held = await manage.confirm(uow, hr, a.id, now=night, quiet=QUIET, tz=TZ)
        assert held.starts_at == datetime(2026, 11, 23, 22, 0, tzinfo=UTC)  # 06:00 WITA
        b = await manage.create(uow, hr, "Banjir!", now=night)
        assert (await manage.confirm(uow, hr, b.id, now=night, quiet=QUIET, tz=TZ, urgent=True)).starts_at == night
        nb = (await uow.session.execute(select(func.min(OutboxMessage.not_before))
                                        .where(OutboxMessage.broadcast_id == a.id))).scalar()
        assert nb == held.starts_at
        assert [p.id for p in await progress.due(uow, now=night, rate=25, quiet=QUIET, tz=TZ)] == [b.id]


async def test_a_running_broadcast_reaching_quiet_hours_waits_for_the_morning(app):
    async with app.db.uow() as uow:
        hr = (await people(uow))["hr"]
        d = await manage.create(uow, hr, "Panjang", now=NOW)
        await manage.confirm(uow, hr, d.id, now=NOW, quiet=QUIET, tz=TZ)
        night = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)  # 21:30 WITA
        [p] = await progress.due(uow, now=night, rate=25, quiet=QUIET, tz=TZ)
        assert p.held_until == datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
        nb = (await uow.session.execute(select(func.min(OutboxMessage.not_before))
                                        .where(OutboxMessage.broadcast_id == d.id))).scalar()
        assert nb == p.held_until


def test_a_schedule_time_is_read_in_local_time_and_must_be_ahead():
    assert manage.parse_time("08:00", NOW, TZ) == datetime(2026, 11, 24, 0, 0, tzinfo=UTC)  # 10:00 now: tomorrow
    assert manage.parse_time("11.30", NOW, TZ) == datetime(2026, 11, 23, 3, 30, tzinfo=UTC)
    assert manage.parse_time("25-11-2026 07:00", NOW, TZ) == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    assert manage.parse_time("2026-11-25 07:00", NOW, TZ) == datetime(2026, 11, 24, 23, 0, tzinfo=UTC)
    for bad, code in (("kemarin", "bc.err.time"), ("31-02-2026 08:00", "bc.err.time"), ("25:00", "bc.err.time"),
                      ("01-11-2026 08:00", "bc.err.time_past"), ("01-06-2027 08:00", "bc.err.time_far"), ("", "bc.err.time")):
        with pytest.raises(InvalidInput) as e:
            manage.parse_time(bad, NOW, TZ)
        assert e.value.code == code, bad


async def test_a_scheduled_broadcast_waits_and_can_be_cancelled_before_it_starts(app):
    async with app.db.uow() as uow:
        hr = (await people(uow))["hr"]
        d = await manage.create(uow, hr, "Nanti", now=NOW)
        at = manage.parse_time("14:00", NOW, TZ)
        q = await manage.confirm(uow, hr, d.id, now=NOW, quiet=QUIET, tz=TZ, at=at)
        assert q.starts_at == at == q.scheduled_for
        assert await progress.due(uow, now=NOW, rate=25, quiet=QUIET, tz=TZ) == []  # not started: no progress
        r = await manage.cancel(uow, hr, d.id, now=NOW)
        assert (r.started, r.cancelled) == (False, 1)
        assert await progress.due(uow, now=at, rate=25, quiet=QUIET, tz=TZ) == []  # over: no report due


async def test_delivery_summary_counts_the_period(app):
    async with app.db.uow() as uow:
        hr = (await people(uow))["hr"]
        await demo.add_civil_servants(uow, 9, first_id=890_001, now=NOW)
        d = await manage.create(uow, hr, "Ringkas", now=NOW)
        await manage.confirm(uow, hr, d.id, now=NOW, quiet=QUIET, tz=TZ)
        ids = [r for r in (await uow.session.execute(select(OutboxMessage.id).where(
            OutboxMessage.broadcast_id == d.id).order_by(OutboxMessage.id))).scalars()]
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids[:6])).values(status="sent"))
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids[6:8])).values(status="unreachable"))
        s = await progress.delivery_summary(uow, hr, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
        assert (s.broadcasts, s.rows, s.sent, s.unreachable, s.pending) == (1, 10, 6, 2, 2)
        assert s.delivered_rate == pytest.approx(6 / 8)
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id.in_(ids[8:])).values(status="failed"))
        await progress.shown(uow, d.id, message_id=None, now=NOW, final=True)
        await uow.outbox.delete_history_before(NOW + timedelta(days=60))  # the maintenance job, a month later
        s = await progress.delivery_summary(uow, hr, NOW - timedelta(hours=1), NOW + timedelta(hours=1))
        assert (s.broadcasts, s.rows, s.sent, s.unreachable, s.failed, s.pending) == (1, 10, 6, 2, 2, 0)
        empty = await progress.delivery_summary(uow, hr, NOW + timedelta(days=1), NOW + timedelta(days=2))
        assert (empty.broadcasts, empty.rows, empty.delivered_rate) == (0, 0, 0.0)
