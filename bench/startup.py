"""Start-up of `sapa`: `--help` wall time, import time, time to the first answer and to the first chart.

    .venv/bin/python bench/startup.py [--runs 5] [--skip-chart]

- `sapa --help`: wall time of `python -m bot.cli --help`, median of --runs.
- imports: `python -X importtime` of the `sapa run` import path (bot.cli, bot.runtime, the
  aiogram engine, the router), summed, and the heavy libraries that path loaded.
- first answer: the real `sapa run` (aiogram, polling) against the Bot API emulator on a fresh
  seeded SQLite and an empty MPLCONFIGDIR (a machine that never drew a chart); /start is queued
  the moment the process is spawned, and the clock stops when its reply reaches the emulator.
- first chart: in the same process, right after that answer, HR asks /statistik and presses
  Grafik; the clock runs from the press until the summary after the charts (the demo
  data has one chart to draw).

Run it from a checkout (it measures that checkout's code): compare two checkouts side by side,
in one sitting, on the same host. Not a test: it asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.sandbox.emulator import Emulator  # noqa: E402
from tests.e2e import User, sapa_process, seeded_sqlite, wait_until  # noqa: E402

CITIZEN, HR = 5001, 700003
HEAVY = ("matplotlib", "openpyxl", "qrcode", "PIL", "telegram", "aiogram", "aiohttp.web", "numpy")
RUN_PATH = ("import bot.cli, bot.runtime, bot.engines.aiogram\n"
            "from handlers import build_router\nbuild_router()\n")


def help_wall(runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot.cli", "--help"], cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def import_time(code: str) -> tuple[float, int, list[str]]:
    """Sum of self import times (s), module count, and which heavy libraries got imported."""
    probe = code + f"import sys; print(','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", probe], cwd=ROOT, check=True,
                         capture_output=True, text=True)
    rows = [line.split("|") for line in out.stderr.splitlines() if line.startswith("import time:")][1:]
    total = sum(int(r[0].split(":")[1]) for r in rows) / 1e6
    return total, len(rows), [m for m in out.stdout.strip().split(",") if m]


async def first_answer(tmp: Path, *, chart: bool) -> tuple[float, float | None]:
    url = await seeded_sqlite(tmp / "sapa.db")
    emu = Emulator(rate_limit=0)
    await emu.start()
    env = {"SAPA_BOT_TOKEN": "123456:BENCH", "SAPA_BOT_API_URL": emu.url, "SAPA_DATABASE_URL": url,
           "SAPA_TIMEZONE": "Asia/Makassar", "SAPA_QUIET_HOURS": "off", "MPLCONFIGDIR": str(tmp / "mpl")}
    try:
        started = time.perf_counter()
        async with sapa_process(["run"], env, tmp / "sapa.log") as proc:
            await emu.say(CITIZEN, "/start", first_name="Rina")
            await wait_until(lambda: emu.sent(CITIZEN) or proc.returncode is not None, 300, "the first answer")
            answered = time.perf_counter() - started
            if not chart:
                return answered, None
            hr = User(emu, HR, "Ahmad")
            await hr.say("/statistik")
            menu = next(m for m in reversed(emu.sent(HR)) if "Grafik" in str(m.get("reply_markup")))
            data = next(b["callback_data"] for row in menu["reply_markup"]["inline_keyboard"] for b in row
                        if "Grafik" in b["text"])
            before = len(emu.sent(HR))
            pressed = time.perf_counter()
            await emu.press(HR, data=data, message_id=menu["message_id"])
            await wait_until(lambda: any("grafik untuk" in (m.get("text") or "") for m in emu.sent(HR)[before:]),
                             120, "the charts")
            return answered, time.perf_counter() - pressed
    finally:
        await emu.stop()


async def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--skip-chart", action="store_true")
    a = p.parse_args()
    print(f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load {os.getloadavg()[0]:.2f}, {ROOT}")
    print(f"sapa --help: median {help_wall(a.runs):.3f} s of {a.runs}")
    for what, code in (("import bot.cli", "import bot.cli\n"), ("sapa run's imports", RUN_PATH)):
        total, count, heavy = import_time(code)
        print(f"{what}: {total:.3f} s over {count} modules; heavy: {', '.join(heavy) or '-'}")
    answers, charts = [], []
    for i in range(a.runs):
        with tempfile.TemporaryDirectory() as d:
            answer, chart = await first_answer(Path(d), chart=not a.skip_chart)
        answers.append(answer)
        if chart is not None:
            charts.append(chart)
        print(f"  run {i + 1}: first answer {answer:.2f} s" + (f", first chart {chart:.2f} s" if chart else ""))
    print(f"sapa run → first answer: median {statistics.median(answers):.2f} s "
          f"(min {min(answers):.2f}, max {max(answers):.2f})")
    if charts:
        print(f"first chart (empty font cache): median {statistics.median(charts):.2f} s "
              f"(min {min(charts):.2f}, max {max(charts):.2f})")


if __name__ == "__main__":
    asyncio.run(main())
