"""The charts of `/statistik`: their data (from a Summary's sections) and their PNGs (matplotlib, Agg).

Each section makes its own `Chart`s (categories, numbers, and every word already in the
viewer's language); `build()` collects them in the sections' order. `render()` draws one; it is
CPU work of a few hundred milliseconds, so callers run it in `asyncio.to_thread`. Figures are 1080 px wide
with fonts of 26 pt and more: a phone shows them at about 320 px wide, and they stay legible.
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from babel.dates import format_date

from services.statistics.section import Words

if TYPE_CHECKING:  # matplotlib loads when a chart is drawn, not with the module
    from matplotlib.axes import Axes

    from services.statistics.summary import Summary

Translate = Callable[..., str]
WIDTH_IN, DPI = 10.8, 100  # 1080 px
# Points at 100 dpi. A phone's chat bubble shows the 1080 px image about 320 px wide, so 32 pt
# (44 px) reads as 13 px there, and the names' 30 characters a line fit the width.
FONT, TITLE = 32, 36
NAME_WIDTH = 30  # characters of a bar's name on one line; a longer name takes two
MAX_BARS = 15  # agencies or units a chart shows; the text says how many were left out


@dataclass(frozen=True)
class Series:
    label: str
    values: tuple[float | None, ...]
    colour: str
    texts: tuple[str, ...] = ()  # a label at the end of each bar (hbar charts)
    colours: tuple[str, ...] = ()  # one colour per bar, overriding `colour`


@dataclass(frozen=True)
class Chart:
    key: str  # the PNG's file name: statistik-<key>.png
    kind: Literal["stacked", "line", "hbar"]
    title: str
    subtitle: str
    axis: str
    categories: tuple[str, ...]
    series: tuple[Series, ...]
    limits: tuple[float, float] | None = None
    guides: tuple[tuple[float, str], ...] = field(default=())  # (value, label): dashed reference lines
    left_out: int = 0  # categories beyond MAX_BARS

    @property
    def empty(self) -> bool:
        return not self.categories


def short(text: str, size: int = 2 * NAME_WIDTH) -> str:
    return text if len(text) <= size else text[: size - 1].rstrip() + "…"


def _lines(name: str) -> str:
    """A bar's name as drawn: at most two lines of NAME_WIDTH characters (an ellipsis ends more)."""
    lines = textwrap.wrap(name, NAME_WIDTH) or [""]
    if len(lines) <= 2:
        return "\n".join(lines)
    return lines[0] + "\n" + short(" ".join(lines[1:]), NAME_WIDTH)


def build(s: Summary, t: Translate, locale: str) -> list[Chart]:
    """Every section's charts, in the sections' order."""
    words = Words(t, locale)
    sub = t("stx.chart.subtitle", period=_period(s, locale), agency=s.scope.agency_label or t("stx.all_agencies"))
    return [chart for section, data in s.sections for chart in section.charts(words, data, sub)]


def _period(s: Summary, locale: str) -> str:
    p = s.period
    return f"{format_date(p.start, 'd MMM y', locale=locale)} – {format_date(p.end, 'd MMM y', locale=locale)}"


def render(chart: Chart) -> bytes:
    """The chart as PNG bytes, 1080 px wide."""
    buf = io.BytesIO()
    figure(chart).savefig(buf, format="png")
    return buf.getvalue()


def figure(chart: Chart) -> Any:  # a matplotlib Figure
    """The chart drawn, not yet saved (tests measure its texts)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure  # a Figure without pyplot: no global state, safe in threads

    n = len(chart.categories)
    lines = sum(1 + _lines(name).count("\n") for name in chart.categories)  # a bar, its name's lines
    height = max(7.5, 3.5 + 0.75 * n + 0.6 * lines) if chart.kind != "line" else 9.0
    # Constrained layout keeps the title, the subtitle and the axes apart at any height.
    fig = Figure(figsize=(WIDTH_IN, height), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    ax.tick_params(labelsize=FONT)
    fig.suptitle(chart.title, fontsize=TITLE, fontweight="bold", x=0.02, ha="left")
    ax.set_title(chart.subtitle, fontsize=FONT - 2, loc="left", color="#555555")
    if chart.kind == "line":
        _line(ax, chart)
    else:
        _bars(ax, chart)
    return fig


def _bars(ax: Axes, chart: Chart) -> None:
    # Each category's name sits above its bar, across the whole width: long agency and unit
    # names stay readable on a phone, where a column of tick labels would squeeze the bars.
    from matplotlib.ticker import MaxNLocator

    # A bar's slot grows with its name's lines, the name standing above the bar.
    names = [_lines(name) for name in chart.categories]
    extra = [0.45 * name.count("\n") for name in names]
    ys = [i + sum(extra[: i + 1]) for i in range(len(chart.categories))]
    left = [0.0] * len(ys)
    lo, hi = chart.limits or (0.0, 1.0)
    for s in chart.series:
        values = [v or 0.0 for v in s.values]
        # On an axis that starts above zero (IKM: 25) a bar is drawn from the axis' start.
        starts = [max(a, lo) for a in left]
        bars = ax.barh(ys, [max(0.0, a + v - b) for a, v, b in zip(left, values, starts, strict=True)],
                       left=starts, color=list(s.colours) or s.colour, label=s.label, height=0.45)
        left = [a + b for a, b in zip(left, values, strict=True)]
        for bar, text, end in zip(bars, s.texts, left, strict=False):
            ax.text(max(end, lo), bar.get_y() + bar.get_height() / 2, f" {text}", va="center", fontsize=FONT - 2)
    if chart.limits is None:
        hi = max([*left, 1.0])
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    for y, name in zip(ys, names, strict=True):
        ax.text(lo, y - 0.27, name, va="bottom", ha="left", fontsize=FONT, linespacing=1.0,
                bbox={"facecolor": "white", "alpha": 0.8, "edgecolor": "none", "pad": 1})
    ax.set_yticks([])
    ax.set_ylim((ys[-1] if ys else 0) + 0.5, -0.9)  # inverted: the first category on top, room for its name
    ax.set_xlabel(chart.axis, fontsize=FONT)
    ax.set_xlim(lo, hi + (hi - lo) * 0.3)  # room for the labels at the bars' ends
    ax.set_xticks([x for x in ax.get_xticks() if lo <= x <= hi])
    for value, label in chart.guides:
        ax.axvline(value, color="#777777", linestyle="--", linewidth=1.5)
        ax.text(value, 0.005, f" {label}", transform=ax.get_xaxis_transform(), ha="left", va="bottom",
                fontsize=FONT - 6, color="#555555")
    if chart.kind == "stacked":
        # Under the axis, three a row: it never covers a bar.
        ax.legend(fontsize=FONT - 6, loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, frameon=False)
    ax.grid(axis="x", alpha=0.3)


def _line(ax: Axes, chart: Chart) -> None:
    xs = list(range(len(chart.categories)))
    top = 1.0
    for s in chart.series:
        pts = [(x, v) for x, v in zip(xs, s.values, strict=True) if v is not None]
        if pts:
            ax.plot([x for x, _ in pts], [v for _, v in pts], marker="o", markersize=10, linewidth=3,
                    color=s.colour, label=s.label)
            top = max(top, *(v for _, v in pts))
    for value, label in chart.guides:
        ax.axhline(value, color="#e53935", linestyle="--", linewidth=2, label=label)
        top = max(top, value)
    from matplotlib.ticker import MaxNLocator

    ax.set_ylim(0, top * 1.25)
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))  # "0", "1", "2": never "0.0"
    ax.set_yticks([y for y in ax.get_yticks() if 0 <= y <= top * 1.25])
    # Half a step of room each side, and the dates set lower than the axis' "0": the first date
    # is never under it.
    ax.set_xlim(-0.5, len(xs) - 0.5)
    step = max(1, -(-len(xs) // 4))  # at most 4 dates across: level, they fit a phone's width
    ax.set_xticks(xs[::step], chart.categories[::step], fontsize=FONT)
    ax.tick_params(axis="x", pad=FONT * 0.6)
    ax.set_ylabel(chart.axis, fontsize=FONT)
    ax.legend(fontsize=FONT - 6, loc="upper left", framealpha=0.9)
    ax.grid(alpha=0.3)
