"""A plotext bar chart with one labelled row per layer, tall enough never to merge bars."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult
from textual_plotext import PlotextPlot

from tui.charts import Bars, chart_height, draw_bars, to_ascii


class GradientBars(PlotextPlot):
    """Shows a `Bars`; its height follows the number of layers (scroll it when deep)."""

    DEFAULT_CSS = """
    GradientBars {
        height: auto;
        min-height: 5;
    }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.bars: Bars | None = None

    def show(self, bars: Bars) -> None:
        self.bars = bars
        self.styles.height = chart_height(bars)
        self.refresh(layout=True)

    def render(self) -> RenderResult:
        if self.bars is None:
            return Text("")
        draw_bars(self.plt, self.bars, width=self.size.width)
        text = super().render()
        if self.ascii_only and isinstance(text, Text):
            return Text(to_ascii(text.plain), spans=list(text.spans), end="")
        return text
