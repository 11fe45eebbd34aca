"""A section of `/statistik`, registered by the feature that owns its numbers.

The shared screen, its charts and its XLSX exports know no feature: each feature's manifest
lists its `Section` (`Feature(..., stats=(SECTION,))`), and the statistics iterate them in their
`order`. A section computes its data once per request (`compute`; None leaves the section out,
as broadcasts do for an officer) and renders it: paragraphs of the summary text, charts, export
sheets — whichever it has.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal, format_percent

from db.uow import UnitOfWork
from services.statistics.scope import Period, Scope
from services.users import Person
from services.xlsx import Sheet

if TYPE_CHECKING:
    from services.statistics.charts import Chart

Translate = Callable[..., str]


@dataclass(frozen=True)
class Window:
    """What a section is computed over: who asks, the period, the agency they may see."""

    person: Person
    period: Period
    scope: Scope
    since: datetime  # the period as a UTC half-open window
    until: datetime
    now: datetime
    tz: ZoneInfo


@dataclass(frozen=True)
class Words:
    """The viewer's language: the translator and the locale's number formats."""

    t: Translate
    locale: str

    def num(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return "–"
        return format_decimal(round(value, digits), format="#,##0." + "#" * digits, locale=self.locale)

    def pct(self, value: float | None) -> str:
        return "–" if value is None else format_percent(value, format="#,##0%", locale=self.locale)

    @staticmethod
    def escape(value: object) -> str:
        """A name as Telegram HTML: the summary is HTML; charts and sheets are not escaped."""
        return html.escape(str(value), quote=False)


@dataclass(frozen=True)
class Export:
    """One XLSX a section offers: `what` is its button data and audit word, `file_word` names the file.

    `sheet(uow, window, t, limit)` returns the sheet and its row count (at most `limit` rows).
    `button` and `caption` are catalog keys: the button's label, and the caption sent with the
    file (given `period` and `rows`)."""

    what: str
    file_word: str
    sheet: Callable[[UnitOfWork, Window, Translate, int], Awaitable[tuple[Sheet, int]]]
    button: str
    caption: str


def _nothing(words: Words, data: Any) -> Sequence[str]:
    return ()


def _no_charts(words: Words, data: Any, subtitle: str) -> Sequence[Chart]:
    return ()


@dataclass(frozen=True)
class Section:
    key: str  # unique across the features
    compute: Callable[[UnitOfWork, Window], Awaitable[Any]]  # the section's data; None: left out
    text: Callable[[Words, Any], Sequence[str]] = _nothing  # its paragraphs of the summary
    charts: Callable[[Words, Any, str], Sequence[Chart]] = _no_charts  # given the charts' subtitle
    exports: tuple[Export, ...] = ()
    order: int = 50  # place on the screen, in the charts and among the export buttons
