"""The buttons of /pengingat (prefix "rm"): the feature's public interface."""

from __future__ import annotations

from typing import Literal

from handlers.callbacks import Callback


class RmHome(Callback, prefix="rm"):
    """/pengingat's screen: every reminder carries it, to switch that reminder off."""


ReminderKind = Literal["training", "vacancy_docs", "skp", "jp"]  # services.reminders' kinds


class RmSet(Callback, prefix="rm:s"):
    kind: ReminderKind
    to: Literal["on", "off"]
