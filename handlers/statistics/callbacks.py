"""The statistics' buttons: "stats" (the menu's, as it always was) and the typed "stats:*" family.

Periods travel as a `Period` token (`20261101-20261130`), agencies as ids (0: every agency, or
an officer's own). Services re-check both: a forged token or someone else's agency is refused.
"""

from __future__ import annotations

from handlers.callbacks import Callback


class Stats(Callback, prefix="stats"):
    pass


class StatsView(Callback, prefix="stats:v"):
    period: str
    agency: int = 0


class StatsAgencies(Callback, prefix="stats:a"):
    period: str
    page: int = 0


class StatsCharts(Callback, prefix="stats:c"):
    period: str
    agency: int = 0


class StatsExport(Callback, prefix="stats:x"):
    what: str  # a section's export (services.statistics.section.Export.what)
    period: str
    agency: int = 0

    def valid(self) -> bool:
        from handlers.features import bot  # the exports are the features' registrations

        return any(e.what == self.what for s in bot().stats for e in s.exports)
