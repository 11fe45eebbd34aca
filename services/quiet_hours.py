"""Quiet hours: the local night in which non-urgent pushes wait for the morning.

One rule for broadcasts and reminders alike. The window is `start`–`end` in the deployment's
time zone and may cross midnight (the default, 21:00–06:00).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo


@dataclass(frozen=True)
class QuietHours:
    start: time
    end: time

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        """"21:00-06:00" → QuietHours; "" or "off" → an empty window (never quiet)."""
        raw = text.strip().lower()
        if raw in ("", "off", "none"):
            return cls(time(0), time(0))
        try:
            a, b = (part.strip() for part in raw.split("-"))
            return cls(time.fromisoformat(a), time.fromisoformat(b))
        except ValueError:
            raise ValueError("must be HH:MM-HH:MM, e.g. 21:00-06:00, or 'off'") from None

    @property
    def empty(self) -> bool:
        return self.start == self.end

    def is_quiet(self, moment: datetime, tz: tzinfo) -> bool:
        if self.empty:
            return False
        local = moment.astimezone(tz).time()
        if self.start < self.end:
            return self.start <= local < self.end
        return local >= self.start or local < self.end

    def release(self, moment: datetime, tz: tzinfo) -> datetime:
        """`moment` itself when it is not quiet, else the end of this quiet spell (aware, same zone as given)."""
        if not self.is_quiet(moment, tz):
            return moment
        local = moment.astimezone(tz)
        end = local.replace(hour=self.end.hour, minute=self.end.minute, second=0, microsecond=0)
        if end <= local:
            end += timedelta(days=1)
        # Re-localise: a DST-free zone (Indonesia) makes this exact; elsewhere it is the wall-clock end.
        end = end.replace(tzinfo=None).replace(tzinfo=tz)
        return end.astimezone(moment.tzinfo)
