"""The buttons of /langganan (prefix "sub"): the feature's public interface."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback


class SubHome(Callback, prefix="sub"):
    """/langganan's screen (other features' "your subscriptions" buttons send it)."""


Topic = Literal["vacancy", "training"]
Option = Literal["eligible", "all", "on", "off"]


class SubSet(Callback, prefix="sub:s"):
    topic: Topic
    choice: Option  # the service checks the pair
