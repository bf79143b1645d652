"""Per-layer bar charts drawn with plotext, shared by the app's widgets and `vgtutor lab`.

The lab hands over plain norms; this module only turns them into log10 bar lengths
and lays them out so that every layer gets exactly one labelled row (plotext merges
bars when rows are short, and fails on inf, so both are handled here).
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

ASCII_TABLE = str.maketrans(
    {
        "┌": "+",
        "┐": "+",
        "└": "+",
        "┘": "+",
        "─": "-",
        "│": "|",
        "┤": "+",
        "├": "+",
        "┬": "+",
        "┴": "+",
        "┼": "+",
        "█": "#",
        "▌": "#",
        "▐": "#",
        "▄": "#",
        "▀": "#",
        "•": "*",
        "⠀": " ",
    }
)
TEXT_TABLE = str.maketrans(
    {
        "·": "-",
        "…": "...",
        "×": "x",
        "≈": "~",
        "−": "-",
        "–": "-",
        "—": "-",
        "→": "->",
        "←": "<-",
        "‖": "||",
        "≤": "<=",
        "≥": ">=",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
    }
)
FRAME_ROWS = 3
"""Rows plotext adds around the bars: top border, bottom border, tick labels."""
PLOT_FRAME_COLUMNS = 6
"""Columns a line plot loses to its borders and y tick labels (up to 4 cells, "-100")."""


@dataclass(frozen=True)
class Bars:
    """What one chart shows: a label and a norm per row, top row first."""

    labels: tuple[str, ...]
    norms: tuple[float | None, ...]
    """Raw norms; None marks a layer whose numbers overflowed."""
    title: str = ""

    @property
    def log10(self) -> tuple[float | None, ...]:
        return tuple(_log10(n) for n in self.norms)


def _log10(norm: float | None) -> float | None:
    if norm is None or not math.isfinite(norm):
        return None
    return math.log10(norm) if norm > 0 else -math.inf


MIN_DECADES = 10
"""The narrowest axis: level bars must look level, not stretched to fill the width."""


def axis_range(values: Sequence[float | None]) -> tuple[int, int]:
    """Whole decades enclosing every finite value, at least MIN_DECADES wide.

    A fixed minimum width keeps a bar's length meaningful when the learner switches
    settings: a net that loses one decade does not fill the chart as one that loses
    twelve would.
    """
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return (-MIN_DECADES, 0)
    low, high = math.floor(min(finite)) - 1, math.ceil(max(finite))
    return (min(low, high - MIN_DECADES), high)


def chart_height(bars: Bars, rows_per_bar: int = 1) -> int:
    """Rows the chart needs so that every bar has its own row (and `rows_per_bar - 1`
    blank rows below it, which reads better where the terminal has room)."""
    return rows_per_bar * (len(bars.labels) - 1) + 1 + FRAME_ROWS + (1 if bars.title else 0)


def decade_ticks(low: int, high: int, most: int = 7) -> list[int]:
    step = max(1, math.ceil((high - low) / (most - 1)))
    return list(range(high, low - 1, -step))[::-1]


def draw_bars(
    plt: Any,
    bars: Bars,
    *,
    width: int,
    color: str = "blue+",
    axis: tuple[int, int] | None = None,
    rows_per_bar: int = 1,
) -> None:
    """Draw horizontal log10 bars, one row per label, on a plotext-like `plt`.

    Bars are drawn as distances from the axis floor (plotext draws no bar for a
    value of exactly 0, which is log10 of a norm of 1), and the ticks are
    relabelled with the real decades. Norms that underflowed to zero sit on the
    floor; overflowed layers get no bar and a "!" on their label. `axis` fixes the
    decades shown, so that stacked charts can be compared at a glance. With
    `rows_per_bar` above 1, each bar keeps one row and the rest stay blank.
    """
    values = bars.log10
    low, high = axis or axis_range(values)
    n = len(bars.labels)
    positions = list(range(n, 0, -1))
    lengths = [0.0 if v is None else min(max(v, low), high) - low for v in values]
    labels = [f"{lab} !" if v is None else lab for lab, v in zip(bars.labels, values, strict=True)]
    plt.clear_figure()
    if hasattr(plt, "limitsize"):  # module-level plotext caps plots at the terminal size
        plt.limitsize(False, False)
    plt.plotsize(width, chart_height(bars, rows_per_bar))
    # Measured: these widths fill exactly one row per bar at any bar count up to 201.
    thickness = 0.5 if rows_per_bar == 1 else 0.3
    plt.bar(positions, lengths, orientation="horizontal", width=thickness, minimum=0, color=color)
    _bar_axes(plt, labels, (low, high), bars.title)


def _bar_axes(plt: Any, labels: Sequence[str], axis: tuple[int, int], title: str) -> None:
    """Rows labelled top to bottom, the x axis in whole decades from the axis floor, the title."""
    low, high = axis
    n = len(labels)
    plt.ylim(*((1, n) if n > 1 else (0.5, 1.5)))
    plt.yticks(list(range(n, 0, -1)), labels)
    plt.xlim(0, high - low)
    ticks = decade_ticks(low, high)
    plt.xticks([t - low for t in ticks], [f"{t:+d}" if t else "0" for t in ticks])
    if title:
        plt.title(title)


def to_ascii(text: str) -> str:
    """Replace plotext's box-drawing and block characters with 7-bit ASCII."""
    return text.translate(ASCII_TABLE)


def ascii_text(text: str) -> str:
    """Plain 7-bit text for --ascii: chart glyphs and typographic marks spelled out."""
    folded = unicodedata.normalize("NFKD", to_ascii(text)).translate(TEXT_TABLE)
    return folded.encode("ascii", "replace").decode("ascii")


# -- lab profile charts on a session axis (lessons.lab.lab_views.ProfileChart) ------------

NOW_COLOR = "blue+"
GHOST_COLOR = "gray"
LINE_COLORS = ("blue+", "red+", "green+", "orange+")
LINE_MARKERS = ("*", "o", "+", "x")
"""One character per series, told apart without colour (NO_COLOR) and in 7-bit ASCII."""
GHOST_MARK = {True: ":", False: "◆"}
"""The previous setting's marks, by ascii_only: a character no bar or line uses."""
BAR_MARK = {True: "#", False: "█"}


def _clamp(value: float, low: int, high: int) -> float:
    return min(max(value, low), high)


def _shown(value: float | None) -> bool:
    return value is not None and not math.isnan(value)


def profile_legend(chart: Any, *, ascii_only: bool, line: bool) -> str:
    """The key drawn above a profile chart: each series' mark, and what changed.

    With one series and its ghost the marks go into the before/after legend itself
    ("█ now: tanh · ◆ before: sigmoid"), which keeps the key short enough for the
    title's line at 80 columns.
    """
    ghost = GHOST_MARK[ascii_only]
    others = [s for s in chart.series[1:] if not s.ghost]
    if not line and not others and chart.legend.startswith("now: "):
        now = BAR_MARK[ascii_only]
        marked = chart.legend.replace("now: ", f"{now} now: ", 1).replace(
            " · before: ", f" · {ghost} before: ", 1
        )
        return "   ".join(p for p in (marked, guide_legend(chart, ascii_only=ascii_only)) if p)
    parts = []
    for i, series in enumerate(chart.series):
        if series.ghost:
            parts.append(f"{ghost} {series.label}")
        elif line:
            parts.append(f"{LINE_MARKERS[i % len(LINE_MARKERS)]} {series.label}")
    key = "  ".join(parts) if len(parts) > 1 else ""
    return "   ".join(
        p for p in (key, chart.legend, guide_legend(chart, ascii_only=ascii_only, line=line)) if p
    )


GUIDE_MARK = {(True, True): "|", (False, True): "┊", (True, False): "-", (False, False): "╌"}
"""The dashed mark of a guide value (float16's floor), by (ascii_only, vertical): vertical
across bars, horizontal across a line plot."""
GUIDE_COLOR = "red+"


def guide_legend(chart: Any, *, ascii_only: bool, line: bool = False) -> str:
    """ "┊ float16 floor: normal 10^-4.2, subnormal 10^-7.2" while guides are drawn."""
    if not chart.guides:
        return ""
    values = ", ".join(f"{name} 10^{value:.1f}" for name, value in chart.guides)
    return f"{GUIDE_MARK[ascii_only, not line]} float16 floor: {values}"


def _draw_guides(
    plt: Any, chart: Any, along: list[float], *, vertical: bool, ascii_only: bool
) -> None:
    """Each guide inside the axis as a dashed line: a mark at every other position of `along`."""
    low, high = chart.axis
    for _, value in chart.guides:
        if not low <= value <= high:
            continue
        at = along[::2]
        x = value - low if vertical else value
        xs, ys = ([x] * len(at), at) if vertical else (at, [value] * len(at))
        plt.scatter(xs, ys, marker=GUIDE_MARK[ascii_only, vertical], color=GUIDE_COLOR)


def _clip_label(value: float) -> str:
    return "=0" if value == -math.inf else f"{value:+.0f}"


def draw_profile_bars(
    plt: Any, chart: Any, *, width: int, rows_per_bar: int = 1, ascii_only=False
) -> None:
    """One bar per row on the chart's fixed axis; ghost marks; clipped values labelled.

    A value below the axis sits on the floor with its decade written there ("-17",
    "=0" for an underflow); one above it fills the row and is labelled at the right.
    """
    low, high = chart.axis
    now = chart.series[0].values
    n = len(chart.rows)
    positions = list(range(n, 0, -1))
    lengths = [_clamp(v, low, high) - low if _shown(v) else 0.0 for v in now]
    labels = [f"{r} !" if v is None else r for r, v in zip(chart.rows, now, strict=True)]
    plt.clear_figure()
    plt.plotsize(width, profile_height(chart, rows_per_bar))
    thickness = 0.5 if rows_per_bar == 1 else 0.3
    plt.bar(
        positions, lengths, orientation="horizontal", width=thickness, minimum=0, color=NOW_COLOR
    )
    for series in chart.series[1:]:
        points = [
            (_clamp(v, low, high) - low, p)
            for v, p in zip(series.values, positions, strict=True)
            if _shown(v) and math.isfinite(v)
        ]
        if series.ghost and points:
            xs, ys = zip(*points, strict=True)
            plt.scatter(xs, ys, marker=GHOST_MARK[ascii_only], color=GHOST_COLOR)
    rows = [p / 2 for p in range(2 * n, 1, -1)] if n > 1 else [1.0]
    _draw_guides(plt, chart, rows, vertical=True, ascii_only=ascii_only)
    for position, v in zip(positions, now, strict=True):
        if _shown(v) and not low <= v <= high:
            x, align = (0.0, "left") if v < low else (high - low, "right")
            plt.text(_clip_label(v), x, position, alignment=align, color="red+")
    _bar_axes(plt, labels, (low, high), chart.title)


def profile_height(chart: Any, rows_per_bar: int = 1) -> int:
    """Rows a bar drawing of `chart` needs so that every row has its own bar."""
    return rows_per_bar * (len(chart.rows) - 1) + 1 + FRAME_ROWS + (1 if chart.title else 0)


def _label_clipped(plt: Any, chart: Any, xs: list[int]) -> None:
    """One number per edge for the current series: its most extreme clipped value."""
    low, high = chart.axis
    values = [(v, x) for x, v in zip(xs, chart.series[0].values, strict=True) if _shown(v)]
    for edge, pick in ((low, min), (high, max)):
        beyond = [(v, x) for v, x in values if (v < low if edge == low else v > high)]
        if beyond:
            v, x = pick(beyond)
            align = "left" if x < len(xs) / 2 else "right"
            plt.text(f" {_clip_label(v)} ", x, edge, alignment=align, color="red+")


def row_ticks(rows: Sequence[str], columns: int, most: int = 8) -> list[int]:
    """1-based positions of the row labels a line plot's x-axis names: first and last
    always, no two closer than their labels are wide. plotext drops one of two
    overlapping labels, and which one depends on the process's hash seed."""
    n = len(rows)
    per_row = max(columns, 1) / max(n, 1)
    room = math.ceil((max(map(len, rows), default=1) + 2) / per_row)
    step = max(1, room, math.ceil((n - 1) / (most - 1)) if n > most else 1)
    return [*(t for t in range(1, n, step) if n - t >= room), n]


def draw_profile_lines(plt: Any, chart: Any, *, width: int, height: int, ascii_only=False) -> None:
    """log10 norm against row (layer or time step): every row on screen whatever the depth."""
    low, high = chart.axis
    n = len(chart.rows)
    xs_all = list(range(1, n + 1))
    plt.clear_figure()
    plt.plotsize(width, height)
    for i, series in enumerate(chart.series):
        if series.ghost:
            marker, color = GHOST_MARK[ascii_only], GHOST_COLOR
        else:
            marker, color = LINE_MARKERS[i % len(LINE_MARKERS)], LINE_COLORS[i % len(LINE_COLORS)]
        shown = [(x, v) for x, v in zip(xs_all, series.values, strict=True) if _shown(v)]
        inside = [(x, v) for x, v in shown if low <= v <= high]
        if inside:
            draw = plt.scatter if series.ghost or n > width // 2 else plt.plot
            draw(*zip(*inside, strict=True), marker=marker, color=color)
        for edge, mark, beyond in ((low, "v", lambda v: v < low), (high, "^", lambda v: v > high)):
            xs = [x for x, v in shown if beyond(v)]
            if xs:  # clipped: a marker on the edge, told apart from the line's own
                plt.scatter(xs, [edge] * len(xs), marker=mark, color=color)
    columns = [0.5 + (n / max(width - 10, 1)) * i for i in range(max(width - 10, 1))]
    _draw_guides(plt, chart, columns, vertical=False, ascii_only=ascii_only)
    _label_clipped(plt, chart, xs_all)
    plt.xlim(0.5, n + 0.5)
    plt.ylim(low, high)
    ticks = decade_ticks(low, high)
    plt.yticks(ticks, [f"{t:+d}" if t else "0" for t in ticks])
    at = row_ticks(chart.rows, width - PLOT_FRAME_COLUMNS)
    plt.xticks(at, [chart.rows[i - 1] for i in at])
    if chart.title:
        plt.title(chart.title)
