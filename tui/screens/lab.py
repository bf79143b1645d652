"""The lab: a real numpy net in five views, redrawn as the learner changes its settings.

Views: per-layer bars, a comparison across one setting, a training run, a recurrent
net's per-time-step bars, and activation curves. A single profile is cheap, so the
bars follow each key press at once; comparisons, training runs and very large nets run
in thread workers so the screen never freezes, and their results are dropped if the
settings changed meanwhile.

In exercise mode the lab starts from the exercise's settings, refuses changes to the
ones it locks, and checks the goal against the result it already shows (never a
second run), recording the exercise as done the first time the goal is met.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import ContentSwitcher, Footer, Header, Static
from textual.worker import Worker, get_current_worker

from lessons.course_path import exercise_done
from lessons.exercises import Config, Exercise, ExerciseCheck, check_exercise, locked_changes
from lessons.lab.config import (
    ACTIVATIONS,
    CELLS,
    INITS,
    METRICS,
    OPTIMIZERS,
    RECURRENT_INITS,
    NetConfig,
    RNNConfig,
    TrainConfig,
)
from lessons.pack import Lesson, Pack, Preset
from lessons.progress import lesson_key
from tui.charts import Bars, axis_range
from tui.navigation import QuizPage
from tui.widgets.axis_bars import AxisBars
from tui.widgets.compare_table import CompareTable, Row
from tui.widgets.curve_view import CurveView
from tui.widgets.exercise_panel import ExercisePanel
from tui.widgets.gradient_bars import GradientBars
from tui.widgets.lab_controls import Hint, LabControls
from tui.widgets.train_view import TrainCurves, TrainView

METRIC_TITLES = {
    "weight": "weight gradient ||dL/dW|| per layer (Frobenius, log10)",
    "signal": "backward signal ||dL/dh|| per layer (Frobenius, log10)",
}
METRIC_SHORT = {"weight": "log10 ||dL/dW||", "signal": "log10 ||dL/dh||"}
VIEWS = ("bars", "compare", "train", "rnn", "curves")
PRESET_VIEWS = {"profile": "bars", "train": "train", "rnn": "rnn", "activations": "curves"}
DEPTHS = (1, 2, 3, 5, 10, 20, 30, 50, 100, 200)
WIDTHS = (8, 16, 32, 64, 128, 256)
RATES = (0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1.0)
CLIPS = ((None, None), (1.0, None), (5.0, None))
"""(clip_norm, clip_value) pairs the c key steps through: off, global norm 1, global norm 5."""
SEQ_LENS = (10, 25, 50, 100)
FORGET_BIASES = (0.0, 1.0, 2.0)
CURVE_XS = tuple(i / 100 for i in range(-600, 601))
QUICK_PROFILE = 100_000_000
"""Multiply-adds (batch x width^2 x depth) a profile may cost on the UI thread (~10s of ms)."""
PROGRESS_EVERY = 0.2
"""Seconds between a training worker's progress reports."""
NET_VIEWS = frozenset({"bars", "compare", "train"})
VIEWS_OF_ACTION = {
    "next_activation": NET_VIEWS | {"curves"},
    "next_init": NET_VIEWS | {"rnn"},
    "depth": NET_VIEWS,
    "width": NET_VIEWS,
    "toggle_batchnorm": NET_VIEWS,
    "toggle_residual": NET_VIEWS,
    "seed": NET_VIEWS | {"rnn"},
    "next_metric": frozenset({"bars", "compare"}),
    "next_axis": frozenset({"compare"}),
    "next_clip": frozenset({"train"}),
    "next_optimizer": frozenset({"train"}),
    "rate": frozenset({"train"}),
    "run": frozenset({"train"}),
    "cancel": frozenset({"train"}),
    "next_cell": frozenset({"rnn"}),
    "seq_len": frozenset({"rnn"}),
    "toggle_forget_bias": frozenset({"rnn"}),
}
"""The views in which each settings key means something (the others ignore it)."""
SETTING_NAMES = {
    "batchnorm": "batch norm",
    "residual": "residual (skip connections)",
    "lr": "the learning rate",
    "clip_norm": "clipping",
    "clip_value": "clipping",
    "seq_len": "the sequence length",
    "forget_bias": "the forget-gate bias",
    "recurrent_init": "the recurrent init",
}
"""How a locked setting is named in the notice refusing a change to it."""


def _cycle(options: Sequence[Any], current: Any, delta: int = 1) -> Any:
    """The option `delta` places after `current`, wrapping; the first one if current is unknown."""
    if current not in options:
        return options[0]
    return options[(list(options).index(current) + delta) % len(options)]


def _step(options: Sequence[float], current: float, delta: int) -> Any:
    """The next larger (delta > 0) or smaller option, staying put at either end."""
    if delta > 0:
        return min((o for o in options if o > current), default=current)
    return max((o for o in options if o < current), default=current)


def _on_off(flag: bool) -> str:
    return "on" if flag else "off"


def _clip_text(clip_norm: float | None, clip_value: float | None) -> str:
    parts = [f"value {clip_value:g}"] if clip_value is not None else []
    parts += [f"norm {clip_norm:g}"] if clip_norm is not None else []
    return " + ".join(parts) or "off"


def _power(log10_ratio: float | None) -> str:
    if log10_ratio is None or not math.isfinite(log10_ratio):
        return "?"
    return f"{log10_ratio:+.1f}"


class LabScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back", key_display="esc"),
        Binding("v", "cycle_view(1)", "View"),
        Binding("V", "cycle_view(-1)", "Previous view", show=False),
        *(Binding(str(i), f"view('{v}')", v, show=False) for i, v in enumerate(VIEWS, 1)),
        Binding("a", "next_activation(1)", "Activation", show=False),
        Binding("A", "next_activation(-1)", "Previous activation", show=False),
        Binding("i", "next_init(1)", "Init", show=False),
        Binding("I", "next_init(-1)", "Previous init", show=False),
        Binding("d", "depth(1)", "Deeper", show=False),
        Binding("D", "depth(-1)", "Shallower", show=False),
        Binding("w", "width(1)", "Wider", show=False),
        Binding("W", "width(-1)", "Narrower", show=False),
        Binding("b", "toggle_batchnorm", "Batch norm", show=False),
        Binding("r", "toggle_residual", "Residual", show=False),
        Binding("s", "seed(1)", "Next seed", show=False),
        Binding("S", "seed(-1)", "Previous seed", show=False),
        Binding("m", "next_metric", "Weight/signal"),
        Binding("g", "next_axis(1)", "Compare by", show=False),
        Binding("G", "next_axis(-1)", "Compare by", show=False),
        Binding("c", "next_clip(1)", "Clipping", show=False),
        Binding("C", "next_clip(-1)", "Clipping", show=False),
        Binding("o", "next_optimizer", "Optimizer", show=False),
        Binding("l", "rate(1)", "Larger step", show=False),
        Binding("L", "rate(-1)", "Smaller step", show=False),
        Binding("enter", "run", "Run", show=False),
        Binding("x", "cancel", "Stop", show=False),
        Binding("n", "next_cell(1)", "Cell", show=False),
        Binding("N", "next_cell(-1)", "Previous cell", show=False),
        Binding("t", "seq_len(1)", "Longer", show=False),
        Binding("T", "seq_len(-1)", "Shorter", show=False),
        Binding("f", "toggle_forget_bias", "Forget bias", show=False),
        Binding("z", "quiz", "Quiz", show=False),
        Binding("h", "hint(1)", "Hint"),
        Binding("H", "hint(-1)", "Previous hint", show=False),
    ]

    config: reactive[NetConfig] = reactive(NetConfig, init=False)
    metric: reactive[str] = reactive("weight", init=False)
    view: reactive[str] = reactive("bars", init=False)
    compare_axis: reactive[str] = reactive("activations", init=False)
    train_config: reactive[TrainConfig] = reactive(TrainConfig, init=False)
    """The training settings; its `net` always follows `config`."""
    rnn_config: reactive[RNNConfig] = reactive(RNNConfig, init=False)

    @dataclass
    class ProfileReady(Message):
        config: NetConfig
        profile: Any

    @dataclass
    class CompareReady(Message):
        key: tuple[NetConfig, str]
        entries: list[tuple[str, Any]]

    @dataclass
    class TrainProgress(Message):
        run: int
        records: tuple[Any, ...]
        total: int

    @dataclass
    class TrainDone(Message):
        run: int
        result: Any

    def __init__(
        self,
        pack: Pack,
        lesson: Lesson | None,
        preset_id: str | None = None,
        exercise_id: str | None = None,
    ) -> None:
        """`exercise_id` opens one of the pack's exercises (its preset is then ignored);
        `lesson` may be None only for an exercise that belongs to no lesson."""
        super().__init__()
        self.pack = pack
        self.lesson = lesson
        exercise = pack.exercises[exercise_id] if exercise_id is not None else None
        self.exercise: Exercise | None = exercise
        preset: Preset | None = None
        if exercise is None and lesson is not None:
            preset = pack.presets.get(preset_id or lesson.presets[0])
        self.preset = preset
        config, train_config, rnn_config = _configs(
            exercise.start if exercise else preset.config if preset else None
        )
        if exercise is not None:
            self.set_reactive(LabScreen.view, PRESET_VIEWS[exercise.kind])
        if preset is not None:
            self.set_reactive(LabScreen.metric, preset.metric)
            self.set_reactive(LabScreen.view, PRESET_VIEWS.get(preset.kind, "bars"))
            if preset.compare is not None:
                self.set_reactive(LabScreen.view, "compare")
                self.set_reactive(LabScreen.compare_axis, preset.compare)
        self.preset_view = self.view
        """The view the preset demonstrates; its look-for line is shown there only."""
        self.set_reactive(LabScreen.config, config)
        self.set_reactive(LabScreen.train_config, replace(train_config, net=config))
        self.set_reactive(LabScreen.rnn_config, rnn_config)
        self.profile: Any = None
        self._profile_pending: NetConfig | None = None
        self.compare_entries: list[tuple[str, Any]] = []
        self._compare_key: tuple[NetConfig, str] | None = None
        self._compare_pending: tuple[NetConfig, str] | None = None
        self._rnn_profiles: dict[str, Any] = {}
        self._run = 0
        self._trained: TrainConfig | None = None
        """The settings of the latest run, finished or not."""
        self.train_result: Any = None
        self._train_note = Text()
        """The training view's reading, kept while another view is shown."""
        self._train_worker: Worker[None] | None = None
        self.hint_shown = 0
        """The exercise hint on show: 0 is the task, 1 the first hint, and so on."""

    # -- layout ------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        ascii_only = self.app.ascii_plots
        yield Header()
        if self.preset is not None:
            yield Static(f"Look for: {self.preset.look_for}", id="lab-look-for", markup=False)
        if self.exercise is not None:
            yield ExercisePanel(id="lab-exercise")
        yield LabControls(id="lab-controls")
        with ContentSwitcher(initial=f"view-{self.view}", id="lab-views"):
            with VerticalScroll(id="view-bars"):
                yield GradientBars(ascii_only=ascii_only, id="lab-bars")
            with Horizontal(id="view-compare"):
                yield CompareTable(id="compare-table")
                with VerticalScroll(id="compare-chart"):
                    yield AxisBars(ascii_only=ascii_only, id="compare-bars")
            yield TrainView(ascii_only=ascii_only, id="view-train")
            with VerticalScroll(id="view-rnn"):
                yield GradientBars(ascii_only=ascii_only, id="rnn-bars")
            yield CurveView(ascii_only=ascii_only, id="view-curves")
        yield Static(id="lab-reading")
        yield Footer()

    def on_mount(self) -> None:
        self.title = "Lab" if self.preset is None else f"Lab: {self.preset.title}"
        if self.exercise is not None:
            self.title = f"Exercise: {self.exercise.title}"
            self.query_one(ExercisePanel).show_note(self.exercise, self.hint_shown)
        self.redraw()
        if self.lesson is not None:
            key = lesson_key(self.pack.id, self.lesson.id)
            self.app.record(lambda progress: progress.mark_lab_visited(key))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "hint":
            return self.exercise is not None
        if action == "quiz":
            return self.lesson is not None
        views = VIEWS_OF_ACTION.get(action)
        return views is None or self.view in views

    # -- state changes -------------------------------------------------------------

    def watch_config(self) -> None:
        self.set_reactive(LabScreen.train_config, replace(self.train_config, net=self.config))
        self.redraw()

    def watch_metric(self) -> None:
        self.redraw()

    def watch_view(self) -> None:
        self.refresh_bindings()
        self.redraw()
        focus = {
            "bars": "#view-bars",
            "compare": "#compare-table",
            "train": "#view-train",
            "rnn": "#view-rnn",
        }.get(self.view)
        self.set_focus(self.query_one(focus) if focus else None)

    def watch_compare_axis(self) -> None:
        self.redraw()

    def watch_train_config(self) -> None:
        self.redraw()

    def watch_rnn_config(self) -> None:
        self.redraw()

    def redraw(self) -> None:
        """Show the current view for the current settings (the controls strip too)."""
        self.query_one(ContentSwitcher).current = f"view-{self.view}"
        for look_for in self.query("#lab-look-for"):
            look_for.display = self.view == self.preset_view
        self._show_controls()
        {
            "bars": self._draw_bars,
            "compare": self._draw_compare,
            "train": self._draw_train,
            "rnn": self._draw_rnn,
            "curves": self._draw_curves,
        }[self.view]()
        self._show_goal()

    def _show_controls(self) -> None:
        self.query_one(LabControls).show(
            [Hint(str(i), v) for i, v in enumerate(VIEWS, 1)] + [Hint("v", "next view")],
            self.view,
            self._hints(),
        )

    def _hints(self) -> list[Hint]:
        """The current view's settings, then (in an exercise) the hint counter."""
        if self.exercise is None:
            return self._setting_hints()
        shown = f"{self.hint_shown}/{len(self.exercise.hints)}"
        return [*self._setting_hints(), Hint("h/H", "hint", shown)]

    def _setting_hints(self) -> list[Hint]:
        cfg, tc, rc = self.config, self.train_config, self.rnn_config
        fixed = self._locked_here()
        net = [
            Hint("a", "act", cfg.activation, "activation" in fixed),
            Hint("i", "init", cfg.init, "init" in fixed),
            Hint("d/D", "depth", str(cfg.depth), "depth" in fixed),
            Hint("w/W", "width", str(cfg.width), "width" in fixed),
            Hint("b", "BN", _on_off(cfg.batchnorm), "batchnorm" in fixed),
            Hint("r", "res", _on_off(cfg.residual), "residual" in fixed),
            Hint("s/S", "seed", str(cfg.seed), "seed" in fixed),
        ]
        if self.view == "bars":
            return [*net, Hint("m", "metric", self.metric)]
        if self.view == "compare":
            return [
                *net,
                Hint("m", "metric", self.metric),
                Hint("g", "vs", self.compare_axis),
                Hint("up/dn", "pick"),
            ]
        if self.view == "train":
            clip = _clip_text(tc.clip_norm, tc.clip_value)
            return [
                *net,
                Hint("c", "clip", clip, bool(fixed & {"clip_norm", "clip_value"})),
                Hint("o", "opt", tc.optimizer, "optimizer" in fixed),
                Hint("l/L", "lr", f"{tc.lr:g}", "lr" in fixed),
                Hint("enter", "run"),
                Hint("x", "stop"),
            ]
        if self.view == "rnn":
            return [
                Hint("n", "cell", rc.cell, "cell" in fixed),
                Hint("t/T", "steps", str(rc.seq_len), "seq_len" in fixed),
                Hint("f", "forget bias", f"{rc.forget_bias:g}", "forget_bias" in fixed),
                Hint("i", "init", rc.recurrent_init, "recurrent_init" in fixed),
                Hint("s/S", "seed", str(rc.seed), "seed" in fixed),
            ]
        return [Hint("a", "act", cfg.activation)]

    # -- exercise ------------------------------------------------------------------

    def _exercise_config(self, attribute: str = "", value: Any = None) -> Config:
        """The settings the exercise measures, after setting `attribute` to `value`."""
        assert self.exercise is not None
        now: dict[str, Any] = {
            "config": self.config,
            "train_config": self.train_config,
            "rnn_config": self.rnn_config,
        }
        if attribute:
            now[attribute] = value
        if self.exercise.kind == "rnn":
            return now["rnn_config"]
        if self.exercise.kind == "train":
            return replace(now["train_config"], net=now["config"])
        return now["config"]

    def _locked_here(self) -> set[str]:
        """The exercise's locked settings, if the current view's controls change them."""
        if self.exercise is None or (self.view == "rnn") != (self.exercise.kind == "rnn"):
            return set()
        return set(self.exercise.locked)

    def _set(self, attribute: str, value: Any) -> None:
        """Change a settings reactive, unless that changes a setting the exercise locks."""
        if self.exercise is not None:
            changed = locked_changes(self.exercise, self._exercise_config(attribute, value))
            if changed:
                name = SETTING_NAMES.get(changed[0], changed[0])
                self.notify(f"{name} is fixed in this exercise", severity="warning", timeout=3)
                return
        setattr(self, attribute, value)

    def _goal_check(self) -> ExerciseCheck | str:
        """The verdict on the result already on screen, or why there is none yet."""
        assert self.exercise is not None
        config = self._exercise_config()
        result: Any
        if isinstance(config, RNNConfig):
            result = self._rnn_profiles.get(config.cell)
            elsewhere = "measured in the rnn view (4)"
        elif isinstance(config, TrainConfig):
            result = self.train_result
            finished = result is not None and result.config == config and not result.cancelled
            if not finished and self._trained == config:
                if self.training():
                    return "checked when this run finishes"
                return "the run was stopped; enter runs it again"
            elsewhere = "measured by a run in the train view (3)"
        else:
            if self._profile_pending == config:
                return "measuring..."
            result = self.profile
            elsewhere = "measured in the bars view (1)"
        if result is None or result.config != config:
            return elsewhere
        return check_exercise(self.exercise, config, result)

    def _show_goal(self) -> None:
        """Update the goal line; the first time the goal is met, record it and say so."""
        exercise = self.exercise
        if exercise is None:
            return
        check = self._goal_check()
        panel = self.query_one(ExercisePanel)
        if isinstance(check, str):
            panel.show_goal(None, check)
            return
        panel.show_goal(check)
        if check.met and not exercise_done(self.app.progress, exercise):
            key = lesson_key(exercise.pack_id, exercise.id)
            self.app.record(lambda progress: progress.mark_exercise_done(key))
            self.notify(f"{exercise.title}: saved as done.", title="Exercise done", markup=False)

    def action_hint(self, delta: int) -> None:
        """Show the next hint (revealing it) or go back toward the task."""
        if self.exercise is None:
            return
        last = len(self.exercise.hints)
        if delta > 0 and self.hint_shown == last:
            self.notify("That was the last hint.", timeout=3)
            return
        self.hint_shown = min(max(self.hint_shown + delta, 0), last)
        self.query_one(ExercisePanel).show_note(self.exercise, self.hint_shown)
        self._show_controls()

    def _read(self, text: str | Text, *, alarm: bool = False) -> None:
        """Put one reading under the chart; an alarm (overflow, divergence) is marked with '!'."""
        self.query_one("#lab-reading", Static).update(_marked(text, alarm))

    # -- bars ----------------------------------------------------------------------

    def _draw_bars(self) -> None:
        cfg = self.config
        if self.profile is not None and self.profile.config == cfg:
            self._show_profile()
        elif cfg.batch * cfg.width * cfg.width * cfg.depth <= QUICK_PROFILE:
            from lessons.lab.profile import run_profile

            self.profile = run_profile(cfg)
            self._show_profile()
        else:
            self._read(f"computing a {cfg.depth}-layer, {cfg.width}-wide net...")
            if self._profile_pending != cfg:
                self._profile_pending = cfg
                self._profile_later(cfg)

    @work(thread=True, exclusive=True, group="lab-profile")
    def _profile_later(self, cfg: NetConfig) -> None:
        from lessons.lab.profile import run_profile

        self.post_message(self.ProfileReady(cfg, run_profile(cfg)))

    def on_lab_screen_profile_ready(self, message: ProfileReady) -> None:
        if message.config == self._profile_pending:
            self._profile_pending = None
        if message.config == self.config:
            self.profile = message.profile
            if self.view == "bars":
                self._show_profile()
        self._show_goal()

    def _show_profile(self) -> None:
        from lessons.lab.profile import one_line_reading

        profile = self.profile
        self.query_one("#lab-bars", GradientBars).show(_bars(profile, self.metric))
        self._read(one_line_reading(profile, self.metric), alarm=profile.overflow_layer is not None)

    # -- compare -------------------------------------------------------------------

    def _draw_compare(self) -> None:
        key = (self.config, self.compare_axis)
        if key == self._compare_key:
            self._show_compare()
            return
        self._read(f"comparing {self.compare_axis}...")
        if self._compare_pending != key:
            self._compare_pending = key
            self._compare_later(key)

    @work(thread=True, exclusive=True, group="lab-compare")
    def _compare_later(self, key: tuple[NetConfig, str]) -> None:
        from lessons.lab.profile import compare_profiles

        self.post_message(self.CompareReady(key, compare_profiles(*key)))

    def on_lab_screen_compare_ready(self, message: CompareReady) -> None:
        if message.key == self._compare_pending:
            self._compare_pending = None
        if message.key == (self.config, self.compare_axis):
            self._compare_key, self.compare_entries = message.key, message.entries
            if self.view == "compare":
                self._show_compare()

    def _show_compare(self) -> None:
        rows = [_row(label, profile, self.metric) for label, profile in self.compare_entries]
        self.query_one(CompareTable).show(f"{METRIC_SHORT[self.metric]}, L1 vs last", rows)

    def on_compare_table_picked(self, message: CompareTable.Picked) -> None:
        from lessons.lab.profile import one_line_reading

        if not self.compare_entries or self.view != "compare":
            return
        label, profile = self.compare_entries[message.index]
        bars = _bars(profile, self.metric, title=f"{_short(label)}: {METRIC_SHORT[self.metric]}")
        every = [v for _, p in self.compare_entries for v in _bars(p, self.metric).log10]
        self.query_one(AxisBars).show(bars, axis_range(every))
        reading = f"{_short(label)}: {one_line_reading(profile, self.metric)}"
        self._read(reading, alarm=profile.overflow_layer is not None)

    # -- train ---------------------------------------------------------------------

    def _draw_train(self) -> None:
        if self._trained != self.train_config:
            self.action_run()
        else:
            self._read(self._train_note)

    def _train_read(self, text: str, *, alarm: bool = False) -> None:
        """Keep the training reading, and show it if the training view is up."""
        self._train_note = _marked(text, alarm)
        if self.view == "train":
            self._read(self._train_note)

    def action_run(self) -> None:
        """Start a training run of the current settings (a running one is cancelled)."""
        self._run += 1
        self._trained = self.train_config
        self._train_read(f"training: step 0/{self.train_config.steps} (x stops)")
        self._train_worker = self._train(self.train_config, self._run)
        self._show_goal()

    @work(thread=True, exclusive=True, group="lab-train")
    def _train(self, cfg: TrainConfig, run: int) -> None:
        from lessons.lab.train import train

        worker = get_current_worker()
        stride = TrainCurves.stride(cfg.steps)
        kept: list[Any] = []
        last_report = time.monotonic()

        def on_step(step: int, record: Any) -> None:
            nonlocal last_report
            if (step - 1) % stride == 0:
                kept.append(record)
            if time.monotonic() - last_report >= PROGRESS_EVERY:
                last_report = time.monotonic()
                latest = () if kept[-1] is record else (record,)
                self.post_message(self.TrainProgress(run, (*kept, *latest), cfg.steps))

        result = train(cfg, on_step=on_step, should_stop=lambda: worker.is_cancelled)
        self.post_message(self.TrainDone(run, result))

    def on_lab_screen_train_progress(self, message: TrainProgress) -> None:
        if message.run != self._run:
            return
        latest = message.records[-1]
        depth = message.records[-1].grad_norms.size - 1
        self.query_one(TrainView).show(TrainCurves.from_records(message.records), depth)
        self._train_read(
            f"training: step {latest.step}/{message.total}, loss {latest.loss:.4f} (x stops)"
        )

    def on_lab_screen_train_done(self, message: TrainDone) -> None:
        if message.run != self._run:
            return
        result = self.train_result = message.result
        self.query_one(TrainView).show(TrainCurves.from_result(result), result.config.net.depth)
        self._train_read(_train_reading(result), alarm=result.diverged_at is not None)
        self._show_goal()

    def training(self) -> bool:
        """True while a run is going and has not been asked to stop."""
        worker = self._train_worker
        return worker is not None and not worker.is_finished and not worker.is_cancelled

    def action_cancel(self) -> None:
        if self.training() and self._train_worker is not None:
            self._train_worker.cancel()
            self._train_read("stopping...")

    # -- recurrent -----------------------------------------------------------------

    def _draw_rnn(self) -> None:
        from lessons.lab.rnn import time_profile

        rc = self.rnn_config
        if self._rnn_profiles.get(rc.cell) is None or self._rnn_profiles[rc.cell].config != rc:
            self._rnn_profiles = {cell: time_profile(replace(rc, cell=cell)) for cell in CELLS}
        profile = self._rnn_profiles[rc.cell]
        labels = tuple(f"t{t}" for t in range(1, rc.seq_len + 1))
        title = f"{rc.cell}: ||dL/dh_t|| per time step (Frobenius, log10), loss at t={rc.seq_len}"
        self.query_one("#rnn-bars", GradientBars).show(Bars(labels, profile.norms, title))
        if profile.overflow_step is not None:
            self._read(
                f"overflow at step {profile.overflow_step}: the numbers grew past what "
                "float64 can hold",
                alarm=True,
            )
            return
        others = ", ".join(
            f"{cell} 10^{_power(p.log10_ratio)}"
            for cell, p in self._rnn_profiles.items()
            if cell != rc.cell
        )
        self._read(
            f"step 1 gets 10^{_power(profile.log10_ratio)} of step {rc.seq_len}'s "
            f"gradient ({rc.cell}); {others}"
        )

    # -- curves --------------------------------------------------------------------

    def _draw_curves(self) -> None:
        from lessons.lab.activations import activation_curve, get_activation

        cfg = self.config
        options = {"leaky_slope": cfg.leaky_slope, "elu_alpha": cfg.elu_alpha}
        f, df = (a.tolist() for a in activation_curve(cfg.activation, CURVE_XS, **options))
        act = get_activation(cfg.activation, **options)
        maxima = [(name, get_activation(name, **options).grad_max) for name in ACTIVATIONS]
        self.query_one(CurveView).show(cfg.activation, CURVE_XS, f, df, maxima)
        self._read(_curve_reading(cfg.activation, act, df))

    # -- keys ----------------------------------------------------------------------

    def action_view(self, view: str) -> None:
        self.view = view

    def action_cycle_view(self, delta: int) -> None:
        self.view = _cycle(VIEWS, self.view, delta)

    def action_next_activation(self, delta: int = 1) -> None:
        activation = _cycle(ACTIVATIONS, self.config.activation, delta)
        self._set("config", replace(self.config, activation=activation))

    def action_next_init(self, delta: int = 1) -> None:
        if self.view == "rnn":
            rc = self.rnn_config
            init = _cycle(RECURRENT_INITS, rc.recurrent_init, delta)
            self._set("rnn_config", replace(rc, recurrent_init=init))
        else:
            self._set("config", replace(self.config, init=_cycle(INITS, self.config.init, delta)))

    def action_depth(self, delta: int) -> None:
        self._set("config", replace(self.config, depth=_step(DEPTHS, self.config.depth, delta)))

    def action_width(self, delta: int) -> None:
        self._set("config", replace(self.config, width=_step(WIDTHS, self.config.width, delta)))

    def action_toggle_batchnorm(self) -> None:
        self._set("config", replace(self.config, batchnorm=not self.config.batchnorm))

    def action_toggle_residual(self) -> None:
        self._set("config", replace(self.config, residual=not self.config.residual))

    def action_seed(self, delta: int) -> None:
        if self.view == "rnn":
            self._set(
                "rnn_config", replace(self.rnn_config, seed=max(0, self.rnn_config.seed + delta))
            )
        else:
            self._set("config", replace(self.config, seed=max(0, self.config.seed + delta)))

    def action_next_metric(self) -> None:
        self.metric = _cycle(METRICS, self.metric)

    def action_next_axis(self, delta: int) -> None:
        from lessons.lab.profile import COMPARE_AXES

        self.compare_axis = _cycle(COMPARE_AXES, self.compare_axis, delta)

    def action_next_clip(self, delta: int) -> None:
        tc = self.train_config
        clip_norm, clip_value = _cycle(CLIPS, (tc.clip_norm, tc.clip_value), delta)
        self._set("train_config", replace(tc, clip_norm=clip_norm, clip_value=clip_value))

    def action_next_optimizer(self) -> None:
        optimizer = _cycle(OPTIMIZERS, self.train_config.optimizer)
        self._set("train_config", replace(self.train_config, optimizer=optimizer))

    def action_rate(self, delta: int) -> None:
        self._set(
            "train_config", replace(self.train_config, lr=_step(RATES, self.train_config.lr, delta))
        )

    def action_next_cell(self, delta: int) -> None:
        self._set(
            "rnn_config", replace(self.rnn_config, cell=_cycle(CELLS, self.rnn_config.cell, delta))
        )

    def action_seq_len(self, delta: int) -> None:
        seq_len = _step(SEQ_LENS, self.rnn_config.seq_len, delta)
        self._set("rnn_config", replace(self.rnn_config, seq_len=seq_len))

    def action_toggle_forget_bias(self) -> None:
        bias = _cycle(FORGET_BIASES, self.rnn_config.forget_bias)
        self._set("rnn_config", replace(self.rnn_config, forget_bias=bias))

    def action_quiz(self) -> None:
        if self.lesson is not None:
            self.app.nav.visit(QuizPage(self.pack, self.lesson))

    def help_topic(self) -> str:
        """The help opens on this view's keys and what each of its elements means."""
        return f"lab/{self.view}"

    def action_back(self) -> None:
        """Escape stops a running training first; pressed again, it leaves the lab."""
        if self.training():
            self.action_cancel()
        else:
            self.dismiss()


def _configs(start: Config | None) -> tuple[NetConfig, TrainConfig, RNNConfig]:
    """The net, training and recurrent settings a lab starts from, given one of them."""
    config, train_config, rnn_config = NetConfig(), TrainConfig(), RNNConfig()
    if isinstance(start, TrainConfig):
        train_config, config = start, start.net
    elif isinstance(start, RNNConfig):
        rnn_config = start
    elif start is not None:
        config = start
    return config, train_config, rnn_config


def _marked(text: str | Text, alarm: bool) -> Text:
    if isinstance(text, Text):
        return text
    return Text.assemble(("! ", "bold red"), (text, "bold red")) if alarm else Text(text)


def _short(label: str) -> str:
    """Compare labels that fit the table: "batchnorm+residual" -> "BN+res", "none" -> "plain"."""
    if label == "none":
        return "plain"
    return label.replace("batchnorm", "BN").replace("residual", "res")


def _norms(profile: Any, metric: str) -> tuple[list[Any], tuple[float | None, ...]]:
    """The layers a metric has (the output layer has no backward signal) and their norms."""
    if metric == "signal":
        layers = [layer for layer in profile.layers if layer.layer <= profile.config.depth]
        return layers, tuple(layer.signal_grad_norm for layer in layers)
    return list(profile.layers), tuple(layer.weight_grad_norm for layer in profile.layers)


def _bars(profile: Any, metric: str, title: str | None = None) -> Bars:
    layers, norms = _norms(profile, metric)
    depth = profile.config.depth
    labels = tuple("out" if layer.layer > depth else f"L{layer.layer}" for layer in layers)
    return Bars(labels=labels, norms=norms, title=METRIC_TITLES[metric] if title is None else title)


def _row(label: str, profile: Any, metric: str) -> Row:
    _, norms = _norms(profile, metric)
    first, last = norms[0], norms[profile.config.depth - 1]
    logs = Bars(("first", "last"), (first, last)).log10
    ratio = profile.weight_log10_ratio if metric == "weight" else profile.signal_log10_ratio
    return Row(_short(label), logs[0], logs[1], ratio, profile.overflow_layer)


def _train_reading(result: Any) -> str:
    cfg = result.config
    if result.diverged_at is not None:
        return (
            f"diverged at step {result.diverged_at}: the loss or a gradient was no "
            "longer finite (inf or NaN)"
        )
    if result.cancelled:
        return f"stopped at step {result.steps_done} of {cfg.steps}"
    losses, moved = result.losses.tolist(), result.moved[-1].tolist()
    depth = cfg.net.depth
    first, last = moved[0], moved[depth - 1]
    reading = f"loss {losses[0]:.3f} -> {losses[-1]:.3f} in {result.steps_done} steps"
    if depth > 1 and first > 0 and last > 0:
        reading += f"; layer 1 moved 10^{_power(math.log10(first / last))} as far as layer {depth}"
    if cfg.clip_norm is not None:
        reading += (
            f"; global norm before clipping up to {max(result.global_norm_before):.3g},"
            f" after {max(result.global_norm_after):.3g}"
        )
    return reading


def _curve_reading(name: str, act: Any, df: Sequence[float]) -> str:
    reading = f"max {name}'(x) = {act.grad_max:.3g}, {_where_max(df)}"
    if act.saturating:
        reading += "; it tends to 0 as |x| grows (saturation)"
    return reading


def _where_max(df: Sequence[float]) -> str:
    """Where on CURVE_XS the derivative reaches its maximum: one point or a plateau."""
    peak = max(df)
    at = [x for x, d in zip(CURVE_XS, df, strict=True) if d >= peak - 1e-9]
    if len(at) == 1:
        return f"at x = {round(at[0], 2):g}"
    if at[0] == CURVE_XS[0] and at[-1] == CURVE_XS[-1]:
        return "for every x"
    if at[-1] == CURVE_XS[-1] and round(at[0], 1) == 0:
        return "for every x > 0"
    return f"for x from {round(at[0], 2):g} to {round(at[-1], 2):g}"
