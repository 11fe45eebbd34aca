"""The buttons of /langganan (prefix "sub"): the feature's public interface."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback


class SubHome(Callback, prefix="sub"):
    """/langganan's screen (other features' "your subscriptions" buttons send it)."""


class SubSet(Callback, prefix="sub:s"):
    topic: Literal["vacancy", "training"]
    choice: Literal["eligible", "all", "on", "off"]  # the service checks the pair
