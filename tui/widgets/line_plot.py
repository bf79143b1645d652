"""A plotext line chart of a few labelled series, told apart by marker as well as colour.

Each series has its own marker character ("*", "o", "+", "x"), so the lines stay
distinct without colour (NO_COLOR) and in 7-bit ASCII; the key (`Lines.key`) is for
the caller to write outside the plotted area, so it never covers the data.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from tui.charts import LINE_COLORS, LINE_MARKERS, decade_ticks, to_ascii

DASH = "-"
DASH_POINTS = 40
"""Points of a dashed reference line (drawn as separate marks, so it reads as dashes)."""


@dataclass(frozen=True)
class Series:
    label: str
    xs: tuple[float, ...]
    ys: tuple[float, ...]
    """Points whose y is not finite are left out (plotext cannot place them)."""


@dataclass(frozen=True)
class Lines:
    """What one chart shows."""

    series: tuple[Series, ...]
    title: str = ""
    xlabel: str = ""
    log_x: bool = False
    """Steps on a log axis: the first steps get as much room as the last hundreds."""
    ylim: tuple[float, float] | None = None
    """A fixed y range (a session axis); values beyond it are drawn on its edge."""
    hline: tuple[str, float] | None = None
    """A dashed reference line: (label, y), e.g. ("chance ln 2 = 0.693", 0.693)."""

    def key(self) -> str:
        """The key written in the title row: marker and label of each line."""
        parts = [
            f"{LINE_MARKERS[i % len(LINE_MARKERS)]} {s.label}" for i, s in enumerate(self.series)
        ]
        if self.hline is not None:
            parts.append(f"{DASH * 2} {self.hline[0]}")
        return "  ".join(parts)


class LinePlot(PlotextPlot):
    """Shows `Lines`; blank until the first `show`."""

    DEFAULT_CSS = """
    LinePlot {
        height: 1fr;
        min-height: 8;
    }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.lines: Lines | None = None

    def show(self, lines: Lines) -> None:
        self.lines = lines
        self.refresh()

    def render(self) -> RenderResult:
        if self.lines is None:
            return Text("")
        _draw(self.plt, self.lines, width=self.size.width)
        text = super().render()
        if self.ascii_only and isinstance(text, Text):
            return Text(to_ascii(text.plain), spans=list(text.spans), end="")
        return text


def depth_line(ratios: Sequence[tuple[int, float | None]], metric: str) -> Lines:
    """The compare-by-depths line: log10 first-to-last ratio (decades) against depth, on
    whole decades that include 0."""
    shown = [(d, r) for d, r in ratios if r is not None and math.isfinite(r)]
    values = [r for _, r in shown] or [0.0]
    low, high = min(math.floor(min(values)), -1), max(math.ceil(max(values)), 1)
    what = "||dL/dW||" if metric == "weight" else "||dL/dh||"
    xs, ys = tuple(float(d) for d, _ in shown), tuple(r for _, r in shown)
    series = (Series("ratio", xs, ys),) if shown else ()
    title = f"L1 / last {what}, log10 (decades)"
    return Lines(series, title=title, xlabel="depth", ylim=(low, high))


def _x(lines: Lines, x: float) -> float:
    return math.log10(x) if lines.log_x else x


def _draw(plt, lines: Lines, *, width: int) -> None:  # noqa: ANN001 - plotext Plot
    plt.clear_figure()
    low, high = math.inf, -math.inf
    for i, series in enumerate(lines.series):
        points = [
            (_x(lines, x), _clip(y, lines.ylim))
            for x, y in zip(series.xs, series.ys, strict=True)
            if math.isfinite(y) and (x > 0 or not lines.log_x)
        ]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        low, high = min(low, *xs), max(high, *xs)
        marker, color = LINE_MARKERS[i % len(LINE_MARKERS)], LINE_COLORS[i % len(LINE_COLORS)]
        plt.plot(xs, ys, marker=marker, color=color)
    if lines.hline is not None and low < high:
        dash_xs = [low + (high - low) * k / (DASH_POINTS - 1) for k in range(DASH_POINTS)]
        plt.scatter(dash_xs, [lines.hline[1]] * DASH_POINTS, marker=DASH, color="gray")
    if lines.ylim is not None:
        plt.ylim(*lines.ylim)
        ticks = decade_ticks(int(lines.ylim[0]), int(lines.ylim[1]))
        plt.yticks(ticks, [f"{t:+d}" if t else "0" for t in ticks])
    if low < high:
        if lines.log_x:
            x_ticks = log_ticks(10**low, 10**high)
            plt.xticks([math.log10(t) for t in x_ticks], [f"{t:g}" for t in x_ticks])
        else:
            x_ticks = nice_ticks(low, high)
            plt.xticks(x_ticks, [f"{t:g}" for t in x_ticks])
    if lines.title and len(lines.title) <= width:
        plt.title(lines.title)
    if lines.xlabel:
        plt.xlabel(lines.xlabel + (" (log scale)" if lines.log_x else ""))


def _clip(y: float, ylim: tuple[float, float] | None) -> float:
    return y if ylim is None else min(max(y, ylim[0]), ylim[1])


def log_ticks(low: float, high: float) -> list[float]:
    """1, 2, 5 times powers of ten inside [low, high], thinned to at most six."""
    ticks = [
        m * 10**p
        for p in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
        for m in (1, 2, 5)
        if low <= m * 10**p <= high
    ]
    while len(ticks) > 6:
        ticks = ticks[::2]
    return ticks


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick positions (1, 2 or 5 times a power of ten apart) inside [low, high]."""
    raw = (high - low) / (most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    count = int((high - first) / step + 1e-9) + 1
    return [round(first + k * step, 12) for k in range(count)]
