"""A broadcast through the real `sapa run` process and the Bot API emulator.

2,000 recipients, some blocked (403), a 429 injected mid-way: every row reaches a final state,
the progress message converges to the database's counts, nobody gets it twice, and outside the
injected window our pacing earns no 429 with the emulator limited to exactly the configured rate.
Then a kill -9 of the process mid-broadcast and a restart: nobody is lost, at most the in-flight
cap of messages doubles.
"""

from __future__ import annotations

import asyncio
import re
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.database import open_database
from bot.sandbox.emulator import Emulator
from db.models import Broadcast, OutboxMessage
from db.models import User as Account
from services.broadcasts import demo
from services.clock import utc_now
from tests.e2e import User, live_sapa, sapa_process, seeded_sqlite, wait_until

pytestmark = pytest.mark.e2e
HR = 700003
RATE = 200  # high for a quick test; the emulator is limited to exactly this
# These tests are about delivery, not quiet hours (tested on a fake clock): "Kirim" must send now,
# at whatever hour CI runs (a non-urgent broadcast waits from 21:00 local otherwise).
ANY_HOUR = {"SAPA_QUIET_HOURS": "off"}
FIRST = 730_001
# Every copy opens with who sends it (a line of its own), whether the emulator keeps the HTML or the plain text.
HEADER = re.compile(r"📣 (?:<b>)?Pengumuman [^\n]+?(?:</b>)?\n\n")


def body(text: str) -> str:
    """A broadcast copy's text under its sender line; "" for any other message."""
    m = HEADER.match(text)
    return text[m.end():] if m else ""


async def audience(url: str, emu: Emulator, n: int, blocked_every: int) -> list[int]:
    """`n` linked civil servants who have opened the bot; every `blocked_every`-th blocked it since."""
    db = open_database(url)
    try:
        async with db.uow() as uow:
            await demo.add_civil_servants(uow, n, first_id=FIRST, now=utc_now())
            await uow.commit()
    finally:
        await db.dispose()
    chats = list(range(FIRST, FIRST + n))
    for i, chat in enumerate(chats):
        emu.store.touch_user(chat, f"ASN {i}")
        if i % blocked_every == 0:
            emu.block(chat)
    return chats


async def counts(url: str) -> dict[str, int]:
    db = open_database(url)
    try:
        async with db.uow() as uow:
            stmt = (select(OutboxMessage.status, func.count()).where(OutboxMessage.broadcast_id.is_not(None))
                    .group_by(OutboxMessage.status))
            return {s: int(c) for s, c in (await uow.session.execute(stmt)).all()}
    finally:
        await db.dispose()


async def unreachable(url: str, chats: list[int]) -> int:
    """How many of these people the bot has marked unreachable."""
    db = open_database(url)
    try:
        async with db.uow() as uow:
            stmt = select(func.count()).select_from(Account).where(Account.external_id.in_(chats), Account.unreachable)
            return int((await uow.session.execute(stmt)).scalar_one())
    finally:
        await db.dispose()


async def broadcast_row(url: str) -> Broadcast:
    db = open_database(url)
    try:
        async with db.uow() as uow:
            return (await uow.session.execute(select(Broadcast))).scalar_one()
    finally:
        await db.dispose()


class Tally:
    """Broadcast copies per chat as the emulator records them (a listener: polling emu.sent() for
    2,000 chats would starve the emulator, which shares this test's event loop). Only messages that
    begin like the broadcast count: the scheduler's own reminders (December's JP nudge to these
    civil servants below their target) are other messages."""

    def __init__(self, emu: Emulator, start: str) -> None:
        self.per_chat: dict[int, int] = {}
        self.start = start
        emu.listeners.append(self._on)

    def _on(self, record: dict) -> None:
        if not record.get("edits") and body(str(record.get("text") or "")).startswith(self.start):
            self.per_chat[record["chat_id"]] = self.per_chat.get(record["chat_id"], 0) + 1

    def of(self, chats: list[int]) -> dict[int, int]:
        return {c: self.per_chat.get(c, 0) for c in chats}

    def total(self, chats: list[int]) -> int:
        return sum(self.of(chats).values())


async def start_broadcast(emu: Emulator, text: str) -> None:
    hr = User(emu, HR, "Ahmad")
    await hr.say("/umumkan")
    await hr.say(text)
    assert "Dapat dijangkau" in hr.last_text()
    await hr.press("Kirim")


def progress_text(emu: Emulator, message_id: int) -> str:
    return next(m["text"] for m in emu.sent(HR) if m["message_id"] == message_id)


def copies(emu: Emulator, chat: int, start: str = "Apel") -> int:
    """How many copies of the broadcast (its text under the sender line begins with `start`) a chat received."""
    return sum(1 for m in emu.sent(chat) if body(m.get("text") or "").startswith(start))


def shown(text: str, label: str) -> int:
    m = re.search(rf"{label}: (\d+)", text)
    return int(m.group(1)) if m else -1


async def test_2000_recipients_blocked_and_a_429_every_row_final_nobody_twice(tmp_path: Path):
    emu = Emulator(rate_limit=RATE, retry_after=1)
    await emu.start()
    url = await seeded_sqlite(tmp_path / "sapa.db")
    chats = await audience(url, emu, 2000, blocked_every=33)  # 61 blocked
    tally = Tally(emu, "Apel")
    env = {"SAPA_DATABASE_URL": url, "SAPA_SEND_RATE": str(RATE), "SAPA_SEND_RATE_UNLIMITED": "true",
           "SAPA_LOG_LEVEL": "WARNING", **ANY_HOUR}
    text = "Apel <pagi> & upacara *wajib* 🇮🇩"
    async with live_sapa(tmp_path, env, emulator=emu):
        await start_broadcast(emu, text)
        await wait_until(lambda: tally.total(chats) >= 700, 60, "the broadcast under way")
        t0 = time.time()
        emu.configure(rate_limit=1)  # a 429 mid-way, as Telegram may answer whatever our pace
        await asyncio.sleep(0.3)
        emu.configure(rate_limit=RATE)
        injected = len(emu.store.rate_limited)
        assert injected >= 1
        await asyncio.sleep(2.5)  # the pause (retry_after 1 s) and the rows that met the 429 settle
        t1 = time.time()
        done: dict[str, int] = {}
        # The recipients at "Kirim": a blocked person whom a reminder found blocked first (December's
        # JP nudge, in the first minute) is already unreachable and left out, never lost.
        recipients = (await broadcast_row(url)).total

        async def settled() -> bool:
            done.clear()
            done.update(await counts(url))
            return done.get("pending", 0) + done.get("sending", 0) == 0 and sum(done.values()) == recipients

        deadline = time.monotonic() + 90
        while not await settled():
            assert time.monotonic() < deadline, done
            await asyncio.sleep(0.5)
        b = await broadcast_row(url)
        await wait_until(lambda: "Sisa: 0\n" in progress_text(emu, b.progress_message_id), 20,
                         "the final progress edit")
        final = progress_text(emu, b.progress_message_id)
        await wait_until(lambda: any(f"dari {recipients} terkirim" in m["text"] for m in emu.sent(HR)), 10,
                         "the report")
    assert done["sent"] == 1939 and set(done) <= {"sent", "unreachable"}
    assert recipients == 2000 - (61 - done["unreachable"])  # only blocked people were left out
    assert await unreachable(url, chats[::33]) == 61  # each blocked person: left out or reported
    assert (shown(final, "Terkirim"), shown(final, "Tak terjangkau"), shown(final, "Sisa")) == (
        1939, done["unreachable"], 0)
    # What each chat shows of the broadcast, once, at the end (the scheduler's own reminders, e.g.
    # December's JP nudge to these civil servants below their target, are other messages).
    got = {c: copies(emu, c) for c in chats}
    assert sorted(set(got.values())) == [0, 1] and sum(got.values()) == 1939  # none doubled, none lost
    assert all(got[c] == 0 for i, c in enumerate(chats) if i % 33 == 0)
    copy = next(body(m["text"]) for m in emu.sent(chats[1]) if body(m["text"] or "").startswith("Apel"))
    assert copy == "Apel &lt;pagi&gt; &amp; upacara <b>wajib</b> 🇮🇩" or copy == "Apel <pagi> & upacara wajib 🇮🇩"
    ours = [e for e in emu.store.rate_limited if not t0 <= e["time"] <= t1]
    assert ours == [], f"{len(ours)} 429s outside the injected window (of {injected} injected)"
    assert emu.store.bad_requests == []


async def test_a_kill_9_mid_broadcast_loses_nobody_and_doubles_at_most_the_in_flight_cap(tmp_path: Path):
    emu = Emulator(rate_limit=0)
    await emu.start()
    try:
        url = await seeded_sqlite(tmp_path / "sapa.db")
        chats = await audience(url, emu, 600, blocked_every=50)  # 12 blocked
        tally = Tally(emu, "Sebelum")
        env = {"SAPA_BOT_TOKEN": "123456:E2E", "SAPA_BOT_API_URL": emu.url, "SAPA_DATABASE_URL": url,
               "SAPA_SEND_RATE": "150", "SAPA_SEND_RATE_UNLIMITED": "true", "SAPA_SEND_IN_FLIGHT": "4",
               "SAPA_LOG_LEVEL": "WARNING", **ANY_HOUR}
        async with sapa_process(["run"], env, tmp_path / "first.log") as proc:
            await wait_until(lambda: bool(emu.commands()) or proc.returncode is not None, 60, "sapa to start")
            await start_broadcast(emu, "Sebelum dan sesudah mati listrik ⚡")
            await wait_until(lambda: tally.total(chats) >= 200, 60, "the broadcast under way")
            proc.send_signal(signal.SIGKILL)
            await proc.wait()
        before = tally.total(chats)
        assert before < 588  # killed mid-way
        async with sapa_process(["run"], env, tmp_path / "second.log") as proc:
            await wait_until(lambda: tally.total(chats) >= 588, 60, "everyone reachable served after the restart")
            deadline = time.monotonic() + 30
            while (c := await counts(url)).get("pending", 0) + c.get("sending", 0):
                assert time.monotonic() < deadline, c
                await asyncio.sleep(0.3)
            assert proc.returncode is None
        assert "Traceback" not in (tmp_path / "second.log").read_text()
    finally:
        await emu.stop()
    got = {c: copies(emu, c, "Sebelum") for c in chats}
    doubled = sum(n - 1 for n in got.values() if n > 1)
    assert doubled <= 4, f"{doubled} messages doubled (in-flight cap 4)"
    assert all(got[c] == 0 for i, c in enumerate(chats) if i % 50 == 0)
    # A blocked person whom a reminder found blocked before "Kirim" is left out of the broadcast.
    assert c["sent"] == 588 and set(c) <= {"sent", "unreachable"} and c["unreachable"] <= 12
    assert await unreachable(url, chats[::50]) == 12
