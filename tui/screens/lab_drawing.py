"""The lab screen's drawing: from its LabState to the view's widgets and the reading line.

A mixin of LabScreen (tui/screens/lab.py, which composes the widgets and maps keys to
settings). `redraw` shows the current view: it gets the result the view lacks (at once
when cheap, else in a thread worker whose result is dropped if no longer wanted),
hands the view's widget the model lessons.lab.lab_views builds, and keeps the model's
axis for the session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import work
from textual.message import Message
from textual.widgets import ContentSwitcher, Static

from lessons.exercise_goals import Exercise
from lessons.lab.config import ACTIVATIONS
from lessons.lab.lab_readings import curve_reading, profile_reading, rnn_reading
from lessons.lab.lab_state import (
    VIEWS,
    LabSettings,
    LabState,
    compare_key,
    compute,
    cost,
    profile_key,
    rnn_key,
)
from lessons.lab.lab_views import (
    bars_chart,
    compare_chart,
    compare_model,
    depth_ratios,
    rnn_chart,
)
from lessons.lab.why import why_model
from tui.widgets.compare_table import CompareTable
from tui.widgets.curve_view import CurveView
from tui.widgets.lab_controls import Hint, LabControls, setting_hints
from tui.widgets.line_plot import LinePlot, depth_line
from tui.widgets.profile_view import ProfileView
from tui.widgets.why_view import WhyView

if TYPE_CHECKING:
    from tui.screens.tutor_screen import TutorScreen

    _Base = TutorScreen
else:
    _Base = object

CURVE_XS = tuple(i / 100 for i in range(-600, 601))
QUICK_WORK = 100_000_000
"""Multiply-adds (lab_state.cost) a result may take on the UI thread (~10s of ms)."""


class LabDrawing(_Base):
    state: LabState
    exercise: Exercise | None
    hint_shown: int
    _compare_shown: tuple[Any, ...] | None

    @property
    def settings(self) -> LabSettings:
        return self.state.settings

    if TYPE_CHECKING:  # from the other mixins (declared only: a stub here would shadow them)

        def _locked_here(self) -> set[str]: ...

        def _show_goal(self) -> None: ...

    @dataclass
    class Computed(Message):
        key: tuple[Any, ...]
        result: Any

    def redraw(self) -> None:
        """Show the current view for the current settings, asking for any missing result."""
        s = self.settings
        self.query_one(ContentSwitcher).current = f"view-{s.view}"
        self._show_header()
        self._show_controls()
        key = self.state.missing()
        if key is not None:
            if cost(key) <= QUICK_WORK and key[0] != "compare":
                self.state.store(key, compute(key))
            elif self.state.cache.claim(key):
                self._compute_later(key)
        getattr(self, f"_draw_{s.view}")()
        self._show_goal()

    def _show_header(self) -> None:
        preset, changed = self.state.preset, self.state.changed()
        look_for = self.query_one("#lab-look-for", Static)
        look_for.display = preset is not None and self.settings.view == preset.settings.view
        if self.exercise is not None:
            self.title = f"Exercise: {self.exercise.title}"
        elif preset is None:
            self.title = "Lab"
        else:
            # Once a setting differs the preset's title no longer describes the net:
            # say what changed first (the header cuts the end of a long line).
            self.title = (
                f"Lab: you changed {', '.join(changed)}" if changed else f"Lab: {preset.title}"
            )
            self.sub_title = f"preset: {preset.title}" if changed else ""
            # "Preset:" is shorter than "Look for:", so the line never grows by a row.
            mark = "Preset" if changed else "Look for"
            look_for.update(f"{mark}: {preset.look_for}")
            look_for.set_class(bool(changed), "-changed")

    def _show_controls(self) -> None:
        hints = setting_hints(self.settings, self._locked_here(), len(self.state.openings))
        if self.exercise is not None:
            hints.append(Hint("h/H", "hint", f"{self.hint_shown}/{len(self.exercise.hints)}"))
        tabs = [Hint(str(i), v) for i, v in enumerate(VIEWS, 1)] + [Hint("v", "next view")]
        self.query_one(LabControls).show(tabs, self.settings.view, hints)

    def _read(self, text: str | Text, *, alarm: bool = False) -> None:
        """Put one reading under the chart; an alarm (overflow, divergence) is marked with '!'."""
        self.query_one("#lab-reading", Static).update(_marked(text, alarm))

    def _waiting(self) -> None:
        net = self.settings.net
        self._read(f"computing a {net.depth}-layer, {net.width}-wide net...")

    def _draw_bars(self) -> None:
        chart = bars_chart(self.state)
        self.query_one("#view-bars", ProfileView).show(chart)
        if chart is None:
            self._waiting()
            return
        self.state.keep_axis("bars", chart.axis)
        profile = self.state.result(profile_key(self.settings))
        alarm = profile.overflow_layer is not None
        self._read(profile_reading(profile, self.settings.metric), alarm=alarm)

    def _draw_compare(self) -> None:
        model = compare_model(self.state)
        table = self.query_one(CompareTable)
        if model is None:
            table.show("", ())
            self.query_one("#compare-chart", ProfileView).show(None)
            self._read(f"comparing {self.settings.compare_axis}...")
            return
        self.state.keep_axis("compare", model.axis)
        key = compare_key(self.settings)
        fresh, self._compare_shown = key != self._compare_shown, key
        table.show(model.caption, model.rows, model.current if fresh else None)
        self._draw_depth_line()

    def _draw_depth_line(self) -> None:
        """Comparing by depth: the first-to-last ratio against depth, in place of a profile."""
        ratios = depth_ratios(self.state)
        line = self.query_one("#compare-depths", LinePlot)
        self.query_one("#compare-chart", ProfileView).display = ratios is None
        line.display = ratios is not None
        if ratios is not None:
            line.show(depth_line(ratios, self.settings.metric))

    def on_compare_table_picked(self, message: CompareTable.Picked) -> None:
        model = compare_model(self.state)
        if model is None or self.settings.view != "compare" or not model.rows:
            return
        chart = compare_chart(self.state, model, message.index)
        self.query_one("#compare-chart", ProfileView).show(chart)
        _, profile = self.state.result(compare_key(self.settings))[message.index]
        reading = f"{chart.series[0].label}: {profile_reading(profile, self.settings.metric)}"
        self._read(reading, alarm=profile.overflow_layer is not None)

    def _draw_rnn(self) -> None:
        chart = rnn_chart(self.state)
        self.query_one("#view-rnn", ProfileView).show(chart)
        if chart is None:
            self._read("computing the recurrent nets...")
            return
        self.state.keep_axis("rnn", chart.axis)
        profiles = self.state.result(rnn_key(self.settings))
        cell = self.settings.rnn.cell
        self._read(rnn_reading(profiles, cell), alarm=profiles[cell].overflow_step is not None)

    def _draw_why(self) -> None:
        profile = self.state.result(profile_key(self.settings))
        model = None if profile is None else why_model(profile, self.state.axes.get("why"))
        self.query_one(WhyView).show(model)
        if model is None:
            self._waiting()
            return
        self.state.keep_axis("why", model.axis)
        self._read(model.reading, alarm=model.reading.startswith("overflow"))

    def _draw_curves(self) -> None:
        import numpy as np

        from lessons.lab.activations import activation_curve, get_activation

        net = self.settings.net
        options = {"leaky_slope": net.leaky_slope, "elu_alpha": net.elu_alpha}
        f, df = (
            a.tolist() for a in activation_curve(net.activation, np.asarray(CURVE_XS), **options)
        )
        act = get_activation(net.activation, **options)
        maxima = [(name, get_activation(name, **options).grad_max) for name in ACTIVATIONS]
        self.query_one(CurveView).show(net.activation, CURVE_XS, f, df, maxima)
        self._read(curve_reading(net.activation, act, CURVE_XS, df))

    @work(thread=True, group="lab-compute")
    def _compute_later(self, key: tuple[Any, ...]) -> None:
        self.post_message(self.Computed(key, compute(key)))

    def on_lab_drawing_computed(self, message: Computed) -> None:
        self.state.store(message.key, message.result)
        if self.state.missing() is None:
            self.redraw()


def _marked(text: str | Text, alarm: bool) -> Text:
    if isinstance(text, Text):
        return text
    return Text.assemble(("! ", "bold red"), (text, "bold red")) if alarm else Text(text)
