"""A plotext bar chart with one labelled row per layer, tall enough never to merge bars."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import RenderResult
from textual.widget import Widget
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

    rows_per_bar = 1
    """2 where the container has room for a blank row between bars (big terminals)."""

    def show(self, bars: Bars) -> None:
        self.bars = bars
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """Spread the bars out when the visible area has room for it, else one row each."""
        if self.bars is None:
            return
        room = self.parent.size.height if isinstance(self.parent, Widget) else 0
        spaced = chart_height(self.bars, 2) <= room
        self.rows_per_bar = 2 if spaced else 1
        height = chart_height(self.bars, self.rows_per_bar)
        if self.styles.height is None or self.styles.height.value != height:
            self.styles.height = height
        self.refresh(layout=True)

    def render(self) -> RenderResult:
        if self.bars is None:
            return Text("")
        draw_bars(self.plt, self.bars, width=self.size.width, rows_per_bar=self.rows_per_bar)
        text = super().render()
        if self.ascii_only and isinstance(text, Text):
            return Text(to_ascii(text.plain), spans=list(text.spans), end="")
        return text
