"""HR's and superadmins' buttons: the statistics ("stats", as it always was)."""

from __future__ import annotations

from handlers.callbacks import Callback


class Stats(Callback, prefix="stats"):
    pass
