"""The event loop `sapa` runs on: uvloop where it installs, asyncio's own otherwise (SAPA_EVENT_LOOP)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")


def loop_factory(choice: str) -> Callable[[], asyncio.AbstractEventLoop] | None:
    """uvloop's loop for `auto` (when importable) and `uvloop`; None, asyncio's default, otherwise."""
    if choice == "asyncio":
        return None
    try:
        import uvloop
    except ImportError:  # Windows, or not installed: the standard loop does the same, a little slower
        if choice == "uvloop":
            raise SystemExit("SAPA_EVENT_LOOP=uvloop, but uvloop is not installed") from None
        return None
    return uvloop.new_event_loop


def run(main: Coroutine[Any, Any, T], choice: str = "auto") -> T:
    with asyncio.Runner(loop_factory=loop_factory(choice)) as runner:
        return runner.run(main)
