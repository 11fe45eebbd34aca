"""docs/reference/*.md are generated from the code (tools/docs.py); they fail here when out of date.

Regenerate with `.venv/bin/python tools/docs.py` (or `SAPA_WRITE_DOCS=1 .venv/bin/python -m pytest
tests/test_docs_reference.py`).
"""

from __future__ import annotations

import os

import pytest

from services.settings import Settings
from tools import docs


@pytest.mark.parametrize("name", sorted(docs.PAGES))
def test_reference_page_is_up_to_date(name: str) -> None:
    path = docs.REFERENCE / name
    text = docs.PAGES[name]()
    if os.environ.get("SAPA_WRITE_DOCS"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    assert path.exists() and path.read_text() == text, (
        f"docs/reference/{name} is out of date: `.venv/bin/python tools/docs.py` regenerates it")


def test_every_setting_is_described() -> None:
    missing = [name for name, field in Settings.model_fields.items() if not field.description]
    assert not missing, f"add Field(description=...) to Settings: {missing}"
    page = docs.settings_page()
    for name in Settings.model_fields:
        assert f"`SAPA_{name.upper()}`" in page


def test_every_command_and_published_description_is_listed() -> None:
    from handlers.features import bot
    from handlers.i18n import catalog

    page = docs.commands_page()
    for feature in bot().features:
        for command in feature.router.commands:
            assert f"`/{command}`" in page
    for command in bot().commands:
        assert catalog("id")[f"cmd.{command}"] in page and catalog("en")[f"cmd.{command}"] in page


def test_every_cli_command_is_listed() -> None:
    page = docs.cli_page()
    for heading in ("sapa run", "sapa webhook", "sapa sandbox", "sapa migrate", "sapa jobs", "sapa jobs run",
                    "sapa import employees", "sapa import results", "sapa admin add", "sapa admin code",
                    "sapa admin release", "sapa qr"):
        assert f"`{heading}`" in page


def test_every_job_is_described() -> None:
    from bot.scheduler import RUNTIME_JOBS
    from handlers.features import bot

    page = docs.jobs_page()
    for job in (*RUNTIME_JOBS, *bot().jobs):
        assert f"`{job.name}`" in page
