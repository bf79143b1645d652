"""A plotext line chart of a few labelled series, drawable in 7-bit ASCII for --ascii."""

from __future__ import annotations

import math
from dataclasses import dataclass

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from tui.charts import to_ascii

COLORS = ("blue+", "red+", "green+", "orange+")
ASCII_MARKERS = ("*", "o", "+", "x")
"""Without Unicode (and often without colour) series are told apart by their marker."""


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
        _draw(self.plt, self.lines, ascii_only=self.ascii_only)
        text = super().render()
        if self.ascii_only and isinstance(text, Text):
            return Text(to_ascii(text.plain), spans=list(text.spans), end="")
        return text


def _draw(plt, lines: Lines, *, ascii_only: bool) -> None:  # noqa: ANN001 - plotext Plot
    plt.clear_figure()
    low, high = math.inf, -math.inf
    for i, series in enumerate(lines.series):
        points = [(x, y) for x, y in zip(series.xs, series.ys, strict=True) if math.isfinite(y)]
        if not points:
            continue
        xs, ys = zip(*points, strict=True)
        low, high = min(low, *xs), max(high, *xs)
        marker = ASCII_MARKERS[i % len(ASCII_MARKERS)] if ascii_only else "braille"
        plt.plot(xs, ys, label=series.label, marker=marker, color=COLORS[i % len(COLORS)])
    if low < high:
        ticks = nice_ticks(low, high)
        plt.xticks(ticks, [f"{t:g}" for t in ticks])
    if lines.title:
        plt.title(lines.title)
    if lines.xlabel:
        plt.xlabel(lines.xlabel)


def nice_ticks(low: float, high: float, most: int = 6) -> list[float]:
    """Round tick positions (1, 2 or 5 times a power of ten apart) inside [low, high]."""
    raw = (high - low) / (most - 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step) * step
    count = int((high - first) / step + 1e-9) + 1
    return [round(first + k * step, 12) for k in range(count)]
