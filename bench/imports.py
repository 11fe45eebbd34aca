"""A 20,000-employee XLSX imported through the real bot while another person keeps chatting.

    .venv/bin/python bench/imports.py [--rows 20000] [--every 0.2]

The real `sapa run` process polls the Bot API emulator (tests/e2e.py's live_sapa, SQLite). HR
sends the file, waits for the dry run, presses Import and waits for the result; meanwhile a
citizen sends /start every `--every` seconds and each reply's latency is taken. Prints rows/s
of the dry run and of the import, and the citizen's p50/p99 latency before (idle) and during.
Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.sandbox.emulator import Emulator  # noqa: E402
from tests.e2e import live_sapa, wait_until  # noqa: E402
from tests.imports_helpers import employees_xlsx  # noqa: E402

HR, CITIZEN = 700003, 5001


async def chatter(emu: Emulator, stop: asyncio.Event, every: float, out: list[float]) -> None:
    """The other person: /start, wait for the reply, note the latency; again after `every`."""
    while not stop.is_set():
        before = len(emu.sent(CITIZEN))
        t0 = time.perf_counter()
        await emu.say(CITIZEN, "/start", first_name="Warga")
        await wait_until(lambda b=before: len(emu.sent(CITIZEN)) > b, 120, "the citizen's reply")
        out.append((time.perf_counter() - t0) * 1000)
        await asyncio.sleep(every)


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(len(s) * p))] if s else float("nan")


def _has(emu: Emulator, needle: str, after: int) -> bool:
    return any(needle in t for t in emu.texts(HR)[after:])


async def main(rows: int, every: float) -> None:
    content = await asyncio.to_thread(employees_xlsx, rows)
    with tempfile.TemporaryDirectory() as tmp:
        async with live_sapa(Path(tmp), emulator=Emulator(rate_limit=0)) as emu:
            idle: list[float] = []
            stop = asyncio.Event()
            task = asyncio.create_task(chatter(emu, stop, every, idle))
            await asyncio.sleep(5)
            stop.set()
            await task
            busy: list[float] = []
            stop = asyncio.Event()
            await emu.say(HR, "/start", first_name="Ahmad")
            await wait_until(lambda: bool(emu.sent(HR)), 30, "HR's welcome")
            task = asyncio.create_task(chatter(emu, stop, every, busy))
            mark = len(emu.texts(HR))
            t0 = time.perf_counter()
            await emu.send_document(HR, "pegawai.xlsx", content,
                                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            await wait_until(lambda: _has(emu, "Uji coba impor", mark), 600, "the dry run")
            dry = time.perf_counter() - t0
            mark = len(emu.texts(HR))
            t1 = time.perf_counter()
            await emu.press(HR, "✅ Impor")
            await wait_until(lambda: _has(emu, "Impor data pegawai selesai", mark), 900, "the import")
            applied = time.perf_counter() - t1
            stop.set()
            await task
            result = next(t for t in reversed(emu.texts(HR)) if "Impor data pegawai selesai" in t)
    print(f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}, SQLite")
    print(f"file: {rows} employees, {len(content) / 1e6:.1f} MB XLSX")
    print(f"dry run (download, parse, plan): {dry:.1f} s = {rows / dry:.0f} rows/s")
    print(f"import after Confirm (download, parse, write): {applied:.1f} s = {rows / applied:.0f} rows/s")
    print(f"other person's reply latency idle:   n={len(idle)} p50 {pct(idle, .5):.0f} ms, p99 {pct(idle, .99):.0f} ms")
    print(f"other person's reply latency during: n={len(busy)} p50 {pct(busy, .5):.0f} ms, "
          f"p99 {pct(busy, .99):.0f} ms, max {max(busy):.0f} ms")
    print("HR's result:", " ".join(result.split())[:200])


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=20000)
    ap.add_argument("--every", type=float, default=0.2)
    a = ap.parse_args()
    asyncio.run(main(a.rows, a.every))
