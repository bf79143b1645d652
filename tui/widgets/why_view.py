"""The "why" view: each hidden layer's backward stages as signed bars, and its units' health.

One row per layer, input layer on top. Left of the zero line a stage shrinks the
backward signal, right of it a stage grows it; each stage has its own character
(and colour), so the rows read the same in ASCII and without colour. Beside the bars:
the layer's measured total and a unit-health strip (saturated share, dead share,
spread of the activations).
"""

from __future__ import annotations

import math

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from lessons.lab.why import STAGE_NAMES, WhyModel, WhyRow
from tui.charts import ascii_text

MARKS = {"activation": "█", "norm": "▒", "weight": "░"}
ASCII_MARKS = {"activation": "a", "norm": "n", "weight": "w"}
STYLES = {"activation": "red", "norm": "green", "weight": "blue"}
LABEL_WIDTH = 5
TOTAL_WIDTH = 7
HEALTH_HEADER = " sat dead    sd"
HEALTH_WIDTH = len(HEALTH_HEADER)
MIN_BAR_WIDTH = 12


def _share(value: float | None) -> str:
    return "   -" if value is None else f"{value:4.0%}"


def health_text(row: WhyRow) -> str:
    """The unit-health strip of one row: saturated share, dead share, activation spread."""
    spread = "-" if row.spread is None else f"{row.spread:.2g}"
    return f"{_share(row.saturated)} {_share(row.dead)} {spread:>5}"


class WhyChart(Widget):
    """The rows, drawn to the widget's width; as tall as the model has rows."""

    DEFAULT_CSS = """
    WhyChart { height: auto; }
    """

    def __init__(self, *, ascii_only: bool = False) -> None:
        super().__init__()
        self.ascii_only = ascii_only
        self.model: WhyModel | None = None

    def show(self, model: WhyModel | None) -> None:
        self.model = model
        self.styles.height = 0 if model is None else len(model.rows) + 2
        self.refresh(layout=True)

    def render(self) -> RenderResult:
        model = self.model
        if model is None:
            return Text("")
        bar_width = max(
            self.size.width - LABEL_WIDTH - TOTAL_WIDTH - HEALTH_WIDTH - 2, MIN_BAR_WIDTH
        )
        text = Text(no_wrap=True, overflow="crop")
        title = "stages (decades)"
        head = f"{'':{LABEL_WIDTH}}{title:^{bar_width}}{'total':>{TOTAL_WIDTH}} {HEALTH_HEADER}"
        text.append(head + "\n", style="bold")
        for row in model.rows:
            text.append(f"{row.label:<{LABEL_WIDTH}}")
            text.append_text(self._bar(row, model.axis, bar_width))
            total = " !" if row.total is None else f"{row.total:+.2f}"
            text.append(f"{total:>{TOTAL_WIDTH}} {health_text(row)}\n")
        text.append(f"{'':{LABEL_WIDTH}}{_ticks(model.axis, bar_width)}")
        return text

    def _bar(self, row: WhyRow, axis: tuple[int, int], width: int) -> Text:
        low, high = axis
        cells = [" "] * width
        styles: list[str] = [""] * width

        def column(decades: float) -> int:
            return round((min(max(decades, low), high) - low) / (high - low) * (width - 1))

        zero = column(0.0)
        marks = ASCII_MARKS if self.ascii_only else MARKS
        if row.overflowed:
            cells[zero] = "!"
        else:
            left = right = 0.0
            for name in STAGE_NAMES:
                value = getattr(row, name)
                if value is None or value == 0:
                    continue
                start = left if value < 0 else right
                end = start + value
                if value < 0:
                    left = end
                else:
                    right = end
                a, b = sorted((column(start), column(end)))
                a, b = (a, b - 1) if value > 0 else (a + 1, b)
                for c in range(a, b + 1):
                    if c != zero:
                        cells[c], styles[c] = marks[name], STYLES[name]
        cells[zero] = "|" if self.ascii_only else "│"
        text = Text()
        for ch, style in zip(cells, styles, strict=True):
            text.append(ch, style=style or None)
        return text


def _ticks(axis: tuple[int, int], width: int) -> str:
    """Whole-decade labels under the bars, each centred on its column."""
    low, high = axis
    line = [" "] * (width + 3)
    step = max(1, math.ceil((high - low) / max(width // 6, 1)))
    for decade in range(low, high + 1, step):
        col = round((decade - low) / (high - low) * (width - 1))
        label = f"{decade:+d}" if decade else "0"
        start = min(max(col - len(label) // 2, 0), len(line) - len(label))
        line[start : start + len(label)] = label
    return "".join(line).rstrip()


def key_text(model: WhyModel, ascii_only: bool) -> str:
    """The key line: each stage's mark, what the total and the strip hold."""
    marks = ASCII_MARKS if ascii_only else MARKS
    names = ["activation"] + (["norm"] if model.batchnorm else []) + ["weight"]
    norm = "layer norm" if model.layernorm else "batch norm"
    words = {"activation": "act slope", "norm": norm, "weight": "weights W^T"}
    parts = [f"{marks[n]} {words[n]}" for n in names]
    text = "stages of dL/dh, left of 0 shrinks: " + "  ".join(parts)
    return ascii_text(text) if ascii_only else text


class WhyView(VerticalScroll):
    """The key line above the chart; scrolls when the net has more layers than rows."""

    DEFAULT_CSS = """
    WhyView { height: 1fr; }
    WhyView > .why-key { height: auto; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        yield Static(classes="why-key", markup=False)
        yield WhyChart(ascii_only=self.ascii_only)

    def show(self, model: WhyModel | None) -> None:
        key = "" if model is None else key_text(model, self.ascii_only)
        self.query_one(".why-key", Static).update(key)
        self.query_one(WhyChart).show(model)
