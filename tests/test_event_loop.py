"""SAPA_EVENT_LOOP: uvloop where it is installed, asyncio's own loop otherwise or when asked."""

from __future__ import annotations

import asyncio
import sys

import pytest

from bot.loop import loop_factory, run


async def _loop_module() -> str:
    return type(asyncio.get_running_loop()).__module__


def test_asyncio_is_the_standard_loop() -> None:
    assert loop_factory("asyncio") is None
    assert run(_loop_module(), "asyncio").startswith("asyncio")


def test_auto_takes_uvloop_when_it_is_installed() -> None:
    pytest.importorskip("uvloop")
    assert run(_loop_module(), "auto").startswith("uvloop")


def test_without_uvloop_auto_falls_back_and_uvloop_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "uvloop", None)  # import uvloop → ImportError
    assert loop_factory("auto") is None
    assert run(_loop_module(), "auto").startswith("asyncio")
    with pytest.raises(SystemExit, match="uvloop is not installed"):
        loop_factory("uvloop")
