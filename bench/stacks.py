"""Where a py-spy profile's samples went: `python bench/stacks.py PROFILE.txt` (py-spy --format raw).

Two views of the same samples: **self**, each sample charged to the innermost frame's library
(what the CPU was running), and **inside**, the share of samples under a few of SAPA's own steps
(what a step costs with everything it calls). py-spy cannot tell idle threads here (the host
does not expose it), so waits are dropped by their frame: the event loop's poll (asyncio's
selector; uvloop's C loop shows only as `Runner.run`, so its I/O work is dropped with it) and
aiosqlite's thread waiting for work. The chart warm-up thread is start-up work, not an update's.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

# (label, substring of a frame's file): the first that matches the innermost frame, leaf upward.
LIBRARIES = [
    ("SQLite / aiosqlite thread", ("aiosqlite", "sqlite3", "db/sqlite_driver.py")),
    ("SQLAlchemy", ("sqlalchemy",)),
    ("asyncpg", ("asyncpg",)),
    ("pydantic", ("pydantic",)),
    ("aiogram", ("aiogram",)),
    ("aiohttp / yarl / multidict", ("aiohttp", "yarl", "multidict")),
    ("JSON (orjson, json)", ("orjson", "json/")),
    ("event loop (asyncio, uvloop)", ("asyncio", "uvloop", "selectors", "threading.py", "queue.py")),
    ("SAPA handlers + services", ("handlers/", "services/")),
    ("SAPA bot/ + db/", ("bot/", "db/")),
]
IDLE_LEAVES = ("EpollSelector.select (", "Runner.run (asyncio/runners.py", "_connection_worker_thread (aiosqlite/core.py:59)")
NOT_UPDATES = ("warmup-charts",)
# (label, substring of a frame's function and file): a sample under it counts for it.
STEPS = [
    ("unit of work (App._process)", "_process (bot/core.py"),
    ("replies (send_replies)", "send_replies (bot/delivery.py"),
    ("getUpdates (fetch)", "fetch (bot/engines/"),
    ("Incoming from JSON", "incoming_from_json"),
]


def _library(frames: list[str]) -> str:
    for frame in reversed(frames):
        for label, needles in LIBRARIES:
            if any(n in frame for n in needles):
                return label
    return "other"


def summarise(path: Path) -> str:
    own: dict[str, int] = {}
    inside: dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        n = int(count)
        frames = stack.split(";")
        if frames[-1].startswith(IDLE_LEAVES) or any(t in frames[0] for t in NOT_UPDATES):
            continue
        total += n
        lib = _library(frames)
        own[lib] = own.get(lib, 0) + n
        for label, needle in STEPS:
            if any(needle in f for f in frames):
                inside[label] = inside.get(label, 0) + n
    if not total:
        return "  (no samples)"
    lines = [f"  {total} samples outside waits; self, by library:"]
    lines += [f"    {k:34}{v * 100 / total:5.1f} %" for k, v in sorted(own.items(), key=lambda kv: -kv[1])]
    lines.append("  inside SAPA's steps:")
    lines += [f"    {k:34}{inside.get(k, 0) * 100 / total:5.1f} %" for k, _ in STEPS]
    return "\n".join(lines)


@contextlib.asynccontextmanager
async def profiled(pid: int, out: Path | None) -> AsyncIterator[None]:
    """py-spy samples of `pid` (all threads, idle waits left out) while the body runs."""
    spy = shutil.which("py-spy", path=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    if out is None or spy is None:
        yield
        return
    proc = await asyncio.create_subprocess_exec(spy, "record", "--pid", str(pid), "--format", "raw", "--threads",
                                                "--rate", "250", "--nonblocking", "-o", str(out),
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
    try:
        await asyncio.sleep(1)  # attached
        yield
    finally:
        proc.send_signal(signal.SIGINT)
        await proc.wait()


if __name__ == "__main__":
    print(summarise(Path(sys.argv[1])))
