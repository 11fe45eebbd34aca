"""Start-up stays light: what `sapa run` imports before its first poll, checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Loaded where they are used (a chart, an XLSX, a QR code, the webhook or ops server, the other engine).
HEAVY = ("matplotlib", "openpyxl", "qrcode", "PIL", "aiohttp.web", "telegram", "aiogram", "numpy")
RUN_PATH = ("import bot.cli, bot.runtime\n"
            "from bot.scheduler import build_jobs\nfrom handlers import build_router\n"
            "from services.settings import load_settings\n"
            "build_router(); build_jobs(load_settings(_env_file=None))\n")


def _loaded(code: str) -> set[str]:
    probe = code + f"import sys, json; print(json.dumps([m for m in {HEAVY + ('sqlalchemy', 'pydantic_settings')!r}"
    probe += " if m in sys.modules]))\n"
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True,
                         check=True, timeout=120)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_sapa_help_loads_neither_the_database_nor_the_settings_library() -> None:
    assert _loaded("import bot.cli\nbot.cli._parser()\n") == set()


@pytest.mark.parametrize(("engine", "other"), [("aiogram", "telegram"), ("ptb", "aiogram")])
def test_the_polling_path_loads_its_engine_only(engine: str, other: str) -> None:
    loaded = _loaded(RUN_PATH + f"import bot.engines.{engine}\n")
    assert other not in loaded
    assert loaded & {"matplotlib", "openpyxl", "qrcode", "PIL", "aiohttp.web", "numpy"} == set()
