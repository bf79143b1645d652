"""Gradient bars on a decade range chosen by the caller, so that charts shown one after
another (the compare view's rows) share one scale and compare at a glance."""

from __future__ import annotations

from rich.text import Text
from textual.app import RenderResult

from tui.charts import Bars, draw_bars, to_ascii
from tui.widgets.gradient_bars import GradientBars


class AxisBars(GradientBars):
    """A GradientBars whose log10 axis is fixed by `show(bars, axis)`."""

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(ascii_only=ascii_only, id=id)
        self.axis: tuple[int, int] | None = None

    def show(self, bars: Bars, axis: tuple[int, int] | None = None) -> None:
        self.axis = axis
        super().show(bars)

    def render(self) -> RenderResult:
        if self.bars is None:
            return Text("")
        draw_bars(self.plt, self.bars, width=self.size.width, axis=self.axis)
        text = super(GradientBars, self).render()  # PlotextPlot's: the drawing is done
        if self.ascii_only and isinstance(text, Text):
            return Text(to_ascii(text.plain), spans=list(text.spans), end="")
        return text
