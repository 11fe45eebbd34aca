"""The outbox sender: pacing, 429/403/400/transient handling, in-flight cap, crash safety."""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import shutil
import sys
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from bot.database import open_database
from bot.delivery import Pause
from bot.engines.aiogram import AiogramEngine
from bot.outbox import OutboxSender
from bot.sandbox.emulator import Emulator
from db.engine import Database
from db.models import OutboxMessage, User
from db.repositories.outbox import Queued
from handlers.channel import DeliveryError, Rejected, RetryAfter, Transient, Unreachable
from handlers.kit import Reply
from handlers.notices import render_notice
from services.announcements import Announcement
from tests.conftest import PG_URL
from tests.harness import Clock, FakeChannel

ROOT = Path(__file__).resolve().parent.parent
_external = itertools.count(700_000)


class VirtualTime:
    """sleep/monotonic for the sender: time moves only when it sleeps, so tests never wait."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.now += max(seconds, 0.0)
        await asyncio.sleep(0)


class VirtualPause(Pause):
    """The bot-wide 429 pause, on virtual time; remembers every hold."""

    def __init__(self, vt: VirtualTime) -> None:
        super().__init__()
        self.vt = vt
        self.until = 0.0
        self.holds: list[tuple[float, float]] = []  # (when, seconds)

    def hold(self, seconds: float) -> None:
        self.holds.append((self.vt.now, seconds))
        self.until = max(self.until, self.vt.now + seconds)

    async def wait(self) -> None:
        while self.until > self.vt.now:
            await self.vt.sleep(self.until - self.vt.now)


@dataclass
class TimedChannel(FakeChannel):
    """A FakeChannel that notes the virtual time of each send and fails on a script."""

    vt: VirtualTime = field(default_factory=VirtualTime)
    times: list[float] = field(default_factory=list)
    script: dict[int, list[DeliveryError]] = field(default_factory=dict)  # chat → errors, then success
    attempts: Counter[int] = field(default_factory=Counter)

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        self.attempts[chat_id] += 1
        if self.script.get(chat_id):
            raise self.script[chat_id].pop(0)
        mid = await super().send(chat_id, reply, edit_message_id=edit_message_id)
        self.times.append(self.vt.now)
        return mid


async def add_users(db: Database, clock: Clock, n: int, language_code: str | None = "id") -> list[tuple[int, int]]:
    """n people who talked to the bot; (user id, chat id) each."""
    async with db.uow() as uow:
        users = [uow.users.add(User(channel="telegram", external_id=(ext := next(_external)), chat_id=ext,
                                    name=f"Warga {ext}", language_code=language_code, state_data={},
                                    created_at=clock(), last_seen_at=clock()))
                 for _ in range(n)]
        await uow.flush()
        await uow.commit()
        return [(u.id, u.chat_id) for u in users]


@dataclass(frozen=True)
class OldRow:
    """A row as other (older) code wrote it: any template, any params, no type to check."""

    template: str
    params: dict[str, Any]

    def to_params(self) -> dict[str, Any]:
        return dict(self.params)


async def enqueue(db: Database, clock: Clock, user_id: int, text: str, template: str = "announcement",
                  key: str | None = None) -> None:
    notice = Announcement(text) if template == "announcement" else OldRow(template, {"text": text})
    async with db.uow() as uow:
        await uow.outbox.add(user_id, notice, dedupe_key=key, not_before=clock())
        await uow.commit()


async def rows(db: Database) -> list[OutboxMessage]:
    async with db.uow() as uow:
        return list((await uow.session.execute(select(OutboxMessage).order_by(OutboxMessage.id))).scalars())


def make_sender(db: Database, channel: FakeChannel, clock: Clock, vt: VirtualTime, *, rate: float = 25.0,
                in_flight: int = 4, pause: Pause | None = None, **kw: object) -> OutboxSender:
    return OutboxSender(db, channel, render_notice, rate=rate, in_flight=in_flight,
                        pause=pause or VirtualPause(vt), clock=clock, sleep=vt.sleep, monotonic=vt.monotonic,
                        **kw)  # type: ignore[arg-type]


async def test_dedupe_key_enqueues_once_however_often(db: Database, clock: Clock) -> None:
    [(uid, chat)] = await add_users(db, clock, 1)
    async with db.uow() as uow:
        first = await uow.outbox.add(uid, Announcement("rapat"), dedupe_key="meeting:7:h-1",
                                     not_before=clock())
        again = [await uow.outbox.add(uid, Announcement("rapat"), dedupe_key="meeting:7:h-1",
                                      not_before=clock()) for _ in range(3)]
        many = await uow.outbox.add_many([
            Queued(uid, Announcement("rapat"), dedupe_key="meeting:7:h-1", not_before=clock()),
            Queued(uid, Announcement("besok"), dedupe_key="meeting:7:d-1", not_before=clock()),
            Queued(uid, Announcement("besok"), dedupe_key="meeting:7:d-1", not_before=clock()),
        ])
        await uow.commit()
    assert (first, again, many) == (True, [False, False, False], 1)
    assert sorted(r.dedupe_key or "" for r in await rows(db)) == ["meeting:7:d-1", "meeting:7:h-1"]

    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    assert await make_sender(db, channel, clock, vt).drain_once() == 2
    assert sorted(s.text.split("\n")[-1] for s in channel.to(chat)) == ["besok", "rapat"]


async def test_sends_are_paced_evenly_at_the_rate(db: Database, clock: Clock) -> None:
    users = await add_users(db, clock, 6)
    for i in range(24):
        await enqueue(db, clock, users[i % 6][0], f"pesan {i}")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    assert await make_sender(db, channel, clock, vt, rate=10.0, in_flight=4).drain_once() == 24

    assert len(channel.times) == 24
    gaps = [later - earlier for earlier, later in itertools.pairwise(channel.times)]
    assert min(gaps) >= 0.1 - 1e-9  # never two sends closer than 1/rate: no bursts
    assert max(gaps) <= 0.1 + 1e-9  # and no idling while rows are due: a steady start-time schedule
    assert {r.status for r in await rows(db)} == {"sent"}


async def test_a_pause_held_by_direct_replies_also_holds_the_outbox(db: Database, clock: Clock) -> None:
    [(uid, chat)] = await add_users(db, clock, 1)
    await enqueue(db, clock, uid, "halo")
    vt = VirtualTime()
    pause = VirtualPause(vt)
    pause.hold(7.0)  # a direct reply just got a 429
    channel = TimedChannel(vt=vt)
    await make_sender(db, channel, clock, vt, pause=pause).drain_once()
    assert channel.times == [7.0]


async def test_429_pauses_everyone_and_the_row_is_delivered_later(db: Database, clock: Clock) -> None:
    (a, chat_a), (b, chat_b), (c, chat_c) = await add_users(db, clock, 3)
    for uid in (a, b, c, b, c):
        await enqueue(db, clock, uid, "info banjir")
    vt = VirtualTime()
    pause = VirtualPause(vt)
    channel = TimedChannel(vt=vt, script={chat_a: [RetryAfter("Too Many Requests: retry after 3", 3)]})
    sender = make_sender(db, channel, clock, vt, rate=20.0, pause=pause)
    assert await sender.drain_once() == 5

    [(t429, seconds)] = pause.holds
    assert seconds == 3
    assert all(t >= t429 + 3 for t in channel.times if t > t429)  # nobody sent during the pause
    assert len(channel.times) == 4 and len(channel.to(chat_b)) == 2 and len(channel.to(chat_c)) == 2
    row_a = next(r for r in await rows(db) if r.user_id == a)
    assert (row_a.status, row_a.attempts) == ("pending", 0)  # a 429 is no failed attempt
    assert row_a.not_before == clock() + timedelta(seconds=3)

    assert await sender.drain_once() == 0  # not due before retry_after
    clock.advance(seconds=3)
    assert await sender.drain_once() == 1
    assert len(channel.to(chat_a)) == 1
    row_a = next(r for r in await rows(db) if r.user_id == a)
    assert (row_a.status, row_a.attempts) == ("sent", 1)


async def test_403_marks_the_user_unreachable_and_never_retries(db: Database, clock: Clock) -> None:
    (x, chat_x), (y, chat_y) = await add_users(db, clock, 2)
    for uid in (x, x, y, x, y):
        await enqueue(db, clock, uid, "pengumuman")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    channel.failures[chat_x] = Unreachable("Forbidden: bot was blocked by the user")
    sender = make_sender(db, channel, clock, vt, in_flight=1)
    await sender.drain_once()

    assert channel.attempts[chat_x] == 1  # the first 403 settles all of x's rows
    assert len(channel.to(chat_y)) == 2
    by_user = {(r.user_id, r.status) for r in await rows(db)}
    assert by_user == {(x, "unreachable"), (y, "sent")}
    first_x = next(r for r in await rows(db) if r.user_id == x)
    assert "blocked" in (first_x.last_error or "")
    async with db.uow() as uow:
        assert (await uow.users.get(x)).unreachable is True  # type: ignore[union-attr]

    clock.advance(hours=1)
    await enqueue(db, clock, x, "lagi")  # queued later for a person who blocked the bot
    await sender.drain_once()
    assert channel.attempts[chat_x] == 1
    assert (await rows(db))[-1].status == "unreachable"


async def test_400_fails_the_row_with_the_reason(db: Database, clock: Clock) -> None:
    (a, chat_a), (b, chat_b) = await add_users(db, clock, 2)
    await enqueue(db, clock, a, "<b>rusak")
    await enqueue(db, clock, b, "baik")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt, script={chat_a: [Rejected("sendMessage: Bad Request: can't parse entities")]})
    sender = make_sender(db, channel, clock, vt)
    await sender.drain_once()
    clock.advance(hours=1)
    await sender.drain_once()

    ra, rb = await rows(db)
    assert (ra.status, ra.last_error) == ("failed", "sendMessage: Bad Request: can't parse entities")
    assert rb.status == "sent"
    assert channel.attempts[chat_a] == 1


async def test_transient_errors_retry_with_backoff_then_fail(db: Database, clock: Clock) -> None:
    (a, chat_a), (b, chat_b) = await add_users(db, clock, 2)
    await enqueue(db, clock, a, "selalu gagal")
    await enqueue(db, clock, b, "gagal sekali")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt, script={chat_b: [Transient("Bad Gateway")]})
    channel.failures[chat_a] = Transient("timeout")
    sender = make_sender(db, channel, clock, vt, max_attempts=3, backoff_base=2.0)

    await sender.drain_once()
    ra, rb = await rows(db)
    assert (ra.status, ra.attempts, ra.last_error) == ("pending", 1, "timeout")
    assert ra.not_before == clock() + timedelta(seconds=2)
    assert (rb.status, rb.not_before) == ("pending", clock() + timedelta(seconds=2))

    clock.advance(seconds=1)
    await sender.drain_once()
    assert channel.attempts[chat_a] == 1  # backoff not over yet
    clock.advance(seconds=1)
    await sender.drain_once()
    ra, rb = await rows(db)
    assert (ra.status, ra.attempts, ra.not_before) == ("pending", 2, clock() + timedelta(seconds=4))
    assert rb.status == "sent" and len(channel.to(chat_b)) == 1

    clock.advance(seconds=4)
    await sender.drain_once()
    ra, _ = await rows(db)
    assert (ra.status, ra.last_error) == ("failed", "gave up after 3 attempts: timeout")
    assert channel.attempts[chat_a] == 3
    clock.advance(hours=1)
    await sender.drain_once()
    assert channel.attempts[chat_a] == 3


async def test_backoff_is_capped_at_ten_minutes(db: Database, clock: Clock) -> None:
    [(a, chat_a)] = await add_users(db, clock, 1)
    await enqueue(db, clock, a, "x")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    channel.failures[chat_a] = Transient("Internal Server Error")
    sender = make_sender(db, channel, clock, vt, backoff_base=100.0)
    await sender.drain_once()
    assert (await rows(db))[0].not_before == clock() + timedelta(seconds=100)
    clock.advance(seconds=100)
    await sender.drain_once()
    assert (await rows(db))[0].not_before == clock() + timedelta(minutes=10)


async def test_unknown_template_fails_the_row(db: Database, clock: Clock) -> None:
    [(a, chat_a)] = await add_users(db, clock, 1)
    await enqueue(db, clock, a, "x", template="no_such_notice")
    await enqueue(db, clock, a, "masih terkirim")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    await make_sender(db, channel, clock, vt).drain_once()
    bad, good = await rows(db)
    assert (bad.status, bad.last_error) == ("failed", "unknown template 'no_such_notice'")
    assert good.status == "sent" and channel.attempts[chat_a] == 1


async def test_locale_is_the_recipients(db: Database, clock: Clock) -> None:
    [(en_user, en_chat)] = await add_users(db, clock, 1, language_code="en-GB")
    [(id_user, id_chat)] = await add_users(db, clock, 1, language_code=None)
    [(chosen, chosen_chat)] = await add_users(db, clock, 1, language_code="en")
    async with db.uow() as uow:
        await uow.session.execute(update(User).where(User.id == chosen).values(locale="id"))
        await uow.commit()
    for uid in (en_user, id_user, chosen):
        await enqueue(db, clock, uid, "<script>&")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    await make_sender(db, channel, clock, vt, default_locale="id").drain_once()
    assert "Announcement" in channel.to(en_chat)[0].text
    assert "Pengumuman" in channel.to(id_chat)[0].text  # no language: the deployment's default
    assert "Pengumuman" in channel.to(chosen_chat)[0].text  # /bahasa beats Telegram's language
    assert "&lt;script&gt;&amp;" in channel.to(en_chat)[0].text


@dataclass
class SlowChannel(FakeChannel):
    """Each send takes a while; records how many run at once and how many rows are claimed."""

    db: Database | None = None
    running: int = 0
    peak: int = 0
    claimed_peak: int = 0

    async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            assert self.db is not None
            async with self.db.uow() as uow:
                self.claimed_peak = max(self.claimed_peak, (await uow.outbox.counts()).get("sending", 0))
            await asyncio.sleep(0.005)
            return await super().send(chat_id, reply, edit_message_id=edit_message_id)
        finally:
            self.running -= 1


async def test_at_most_in_flight_sends_and_claims_at_a_time(db: Database, clock: Clock) -> None:
    users = await add_users(db, clock, 5)
    for i in range(20):
        await enqueue(db, clock, users[i % 5][0], f"m{i}")
    vt = VirtualTime()
    channel = SlowChannel(db=db)
    assert await make_sender(db, channel, clock, vt, rate=1000.0, in_flight=3).drain_once() == 20
    assert len(channel.sent) == 20
    assert channel.peak == 3  # concurrent, but never more than the cap
    assert 1 <= channel.claimed_peak <= 3


async def test_a_long_notice_is_split_and_sent_once(db: Database, clock: Clock) -> None:
    [(a, chat_a)] = await add_users(db, clock, 1)
    await enqueue(db, clock, a, "\n".join(f"baris {i}: " + "x" * 80 for i in range(110)))
    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    await make_sender(db, channel, clock, vt, rate=5.0).drain_once()
    msgs = channel.to(chat_a)
    assert len(msgs) == 3 and all(len(m.text) <= 4096 for m in msgs)
    assert "baris 0:" in msgs[0].text and "baris 109:" in msgs[-1].text
    assert msgs[-1].labels() and not msgs[0].labels()  # the button rides on the last part
    assert [later - earlier for earlier, later in itertools.pairwise(channel.times)] == pytest.approx([0.2, 0.2])
    assert [r.status for r in await rows(db)] == ["sent"] and channel.attempts[chat_a] == 3


async def test_429_on_a_later_part_waits_instead_of_repeating_the_first(db: Database, clock: Clock) -> None:
    [(a, chat_a)] = await add_users(db, clock, 1)
    await enqueue(db, clock, a, "\n".join("y" * 90 for _ in range(60)))
    vt = VirtualTime()
    pause = VirtualPause(vt)

    @dataclass
    class SecondPartLimited(TimedChannel):
        async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
            if len(self.sent) == 1 and not pause.holds:
                self.attempts[chat_id] += 1
                raise RetryAfter("Too Many Requests", 2)
            return await super().send(chat_id, reply, edit_message_id=edit_message_id)

    channel = SecondPartLimited(vt=vt)
    await make_sender(db, channel, clock, vt, pause=pause).drain_once()
    assert len(channel.to(chat_a)) == 2 and channel.times[1] >= pause.holds[0][0] + 2
    assert [r.status for r in await rows(db)] == ["sent"]


async def test_a_user_already_unreachable_gets_nothing(db: Database, clock: Clock) -> None:
    [(a, chat_a)] = await add_users(db, clock, 1)
    async with db.uow() as uow:
        await uow.users.mark_unreachable(a)
        await uow.commit()
    await enqueue(db, clock, a, "x")
    vt = VirtualTime()
    channel = TimedChannel(vt=vt)
    await make_sender(db, channel, clock, vt).drain_once()
    assert channel.attempts[chat_a] == 0
    assert [r.status for r in await rows(db)] == ["unreachable"]


async def test_stopping_mid_send_gives_unsent_claims_back(db: Database, clock: Clock) -> None:
    users = await add_users(db, clock, 4)
    for uid, _ in users:
        await enqueue(db, clock, uid, "x")
    gate = asyncio.Event()

    @dataclass
    class Stuck(FakeChannel):
        async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
            if self.sent:
                gate.set()
                await asyncio.Event().wait()  # the network hangs until we are stopped
            return await super().send(chat_id, reply, edit_message_id=edit_message_id)

    channel = Stuck()
    vt = VirtualTime()
    task = asyncio.create_task(make_sender(db, channel, clock, vt, rate=1000.0, in_flight=2).run())
    await asyncio.wait_for(gate.wait(), 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    statuses = Counter(r.status for r in await rows(db))
    assert statuses == {"sent": 1, "pending": 3}  # nothing left 'sending', nothing lost
    assert {r.attempts for r in await rows(db) if r.status == "pending"} == {0}


async def test_release_stale_on_start(db: Database, clock: Clock) -> None:
    (a, _), (b, _) = await add_users(db, clock, 2)
    await enqueue(db, clock, a, "fresh claim")
    await enqueue(db, clock, b, "old claim")
    fresh, old = await rows(db)
    async with db.uow() as uow:
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == fresh.id)
                                  .values(status="sending", claimed_at=clock() - timedelta(seconds=30)))
        await uow.session.execute(update(OutboxMessage).where(OutboxMessage.id == old.id)
                                  .values(status="sending", claimed_at=clock() - timedelta(minutes=6)))
        await uow.commit()
    vt = VirtualTime()
    released = await make_sender(db, TimedChannel(vt=vt), clock, vt).release_stale()
    statuses = [r.status for r in await rows(db)]
    if db.dialect == "sqlite":  # one sending process: whatever is 'sending' is from a dead run
        assert (released, statuses) == (2, ["pending", "pending"])
    else:  # another process may be sending the young claim right now
        assert (released, statuses) == (1, ["sending", "pending"])


async def test_run_sends_when_woken(db: Database, clock: Clock) -> None:
    [(a, chat_a)] = await add_users(db, clock, 1)
    channel = FakeChannel()
    sender = OutboxSender(db, channel, render_notice, rate=1000.0, in_flight=2, pause=Pause(), clock=clock)
    task = asyncio.create_task(sender.run())
    try:
        await asyncio.sleep(0.05)
        await enqueue(db, clock, a, "bangun")
        sender.wake()
        for _ in range(50):  # well before the 1 s idle poll would have found it
            if channel.to(chat_a):
                break
            await asyncio.sleep(0.01)
        assert "bangun" in channel.to(chat_a)[0].text
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task


# -- over real HTTP: the aiogram engine against the Bot API emulator ---------------------------

TOKEN = "123456:outbox-test"
TAG = re.compile(r"\[r(\d+)\]")


@pytest.fixture
async def emulator() -> AsyncIterator[Emulator]:
    emu = Emulator(rate_limit=0)
    await emu.start()
    yield emu
    await emu.stop()


async def known_users(db: Database, clock: Clock, emu: Emulator, n: int) -> list[tuple[int, int]]:
    users = await add_users(db, clock, n)
    for _, chat in users:
        await emu.say(chat, "/start")  # a chat that never wrote cannot be messaged
    return users


async def test_over_http_429_403_and_strangers(db: Database, clock: Clock, emulator: Emulator) -> None:
    users = await known_users(db, clock, emulator, 4)
    [(stranger, stranger_chat)] = await add_users(db, clock, 1)  # never wrote to the bot
    (blocker, blocker_chat) = users[3]
    emulator.block(blocker_chat)
    emulator.rate_limit = 5  # Telegram's flood control, scaled down: 5 messages a second
    for i in range(8):
        await enqueue(db, clock, users[i % 3][0], f"[r{i}]")
    await enqueue(db, clock, blocker, "[r100]")
    await enqueue(db, clock, stranger, "[r101]")
    engine = AiogramEngine(TOKEN, emulator.url)
    try:
        sender = OutboxSender(db, engine.channel, render_notice, rate=50.0, in_flight=4, pause=Pause(),
                              clock=clock)
        await sender.drain_once()
        clock.advance(seconds=1)
        await sender.drain_once()
    finally:
        await engine.close()

    delivered = Counter(int(m.group(1)) for s in emulator.sent() if (m := TAG.search(s["text"] or "")))
    assert delivered == Counter(range(8))  # every row once, the 429'd one included
    assert len(emulator.rate_limited) == 1  # the pause held everyone back: no second 429
    assert emulator.bad_requests == []
    status = {r.user_id: r.status for r in await rows(db) if r.user_id in (blocker, stranger)}
    assert status == {blocker: "unreachable", stranger: "unreachable"}
    assert {r.status for r in await rows(db) if r.user_id not in (blocker, stranger)} == {"sent"}


async def _wait(predicate: Callable[[], Awaitable[bool]], seconds: float, what: str) -> None:
    try:
        async with asyncio.timeout(seconds):
            while True:
                if await predicate():
                    return
                await asyncio.sleep(0.02)
    except TimeoutError:
        raise AssertionError(f"timed out waiting for {what}") from None


async def test_sender_killed_mid_run_duplicates_at_most_in_flight(
    tmp_path: Path, sqlite_template: Path, clock: Clock, emulator: Emulator,
) -> None:
    path = tmp_path / "crash.db"
    shutil.copy(sqlite_template, path)
    url = f"sqlite+aiosqlite:///{path}"
    in_flight, total = 4, 200
    db = open_database(url)
    try:
        users = await known_users(db, clock, emulator, 20)
        async with db.uow() as uow:
            await uow.outbox.add_many([
                Queued(users[i % 20][0], Announcement(f"[r{i}]"), dedupe_key=f"crash:{i}", not_before=clock())
                for i in range(total)])
            await uow.commit()
        env = {**os.environ, "SAPA_DATABASE_URL": url, "SAPA_BOT_API_URL": emulator.url,
               "SAPA_BOT_TOKEN": TOKEN, "SAPA_ENGINE": "ptb",  # starts in 1 s; aiogram needs 5 here
               "SAPA_SEND_RATE": "200", "SAPA_SEND_RATE_UNLIMITED": "true",
               "SAPA_SEND_IN_FLIGHT": str(in_flight), "SAPA_LOG_LEVEL": "WARNING",
               "PYTHONPATH": str(ROOT)}

        async def start() -> asyncio.subprocess.Process:
            log = (tmp_path / "sender.log").open("ab")
            return await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot.outbox", env=env, cwd=tmp_path, stdout=log, stderr=log)

        async def arrived(n: int) -> bool:
            return emulator.seq >= n  # every change here is a new message

        async def settled() -> bool:
            counts = await _counts(db)
            return not counts.get("pending") and not counts.get("sending")

        proc = await start()
        try:
            await _wait(lambda: arrived(40), 60, "the first deliveries")
            proc.kill()  # SIGKILL: no chance to give claims back
            await proc.wait()
            at_kill = await _counts(db)
            assert at_kill.get("sent", 0) < total, "the sender finished before it was killed"

            proc = await start()  # releases what the dead run left 'sending'
            await _wait(settled, 60, "every row to settle")
        finally:
            if proc.returncode is None:
                proc.terminate()
                await proc.wait()
        counts = await _counts(db)
    finally:
        await db.dispose()

    assert counts == {"sent": total}, (tmp_path / "sender.log").read_text()
    delivered = Counter(int(m.group(1)) for s in emulator.sent() if (m := TAG.search(s["text"] or "")))
    assert set(delivered) == set(range(total))  # nothing lost
    duplicates = sum(n - 1 for n in delivered.values())
    assert duplicates <= in_flight
    assert emulator.bad_requests == []


async def _counts(db: Database) -> dict[str, int]:
    async with db.uow() as uow:
        return await uow.outbox.counts()


@pytest.mark.skipif(not PG_URL, reason="needs SAPA_TEST_DATABASE_URL (PostgreSQL)")
async def test_two_senders_share_the_queue_without_sending_twice(db: Database, clock: Clock) -> None:
    if db.dialect != "postgresql":
        pytest.skip("several senders share a queue only on PostgreSQL")
    users = await add_users(db, clock, 10)
    async with db.uow() as uow:
        await uow.outbox.add_many([
            Queued(users[i % 10][0], Announcement(f"[r{i}]"), not_before=clock()) for i in range(80)])
        await uow.commit()

    @dataclass
    class Slow(FakeChannel):
        async def send(self, chat_id: int, reply: Reply, *, edit_message_id: int | None = None) -> int | None:
            await asyncio.sleep(0.002)
            return await super().send(chat_id, reply, edit_message_id=edit_message_id)

    other_db = open_database(db.url)
    one, two = Slow(), Slow()
    try:
        senders = [OutboxSender(d, ch, render_notice, rate=10_000.0, in_flight=3, pause=Pause(), clock=clock)
                   for d, ch in ((db, one), (other_db, two))]
        await asyncio.gather(*(s.drain_once() for s in senders))
    finally:
        await other_db.dispose()
    delivered = Counter(int(m.group(1)) for s in one.sent + two.sent if (m := TAG.search(s.text)))
    assert delivered == Counter(range(80))  # each row exactly once
    assert one.sent and two.sent  # both really took part
    assert await _counts(db) == {"sent": 80}
