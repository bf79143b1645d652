"""A profile drawn on its session axis: bars when every row fits, else one line plot.

The view draws the ProfileChart it is given and nothing else: it picks bars or a line
from its own height (the chart's `plot` can force either), so every layer or time step
is on screen at 80x24, and a larger terminal gets a blank row between bars.
"""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events
from textual.app import ComposeResult, RenderResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static
from textual_plotext import PlotextPlot

from lessons.lab.lab_views import ProfileChart
from tui.charts import (
    ascii_text,
    draw_profile_bars,
    draw_profile_lines,
    profile_height,
    profile_legend,
    to_ascii,
)


class ProfilePlot(PlotextPlot):
    """The plotext drawing of one chart in one mode."""

    DEFAULT_CSS = """
    ProfilePlot {
        height: auto;
        min-height: 5;
    }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.chart: ProfileChart | None = None
        self.mode = "bars"
        self.rows_per_bar = 1
        self._drawn: tuple[object, Text] | None = None
        """The last drawing and what it was drawn from: a layout pass redraws for free."""

    def render(self) -> RenderResult:
        chart = self.chart
        if chart is None or not self.size.width:
            return Text("")
        width, height = self.size.width, self.size.height
        key = (chart, self.mode, self.rows_per_bar, width, height, self.app.theme)
        if self._drawn is not None and self._drawn[0] == key:
            return self._drawn[1]
        if self.mode == "line":
            draw_profile_lines(
                self.plt, chart, width=width, height=height, ascii_only=self.ascii_only
            )
        else:
            draw_profile_bars(
                self.plt,
                chart,
                width=width,
                rows_per_bar=self.rows_per_bar,
                ascii_only=self.ascii_only,
            )
        text = super().render()
        if not isinstance(text, Text):
            return text
        if self.ascii_only:
            text = Text(to_ascii(text.plain), spans=list(text.spans), end="")
        self._drawn = (key, text)
        return text


class ProfileView(Vertical):
    """A key line (markers, "now: ... · before: ...") above the chart."""

    DEFAULT_CSS = """
    ProfileView { height: 1fr; }
    ProfileView > .profile-legend { height: auto; color: $text-muted; padding: 0 1; }
    ProfileView > VerticalScroll { height: 1fr; }
    ProfileView ProfilePlot { min-height: 8; }
    """

    def __init__(self, *, ascii_only: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.ascii_only = ascii_only
        self.chart: ProfileChart | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="profile-legend", markup=False)
        with VerticalScroll():
            yield ProfilePlot(ascii_only=self.ascii_only)

    @property
    def mode(self) -> str:
        return self.query_one(ProfilePlot).mode

    def show(self, chart: ProfileChart | None) -> None:
        self.chart = chart
        self._fit()

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def _fit(self) -> None:
        """Choose bars or line for the room there is; the title goes in the key line above."""
        plot = self.query_one(ProfilePlot)
        chart = None if self.chart is None else replace(self.chart, title="")
        plot.chart = chart
        legend = self.query_one(".profile-legend", Static)
        if chart is None:
            legend.update("")
            plot.refresh()
            return
        title = self.chart.title if self.chart else ""
        key = profile_legend(chart, ascii_only=self.ascii_only, line=chart.plot == "line")
        text = _key_text(title, key, self.size.width - 2)
        room = self.size.height - _wrapped_lines(text, self.size.width - 2)
        mode = chart.plot
        if mode == "auto":
            mode = "bars" if profile_height(chart) <= room else "line"
        if mode != chart.plot:
            key = profile_legend(chart, ascii_only=self.ascii_only, line=mode == "line")
            text = _key_text(title, key, self.size.width - 2)
        plot.mode = mode
        plot.rows_per_bar = 2 if mode == "bars" and profile_height(chart, 2) <= room else 1
        # A line fills what the key line leaves (the layout sizes it); bars take their rows.
        height = f"{profile_height(chart, plot.rows_per_bar)}" if mode == "bars" else "1fr"
        legend.update(ascii_text(text) if self.ascii_only else text)
        legend.display = bool(text)
        if str(plot.styles.height) != height:
            plot.styles.height = height
        plot.refresh(layout=True)


def _wrapped_lines(text: str, width: int) -> int:
    """Rows `text` takes when wrapped at `width` cells (0 for no text)."""
    if not text:
        return 0
    return sum(max(1, -(-len(line) // max(width, 1))) for line in text.splitlines())


def _key_text(title: str, key: str, width: int) -> str:
    """Title and key on one line where they fit, else one line each."""
    one = "   ".join(p for p in (title, key) if p)
    return one if len(one) <= width else "\n".join(p for p in (title, key) if p)
