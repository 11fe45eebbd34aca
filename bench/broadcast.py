"""A broadcast to 10,000 civil servants (3% blocked) through the real `sapa run` and the emulator,
whose flood limit is set to exactly the configured rate, while a citizen chats with the bot.

    .venv/bin/python bench/broadcast.py [--n 10000] [--rate 25] [--chat-every 2.0]

Prints the achieved/configured rate (goal ≥ 0.95), the 429s our pacing caused (goal 0) and the
p50/p99 latency of the citizen's replies during the broadcast (goal: under a second).
Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.database import open_database  # noqa: E402
from bot.sandbox.emulator import Emulator  # noqa: E402
from services.broadcasts import demo  # noqa: E402
from services.clock import utc_now  # noqa: E402
from tests.e2e import User, live_sapa, seeded_sqlite, wait_until  # noqa: E402

HR, CITIZEN, FIRST = 700003, 5_550_001, 740_001


class Watch:
    """Every message the bot sends, as it arrives: broadcast copies, replies to the citizen."""

    def __init__(self, emu: Emulator, audience: set[int]) -> None:
        self.audience = audience
        self.copies: list[float] = []
        self.all_sends: list[float] = []
        self.reply_at: float | None = None
        self.waiting = False
        emu.listeners.append(self._on)

    def _on(self, record: dict[str, Any]) -> None:
        if record.get("edits"):
            return
        now = time.perf_counter()
        self.all_sends.append(now)
        if record["chat_id"] in self.audience:
            self.copies.append(now)
        elif record["chat_id"] == CITIZEN and self.waiting:
            self.waiting, self.reply_at = False, now


async def prepare(url: str, emu: Emulator, n: int) -> set[int]:
    db = open_database(url)
    async with db.uow() as uow:
        await demo.add_civil_servants(uow, n, first_id=FIRST, now=utc_now())
        await uow.commit()
    await db.dispose()
    for i in range(n):
        emu.store.touch_user(FIRST + i, f"ASN {i}")
        if i % 33 == 0:  # 3.0%
            emu.block(FIRST + i)
    return set(range(FIRST, FIRST + n))


async def chat_during(emu: Emulator, watch: Watch, every: float, until: asyncio.Event) -> list[float]:
    """The citizen says something every `every` seconds; ms until the first reply each time."""
    latencies = []
    citizen = 0
    while not until.is_set():
        watch.waiting, watch.reply_at = True, None
        sent = time.perf_counter()
        await emu.say(CITIZEN, "/bahasa id" if citizen % 2 else "/start", first_name="Rina")
        citizen += 1
        try:
            await wait_until(lambda: watch.reply_at is not None, 30, "the citizen's reply")
            latencies.append((watch.reply_at - sent) * 1000)  # type: ignore[operator]
        except TimeoutError:
            latencies.append(30_000.0)
        await asyncio.sleep(every)
    return latencies


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100)[q - 1] if len(values) > 1 else (values or [0.0])[0]


async def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--n", type=int, default=10_000, help="recipients")
    p.add_argument("--rate", type=float, default=25.0, help="SAPA_SEND_RATE and the emulator's flood limit")
    p.add_argument("--chat-every", type=float, default=2.0, help="seconds between the citizen's messages")
    args = p.parse_args()
    emu = Emulator(rate_limit=args.rate, retry_after=1)
    await emu.start()
    with tempfile.TemporaryDirectory() as d:
        url = await seeded_sqlite(Path(d) / "bench.db")
        audience = await prepare(url, emu, args.n)
        blocked = sum(1 for i in range(args.n) if i % 33 == 0)
        env = {"SAPA_DATABASE_URL": url, "SAPA_SEND_RATE": str(args.rate), "SAPA_LOG_LEVEL": "WARNING",
               "SAPA_QUIET_HOURS": "off"}
        if args.rate > 30:
            env["SAPA_SEND_RATE_UNLIMITED"] = "true"
        async with live_sapa(Path(d), env, emulator=emu):
            watch = Watch(emu, audience)
            await User(emu, CITIZEN, "Rina").say("/start")
            hr = User(emu, HR, "Ahmad")
            await hr.say("/umumkan")
            await hr.say("Pengumuman *uji beban*: rapat koordinasi <semua OPD> & jajaran 🙏")
            await hr.press("Kirim")
            stop = asyncio.Event()
            chatter = asyncio.create_task(chat_during(emu, watch, args.chat_every, stop))
            expected = args.n - blocked
            await wait_until(lambda: len(watch.copies) >= expected, args.n / args.rate * 3 + 120, "the broadcast")
            stop.set()
            latencies = await chatter
    await emu.stop()
    first, last = watch.copies[0], watch.copies[-1]
    span = last - first
    broadcast_rate = (len(watch.copies) - 1) / span
    wall = time.time() - time.perf_counter()  # the emulator stamps refusals with wall-clock time
    refused = sum(1 for e in emu.store.forbidden if first <= e["time"] - wall <= last)
    all_in_span = sum(1 for t in watch.all_sends if first <= t <= last)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"{platform.platform()}")
    print(f"recipients {args.n} ({blocked} blocked), configured rate {args.rate:g}/s = the emulator's limit, "
          f"a citizen message every {args.chat_every:g} s")
    print(f"broadcast copies delivered     {len(watch.copies)} in {span:.1f} s")
    print(f"achieved/configured (copies)   {broadcast_rate / args.rate:.3f}  ({broadcast_rate:.2f}/s)")
    print(f"achieved/configured (rows)     {(len(watch.copies) + refused - 1) / span / args.rate:.3f}  "
          f"(copies + the {refused} sends refused with 403: the broadcast's pace)")
    print(f"achieved/configured (all sends){(all_in_span + refused - 1) / span / args.rate:6.3f}  "
          f"(rows + the replies to the citizen: the bot's whole budget)")
    print(f"429s caused                    {len(emu.store.rate_limited)}")
    print(f"citizen replies during it      {len(latencies)}: p50 {pct(latencies, 50):.0f} ms, "
          f"p99 {pct(latencies, 99):.0f} ms, max {max(latencies):.0f} ms")


if __name__ == "__main__":
    asyncio.run(main())
