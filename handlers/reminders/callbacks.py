"""The buttons of /pengingat (prefix "rm"): the feature's public interface."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback


class RmHome(Callback, prefix="rm"):
    """/pengingat's screen: every reminder carries it, to switch that reminder off."""


class RmSet(Callback, prefix="rm:s"):
    kind: str  # a registered ReminderKind's key; the service refuses any other (rm.err.kind)
    to: Literal["on", "off"]
