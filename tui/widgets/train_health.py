"""The train view's diagnostics panels: update-to-data ratios, unit health, boundaries.

Shown in place of the loss/gradient panels when the learner presses `u` in the train
view. Left: log10(std(update) / std(W)) of the first, middle and last layer per step,
with the dashed rule-of-thumb line at -3. Middle: the dead and saturated shares over
the steps. Right: the decision boundary at step 0 above the one after the run.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Static
from textual_plotext import PlotextPlot

if TYPE_CHECKING:  # numpy-bound; the worker computes the grids
    from lessons.lab.boundary import BoundaryGrid


from lessons.lab.train_health import TrainHealthModel
from tui.boundary_plot import draw_boundary
from tui.charts import ascii_text, to_ascii
from tui.widgets.line_plot import LinePlot, Lines, Series

RATIO_TITLE = "log10 std(step)/std(W)"
SHARES_TITLE = "units: % dead, saturated"
ALL_UNITS = ("all units", 100.0)
"""A dashed line at 100%, so the shares are read on a 0-100 scale."""
BOUNDARY_KEY = "net: . is 0  : is 1   data: o x"


class BoundaryPlot(PlotextPlot):
    """One decision boundary (lessons.lab.boundary.BoundaryGrid), or blank."""

    DEFAULT_CSS = """
    BoundaryPlot { height: 1fr; min-height: 5; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.grid: BoundaryGrid | None = None
        self.title = ""

    def show(self, grid: BoundaryGrid | None, title: str) -> None:
        self.grid, self.title = grid, title
        self.refresh()

    def render(self) -> RenderResult:
        if self.grid is None or not self.size.width:
            return Text(self.title)
        draw_boundary(self.plt, self.grid, self.size.width, self.size.height, self.title)
        text = super().render()
        if self.ascii_only and isinstance(text, Text):
            return Text(to_ascii(text.plain), spans=list(text.spans), end="")
        return text


class TrainHealthView(Horizontal):
    DEFAULT_CSS = """
    TrainHealthView > Vertical { width: 1fr; height: 1fr; }
    TrainHealthView .health-key { height: auto; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only

    def compose(self) -> ComposeResult:
        for name in ("health-ratio", "health-shares"):
            with Vertical():
                yield Static(classes="health-key", id=f"{name}-key", markup=False)
                yield LinePlot(ascii_only=self.ascii_only, id=name)
        with Vertical():
            yield Static(BOUNDARY_KEY, classes="health-key", markup=False)
            yield BoundaryPlot(ascii_only=self.ascii_only, id="health-start")
            yield BoundaryPlot(ascii_only=self.ascii_only, id="health-end")

    def _plot(self, name: str, lines: Lines) -> None:
        key = f"{lines.title}\n{lines.key()}"
        self.query_one(f"#{name}-key", Static).update(ascii_text(key) if self.ascii_only else key)
        self.query_one(f"#{name}", LinePlot).show(replace(lines, title=""))

    def show(self, model: TrainHealthModel | None) -> None:
        start = self.query_one("#health-start", BoundaryPlot)
        end = self.query_one("#health-end", BoundaryPlot)
        if model is None:
            for plot in self.query(LinePlot).results(LinePlot):
                plot.lines = None
                plot.refresh()
            for key in self.query("#health-ratio-key, #health-shares-key").results(Static):
                key.update("")
            start.show(None, "")
            end.show(None, "")
            return
        steps = model.steps
        ratios = tuple(
            Series(label, steps, values)
            for label, values in zip(model.layer_labels, model.ratios, strict=True)
        )
        rule = (f"rule of thumb {model.reference:g}", model.reference)
        self._plot("health-ratio", Lines(ratios, RATIO_TITLE, "step", log_x=True, hline=rule))
        shares = []
        if model.saturated is not None:
            shares.append(Series("saturated", steps, tuple(100 * v for v in model.saturated)))
        if model.dead is not None:
            shares.append(Series("dead", steps, tuple(100 * v for v in model.dead)))
        title = SHARES_TITLE if shares else "units: no dead or saturated kind"
        lines = Lines(tuple(shares), title, "step", log_x=True, hline=ALL_UNITS if shares else None)
        self._plot("health-shares", lines)
        if model.boundaries is None:
            done = "not 2-D: no boundary" if model.random_batch else "boundary: after the run"
            start.show(None, done)
            end.show(None, "")
            return
        first, last = model.boundaries
        start.show(first, "step 0")
        end.show(last, f"after step {model.steps_done}")
