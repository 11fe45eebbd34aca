"""The buttons of /langganan (prefix "sub"): the feature's public interface."""

from __future__ import annotations

from handlers.callbacks import Callback


class SubHome(Callback, prefix="sub"):
    """/langganan's screen (other features' "your subscriptions" buttons send it)."""


class SubSet(Callback, prefix="sub:s"):
    # A registered Topic's key and one of its choices: the service checks the pair (sub.err.*).
    topic: str
    choice: str
